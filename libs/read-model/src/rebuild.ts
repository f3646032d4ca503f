import { DatabaseError, type ClientBase, type Pool } from 'pg';

import type { RecordedEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { migrateReadModel } from './migrate';
import { READ_MODEL, REBUILD } from '@salesledger/postgres/schemas';
import { LOCKS, tryHoldLock } from '@salesledger/postgres/advisory-locks';
import { inTransaction, transaction } from '@salesledger/postgres/pool';
import { applyAndCheckpoint, deriveAll, ProjectionRunner } from './projection-runner';
import { PROJECTIONS } from './projections';
import { analyzeStaged, indexRebuild, logRebuild, stageRebuild } from './rebuild-staging';
import { createReportingViews } from './reporting';

export interface RebuildProgress {
  /** Log events applied, each counted once however many projections it feeds. */
  readonly applied: number;
  /** Events the log held past the rebuild's checkpoint when it started (an estimate; never below `applied`). */
  readonly total: number;
}

export interface RebuildOptions {
  readonly batchSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly signal?: AbortSignal;
}

/** Projections share the read-model schema, so a rebuild replays them all; a name is only checked. */
export function assertProjectionName(name?: string): void {
  if (name !== undefined && !PROJECTIONS.some((p) => p.name === name))
    throw new Error(`no projection named "${name}": choose one of ${PROJECTIONS.map((p) => p.name).join(', ')}`);
}

/**
 * Replays the log into fresh tables (schema read_model_rebuild) while the serving ones stay live,
 * then swaps them in one transaction, catching up the last events under a lock on the serving
 * checkpoints so nothing applied in between is lost. Interrupted, it resumes from its own checkpoint.
 * Returns false when stopped by the signal before the swap; refuses to start beside another rebuild.
 */
export async function rebuildReadModel(
  store: EventStore,
  pool: Pool,
  url: string,
  options: RebuildOptions = {},
): Promise<boolean> {
  const holder = await tryHoldLock(pool, LOCKS.rebuild);
  if (!holder)
    throw new Error(
      'another read-model rebuild is running against this database: wait for it to finish, or stop it (Ctrl-C) and run this command again, which resumes where it stopped',
    );
  try {
    return await rebuildAlone(store, pool, url, options);
  } finally {
    holder.release(true); // closing the connection frees the lock
  }
}

async function rebuildAlone(
  store: EventStore,
  pool: Pool,
  url: string,
  { batchSize = 5000, onProgress, signal }: RebuildOptions,
): Promise<boolean> {
  await migrateReadModel(url, REBUILD);
  await stageRebuild(pool, REBUILD);
  if (!(await replay(store, pool, batchSize, onProgress, signal))) return false;
  if (!(await finish(store, pool, signal))) return false;
  // Marks the new tables' pages all-visible (SET LOGGED rewrote them), so queries answer from
  // covering indexes without visiting the heap; autovacuum would get there, but later, so an
  // interrupted rebuild leaves it to autovacuum.
  if (!signal?.aborted) await pool.query(`VACUUM (ANALYZE) ${(await serving(pool)).join(', ')}`);
  return true;
}

/**
 * Indexes, derives, logs and swaps in the rebuilt schema on one connection, whose statements the
 * signal cancels: deriving alone takes tens of seconds at a million events, too long to wait for
 * after a Ctrl-C. Each step is one transaction or safe to do again, and the next run does them
 * again, finding done what they finished (see stageRebuild). Returns false when stopped.
 */
async function finish(store: EventStore, pool: Pool, signal: AbortSignal | undefined): Promise<boolean> {
  const client = await pool.connect();
  // A lost connection fails the step in hand; the event itself must not crash the process.
  client.on('error', () => undefined);
  let pid: number | undefined;
  const cancels: Promise<unknown>[] = [];
  let repeat: NodeJS.Timeout | undefined;
  // Sent again and again: a cancel that lands between two statements of a step does nothing.
  const cancel = () => {
    cancels.push(pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined));
    repeat ??= setInterval(cancel, 100);
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const steps = [
      () => indexRebuild(client, REBUILD),
      () =>
        transaction(client, async () => {
          await client.query('SET LOCAL synchronous_commit = off');
          for (const projection of PROJECTIONS) await deriveAll(client, REBUILD, projection);
        }),
      () => logRebuild(client, REBUILD),
      () => swap(store, client),
    ];
    for (const step of steps) {
      if (signal?.aborted) return false;
      await step();
    }
    return true;
  } catch (error) {
    if (signal?.aborted && error instanceof DatabaseError && error.code === QUERY_CANCELED) return false;
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancel);
    clearInterval(repeat);
    // Closed only once no cancel is on its way, so none can reach a backend that took its pid.
    await Promise.all(cancels);
    client.release(true);
  }
}

const QUERY_CANCELED = '57014';

/**
 * Reads the log once for every projection, each page applied to all of them in one transaction,
 * the next page read while this one is applied. It starts at the projection furthest behind; a
 * projection further on skips what it holds (by stream revision). Relaxed commits: a crash loses at
 * most the last pages, which the checkpoints then replay.
 */
