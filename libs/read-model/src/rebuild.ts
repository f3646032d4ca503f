import type { Pool } from 'pg';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { inTransaction, migrateReadModel, READ_MODEL, REBUILD } from './database';
import { ProjectionRunner } from './projection-runner';
import { PROJECTIONS } from './projections';
import { createReportingViews } from './reporting';

export interface RebuildProgress {
  readonly applied: number;
  /** Events the log held past the rebuild's checkpoint when it started (an estimate). */
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
 * Returns false when stopped by the signal before the swap.
 */
export async function rebuildReadModel(
  store: EventStore,
  pool: Pool,
  url: string,
  { batchSize = 5000, onProgress, signal }: RebuildOptions = {},
): Promise<boolean> {
  await migrateReadModel(url, REBUILD);
  const runners = PROJECTIONS.map(
    (p) => new ProjectionRunner(store, pool, p, { schema: REBUILD, batchSize, deferDerivation: true }),
  );
  const { rows } = await pool.query(
    `SELECT min(coalesce(position, 0)) AS position FROM ${REBUILD}.projection_checkpoints`,
  );
  const head = await store.head();
  const total = Math.max(0, (head?.position ?? 0) - Number(rows[0]?.position ?? 0));
  let applied = 0;
  onProgress?.({ applied, total });
  for (const runner of runners) {
    for (;;) {
      if (signal?.aborted) return false;
      const page = await runner.catchUp(1);
      if (page === 0) break;
      applied += page;
      onProgress?.({ applied, total: Math.max(total, applied) });
    }
  }
  if (signal?.aborted) return false;
  await inTransaction(pool, async (client) => {
    for (const projection of PROJECTIONS) await projection.derive(client, REBUILD);
  });
  await inTransaction(pool, async (client) => {
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
  return true;
}
