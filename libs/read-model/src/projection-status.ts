import type { Pool } from 'pg';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { PROJECTIONS } from './projections';

export interface ProjectionStatus {
  readonly name: string;
  readonly state: 'running' | 'failed' | 'not started';
  /** The highest position applied. */
  readonly position: number | null;
  readonly eventsApplied: number;
  /** Events in the log past the checkpoint (an upper bound: positions skip the ids of rolled-back appends). */
  readonly lagEvents: number;
  /** How much older the last applied event is than the last one in the log. */
  readonly lagSeconds: number;
  readonly updatedAt: string | null;
  /** Stored results applied but not yet settled (the stored scorecards BI reads); 0 once they caught up. */
  readonly unsettled: number;
  readonly failure: { position: number; eventType: string; error: string; at: string } | null;
}

/** Where each projection stands, with what it has yet to settle: for /health, /metrics and the admin route. */
export async function projectionStatuses(pool: Pool, store: EventStore): Promise<ProjectionStatus[]> {
  const [progress, unsettled] = await Promise.all([
    projectionProgress(pool, store),
    Promise.all(PROJECTIONS.map((p) => p.unsettled?.(pool, READ_MODEL) ?? 0)),
  ]);
  return progress.map((each, i) => ({ ...each, unsettled: unsettled[i] ?? 0 }));
}

/**
 * Where each projection stands, as its checkpoint row says: visible from any process on the
 * database. Cheaper than `projectionStatuses` (it counts no unsettled keys), for loops that ask often.
 */
export async function projectionProgress(
  pool: Pool,
  store: EventStore,
): Promise<Omit<ProjectionStatus, 'unsettled'>[]> {
  const [{ rows }, head] = await Promise.all([
    pool.query(`SELECT * FROM ${READ_MODEL}.projection_checkpoints`),
    store.head(),
  ]);
  const byName = new Map(rows.map((row) => [row.name as string, row]));
  return PROJECTIONS.map(({ name }) => {
    const row = byName.get(name);
    const position = row?.position == null ? null : Number(row.position);
    const behind = head !== null && (position === null || head.position > position);
    return {
      name,
      state: !row ? 'not started' : row.failed_position != null ? 'failed' : 'running',
      position,
      eventsApplied: Number(row?.events_applied ?? 0),
      lagEvents: head === null ? 0 : Math.max(0, head.position - (position ?? 0)),
      lagSeconds:
        behind && row?.recorded_at
          ? Math.max(0, (Date.parse(head.recordedAt) - (row.recorded_at as Date).getTime()) / 1000)
          : 0,
      updatedAt: row?.updated_at ? (row.updated_at as Date).toISOString() : null,
      failure:
        row?.failed_position != null
          ? {
              position: Number(row.failed_position),
              eventType: row.failed_event_type,
              error: row.failed_error,
              at: (row.failed_at as Date).toISOString(),
            }
          : null,
    };
  });
}
