import { Pool } from 'pg';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { indexRebuild, logRebuild, stageRebuild } from '@salesledger/read-model/rebuild-staging';
import { createDatabase, postgresServers } from '../support/postgres-servers';

const [embedded] = postgresServers();
const SCHEMA = 'rm_staging_check';

describe("a rebuild's staging tables", () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;

  beforeAll(async () => {
    database = await createDatabase(embedded!);
    await migrateReadModel(database.url, SCHEMA);
    pool = new Pool({ connectionString: database.url, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const persistence = async (schema = SCHEMA) =>
    (
      await pool.query<{ name: string; persistence: string }>(
        `SELECT relname AS name, relpersistence AS persistence FROM pg_class
         WHERE relnamespace = $1::regnamespace AND relkind = 'r' ORDER BY relname`,
        [schema],
      )
    ).rows;

  /** A schema of its own, staged, with a replay under way: a projection's checkpoint set. */
  async function replaying(schema: string): Promise<void> {
    await migrateReadModel(database.url, schema);
    await stageRebuild(pool, schema);
    await pool.query(
      `INSERT INTO ${schema}.projection_checkpoints (name, checkpoint, position) VALUES ('scorecards', '10', 10)`,
    );
  }

  it('are all logged at once or none is: a failure midway leaves every one unlogged, to start over', async () => {
    await stageRebuild(pool, SCHEMA);
    // A table that cannot be logged (it references an unlogged table the rebuild does not log),
    // named to come after every other one.
    await pool.query('CREATE UNLOGGED TABLE public.unlogged_parent (id int PRIMARY KEY)');
    await pool.query(`CREATE UNLOGGED TABLE ${SCHEMA}.zz_blocker (id int REFERENCES public.unlogged_parent)`);
    const staged = await persistence();
    expect(staged.filter((t) => t.persistence === 'u').length).toBeGreaterThan(20);

    const client = await pool.connect();
    try {
      await expect(logRebuild(client, SCHEMA)).rejects.toThrow(/unlogged/);
      expect(await persistence()).toEqual(staged);

      await pool.query(`DROP TABLE ${SCHEMA}.zz_blocker`);
      await logRebuild(client, SCHEMA);
    } finally {
      client.release();
    }
    const logged = await persistence();
    expect(logged.filter((t) => t.persistence !== 'p')).toEqual([]);
    expect(logged.map((t) => t.name)).not.toContain('applied_staging');
  }, 60_000);

  it('stay logged and indexed once the replay is done and they are set logged, the revisions a rerun notes logged with them', async () => {
    const schema = 'rm_staging_logged';
    await replaying(schema);
    const client = await pool.connect();
    try {
      await indexRebuild(client, schema);
      await logRebuild(client, schema);
    } finally {
      client.release();
    }
    // Setting a table unlogged or dropping and building an index gives it new files. The two
    // bookkeeping tables the steps after the replay dropped come back.
    const files = async () =>
      (
        await pool.query(
          `SELECT relname, relfilenode FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind IN ('r', 'i')
           AND relname NOT IN ('applied_staging', 'staged_indexes', 'staged_indexes_pkey') ORDER BY relname`,
          [schema],
        )
      ).rows;
    const built = await files();

    await stageRebuild(pool, schema);
    expect(await files()).toEqual(built);
    // A crash must keep the revisions noted after the checkpoints they go with, or lose both.
    expect((await persistence(schema)).filter((t) => t.persistence !== 'p')).toEqual([]);
    expect((await persistence(schema)).map((t) => t.name)).toContain('applied_staging');
  }, 60_000);

  it('take in, unlogged, a table a migration adds to them while the replay is under way', async () => {
    const schema = 'rm_staging_added';
    await replaying(schema);
    await pool.query(`CREATE TABLE ${schema}.added_later (id int PRIMARY KEY)`);

    await stageRebuild(pool, schema);
    expect((await persistence(schema)).filter((t) => t.persistence !== 'u').map((t) => t.name)).toEqual([
      'migrations',
      'staged_indexes',
    ]);
  }, 60_000);

  it('are analysed as empty when all they hold is rows rolled back, as after an interrupted derivation', async () => {
    await stageRebuild(pool, SCHEMA);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ${SCHEMA}.scorecard_changes (rep_id, grain, period)
         SELECT 'rep-' || n, 'day', '2026-01-01' FROM generate_series(1, 20000) n`,
      );
      await client.query('ROLLBACK');
      await client.query(`INSERT INTO ${SCHEMA}.pending_days VALUES ('rep-1', '2026-01-01')`);

      await indexRebuild(client, SCHEMA);
    } finally {
      client.release();
    }
    // ANALYZE of a table with pages and no row records a density of nothing per page, whatever the
    // table holds by the time a statement is planned; with no pages the planner estimates from its size.
    const { rows } = await pool.query(
      `SELECT relname, relpages, reltuples FROM pg_class
       WHERE relnamespace = $1::regnamespace AND relname IN ('scorecard_changes', 'pending_days') ORDER BY relname`,
      [SCHEMA],
    );
    expect(rows).toEqual([
      { relname: 'pending_days', relpages: 1, reltuples: 1 },
      { relname: 'scorecard_changes', relpages: 0, reltuples: 0 },
    ]);
  }, 60_000);
});