async function replay(
  store: EventStore,
  pool: Pool,
  batchSize: number,
  onProgress: RebuildOptions['onProgress'],
  signal: AbortSignal | undefined,
): Promise<boolean> {
  // What an interrupted replay noted is recorded first, for the projections that applied it (not
  // one added since): a projection further on skips by it.
  await recordAppliedStreams(pool);
  await pool.query(
    `INSERT INTO ${REBUILD}.projection_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
    [PROJECTIONS.map((p) => p.name)],
  );
  // Furthest behind first: the replay starts there.
  const { rows } = await pool.query<{ checkpoint: string | null; position: string | null }>(
    `SELECT checkpoint, position FROM ${REBUILD}.projection_checkpoints WHERE name = ANY($1)
     ORDER BY coalesce(position, 0)`,
    [PROJECTIONS.map((p) => p.name)],
  );
  // In step: every projection at one checkpoint, so none holds any event the replay reads. Then it
  // looks up no stream's revision per page (that was over half of a replay's time at 1,000,000
  // events) and notes in `applied_staging` those of the events each projection applies, recorded
  // once at the end.
  const inStep = new Set(rows.map((row) => row.checkpoint)).size === 1;
  const head = await store.head();
  const total = Math.max(0, (head?.position ?? 0) - Number(rows[0]?.position ?? 0));
  let applied = 0;
  // Statistics after the first page, then each time the replay has doubled what it applied.
  let analyzeAt = 1;
  onProgress?.({ applied, total });
  for await (const events of store.pages(rows[0]?.checkpoint ?? null, batchSize)) {
    await inTransaction(pool, async (client) => {
      await client.query('SET LOCAL synchronous_commit = off');
      for (const projection of PROJECTIONS)
        await applyAndCheckpoint(client, REBUILD, projection, events, { unapplied: inStep });
      if (inStep) await noteApplied(client, events);
    });
    applied += events.length;
    if (applied >= analyzeAt) {
      await analyzeStaged(pool, REBUILD);
      analyzeAt = applied * 2;
    }
    onProgress?.({ applied, total: Math.max(total, applied) });
    // The page read ahead is dropped: the checkpoint already says where to resume.
    if (signal?.aborted) return false;
  }
  await recordAppliedStreams(pool);
  return true;
}

/** Notes the stream revision of each event of a page, for each projection that applies it. */
async function noteApplied(client: ClientBase, events: readonly RecordedEvent[]): Promise<void> {
  const notes = PROJECTIONS.flatMap((projection) =>
    events.filter((event) => projection.applies(event)).map((event) => ({ projection: projection.name, event })),
  );
  await client.query(
    `INSERT INTO ${REBUILD}.applied_staging (projection, stream_id, revision)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`,
    [notes.map((n) => n.projection), notes.map((n) => n.event.streamId), notes.map((n) => n.event.revision)],
  );
}

/**
 * Moves the revisions noted in `applied_staging` into `applied_streams`, for each projection that
 * has applied pages: all of them were in step when the revisions were noted. A note without a
 * projection (left by a version that noted streams for all projections alike) is for each of them.
 */
async function recordAppliedStreams(pool: Pool): Promise<void> {
  const noted = `SELECT p.name, s.stream_id, max(s.revision) AS revision
    FROM ${REBUILD}.applied_staging s
    JOIN ${REBUILD}.projection_checkpoints p ON p.checkpoint IS NOT NULL AND (s.projection IS NULL OR s.projection = p.name)
    GROUP BY p.name, s.stream_id`;
  // An update of the streams already recorded, then a plain insert of the others, rather than one
  // INSERT … ON CONFLICT: a replay's end records every stream anew (the scorecards' alone are
  // most of the log's streams, 904,706 at 1,000,000 events), and the plain insert took a median
  // 7.3 s of a rebuild against 11.3 s when every projection recorded every stream. The rebuild's
  // lock keeps other writers out between the two.
  await inTransaction(pool, async (client) => {
    await client.query(
      `UPDATE ${REBUILD}.applied_streams a SET revision = n.revision FROM (${noted}) n
       WHERE a.projection = n.name AND a.stream_id = n.stream_id AND a.revision < n.revision`,
    );
    await client.query(
      `INSERT INTO ${REBUILD}.applied_streams (projection, stream_id, revision)
       SELECT * FROM (${noted}) n
       WHERE NOT EXISTS (SELECT FROM ${REBUILD}.applied_streams a WHERE a.projection = n.name AND a.stream_id = n.stream_id)
       ORDER BY 1, 2`,
    );
    await client.query(`TRUNCATE ${REBUILD}.applied_staging`);
  });
}

/** Swaps the rebuilt schema in, with what the log gained since the replay applied first. */
async function swap(store: EventStore, client: ClientBase): Promise<void> {
  await transaction(client, async () => {
    // Serving runners wait here (their checkpoint update needs these rows) until the swap is done.
    await client.query(`LOCK TABLE ${READ_MODEL}.projection_checkpoints IN EXCLUSIVE MODE`);
    for (const projection of PROJECTIONS) await ProjectionRunner.applyRemaining(store, client, projection, REBUILD);
    // The scorecards feed must still hear of what the old tables changed or held and the new ones
    // lack (a tombstone for a scorecard that no longer exists).
    await client.query(
      `INSERT INTO ${REBUILD}.scorecard_changes (rep_id, grain, period)
       SELECT rep_id, grain, period FROM ${READ_MODEL}.scorecard_changes
       UNION SELECT rep_id, grain, period FROM ${READ_MODEL}.scorecards
       EXCEPT SELECT rep_id, grain, period FROM ${REBUILD}.scorecards
       ON CONFLICT DO NOTHING`,
    );
    await client.query(`DROP SCHEMA ${READ_MODEL} CASCADE`);
    await client.query(`ALTER SCHEMA ${REBUILD} RENAME TO ${READ_MODEL}`);
    await createReportingViews(client);
  });
}

/** The serving read model's tables. */
async function serving(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1`,
    [READ_MODEL],
  );
  return rows.map((row) => row.name);
}
