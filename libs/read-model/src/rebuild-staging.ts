import type { ClientBase, Pool } from 'pg';
import { inTransaction, transaction } from '@salesledger/postgres/pool';

/** Indexes no batch of a replay reads through: built once the facts are in, not kept up row by row. */
const DEFERRED_INDEXES = [
  'customers_registered',
  'customer_losses_rep',
  'order_versions_rep_day',
  // Browse pages only. PostgreSQL 15, planning on a replay's young statistics, combined the
  // first-order lookup's index with a scan of the whole order_versions_rep_page (500 events/s).
  'order_versions_page',
  'order_versions_rep_page',
  'visits_page',
  'visits_rep_page',
  'visits_rep_day',
  'papers_rep_day',
  'requests_rep_day',
  'requests_answered',
  'reviews_rep_month',
  'scorecards_leaderboard',
  'alerts_status',
  'alerts_team',
  'alerts_rep',
  'alert_deliveries_alert',
];

// Kept logged: a server crash empties unlogged tables, and these must survive one.
const LOGGED = ['migrations', 'staged_indexes'];

/**
 * Makes a rebuild's schema a staging area: tables unlogged (no WAL; a server crash empties them,
 * checkpoints included, so the rebuild starts over rather than resumes wrongly) and the deferred
 * indexes dropped, their definitions kept in a logged table so an interrupted rebuild still
 * restores them. Not once the steps after the replay have set the tables logged: a rerun then
 * applies the few events the log gained meanwhile to them as they are, and a crash keeps them.
 */
export async function stageRebuild(pool: Pool, schema: string): Promise<void> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.staged_indexes (name text PRIMARY KEY, definition text NOT NULL)`,
  );
  // Each replayed event's stream revision, for each projection that applies it, while every
  // projection is at one checkpoint (see rebuild.ts). Logged or not with the checkpoints, so that a
  // crash keeps both or neither. One left by an earlier version has no projection column: its
  // notes, for every projection alike, get none.
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.applied_staging (stream_id text NOT NULL, revision int NOT NULL, projection text);
     ALTER TABLE ${schema}.applied_staging ADD COLUMN IF NOT EXISTS projection text`,
  );
  const { rows: logged } = await pool.query(
    `SELECT FROM pg_class WHERE oid = '${schema}.projection_checkpoints'::regclass AND relpersistence = 'p'
       AND EXISTS (SELECT FROM ${schema}.projection_checkpoints WHERE checkpoint IS NOT NULL)`,
  );
  if (logged.length > 0) return;
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = $1 AND indexname = ANY($2)`,
      [schema, DEFERRED_INDEXES],
    );
    for (const { name, definition } of rows) {
      await client.query(`INSERT INTO ${schema}.staged_indexes VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        name,
        definition,
      ]);
      await client.query(`DROP INDEX ${schema}.${name}`);
    }
    for (const table of await tables(client, schema, 'p'))
      await client.query(`ALTER TABLE ${schema}.${table} SET UNLOGGED`);
  });
}

/**
 * Builds the deferred indexes and gathers statistics: before deriving, which reads through them.
 * A table with no row left is emptied first: after a derivation rolled back (interrupted, or
 * killed) it still has the pages of the rows it lost, and ANALYZE would record pages with nothing
 * on them. The derivation would then be planned for a table of one row and join each of 2,000
 * scorecards to all of `rep_periods`: 30 s a statement at a million events, against under 2 s.
 */
export async function indexRebuild(client: ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ name: string; definition: string }>(`SELECT * FROM ${schema}.staged_indexes`);
  for (const { name, definition } of rows)
    await transaction(client, async () => {
      await client.query(definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
      await client.query(`DELETE FROM ${schema}.staged_indexes WHERE name = $1`, [name]);
    });
  for (const table of await tables(client, schema, 'u'))
    if ((await client.query(`SELECT FROM ${schema}.${table} LIMIT 1`)).rowCount === 0)
      await client.query(`TRUNCATE ${schema}.${table}`);
  await analyzeStaged(client, schema);
}

/**
 * Gathers statistics of the staged tables. A replay runs it as they grow: with none, PostgreSQL
 * takes a lookup of a page's few hundred keys for one that matches most of the table, and scans
 * the whole table for it on every page (half a replay's time at a million events, in two lookups).
 */
export async function analyzeStaged(db: Pool | ClientBase, schema: string): Promise<void> {
  const staged = await tables(db, schema, 'u');
  if (staged.length > 0) await db.query(`ANALYZE ${staged.map((t) => `${schema}.${t}`).join(', ')}`);
}

/**
 * Writes the staged tables to the WAL, so the schema survives a crash once it is swapped in. All
 * in one transaction: a crash midway would otherwise keep the tables already logged (checkpoints,
 * facts) and empty the others (pending days, figures), and the next run would swap those in.
 */
export async function logRebuild(client: ClientBase, schema: string): Promise<void> {
  await transaction(client, async () => {
    await client.query(`DROP TABLE IF EXISTS ${schema}.applied_staging`);
    for (const table of await tables(client, schema, 'u'))
      await client.query(`ALTER TABLE ${schema}.${table} SET LOGGED`);
    await client.query(`DROP TABLE IF EXISTS ${schema}.staged_indexes`);
  });
}

/** The schema's tables that are permanent ('p') or unlogged ('u'), other than the ones kept logged. */
async function tables(client: Pool | ClientBase, schema: string, persistence: 'p' | 'u'): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class
     WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND relpersistence = $2 AND NOT relname = ANY($3)
     ORDER BY relname`,
    [schema, persistence, LOGGED],
  );
  return rows.map((row) => row.name);
}
