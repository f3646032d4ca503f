import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientBase, Pool } from 'pg';
import type { Logger } from 'pino';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { inTransaction, READ_MODEL } from './database';

export interface Projection {
  readonly name: string;
  /** Applies a batch in the caller's transaction; throwing rolls the whole batch back. */
  apply(client: ClientBase, schema: string, events: readonly RecordedEvent[]): Promise<void>;
}

export interface RunnerOptions {
  readonly schema?: string;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** How long to wait before trying a failed event (or an unreachable database) again. */
  readonly retryMs?: number;
  readonly log?: Logger;
}

/** Someone else (another replica, or a rebuild's swap) moved the checkpoint: re-read it and go on. */
class CheckpointMoved extends Error {}

/**
 * Feeds a projection from the log: a page of events, applied and checkpointed in one read-model
 * transaction, so a crash or a redelivery never loses or double counts. The checkpoint is compared
 * and set in that transaction, so two runners on one database never apply the same page twice.
 * An event the projection cannot apply stops it there, recorded with its position, type and error
 * (see /health, /metrics, GET /v1/admin/projections); it is retried until a fix gets past it.
 */
export class ProjectionRunner {
  private readonly schema: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryMs: number;
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly projection: Projection,
    options: RunnerOptions = {},
  ) {
    this.schema = options.schema ?? READ_MODEL;
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 20;
    this.retryMs = options.retryMs ?? 2000;
    this.log = options.log;
  }

  private readonly log?: Logger;

  start(): void {
    this.loop ??= this.run();
  }

  /** Lets the batch in hand commit, then returns. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** Applies everything in the log now; returns how many events it applied. For rebuilds and tests. */
  async catchUp(): Promise<number> {
    let applied = 0;
    let checkpoint = await this.checkpoint();
    for (;;) {
      const page = await this.store.readAll(checkpoint, this.batchSize);
      if (page.length === 0) return applied;
      checkpoint = await this.applyPage(page, checkpoint);
      applied += page.length;
    }
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    let checkpoint: string | null | undefined;
    while (!signal.aborted) {
      try {
        if (checkpoint === undefined) checkpoint = await this.checkpoint();
        const page = await this.store.readAll(checkpoint, this.batchSize);
        if (page.length === 0) {
          await sleep(this.pollIntervalMs, undefined, { signal }).catch(() => undefined);
          continue;
        }
        checkpoint = await this.applyPage(page, checkpoint);
      } catch (error) {
        checkpoint = undefined;
        if (error instanceof CheckpointMoved) continue;
        this.log?.error({ err: error, projection: this.projection.name }, 'projection stopped; retrying');
        await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async checkpoint(): Promise<string | null> {
    const { rows } = await this.pool.query(
      `INSERT INTO ${this.schema}.projection_checkpoints (name) VALUES ($1)
       ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING checkpoint`,
      [this.projection.name],
    );
    return rows[0].checkpoint;
  }

  /** One transaction for the page; if it fails, event by event, to commit what applies and name what does not. */
  private async applyPage(page: RecordedEvent[], from: string | null): Promise<string> {
    try {
      return await this.commit(page, from);
    } catch (error) {
      if (error instanceof CheckpointMoved || page.length === 1) {
        if (page.length === 1 && !(error instanceof CheckpointMoved)) await this.recordFailure(page[0] as RecordedEvent, error);
        throw error;
      }
    }
    let checkpoint = from;
    for (const event of page) checkpoint = await this.applyPage([event], checkpoint);
    return checkpoint as string;
  }

  private async commit(page: RecordedEvent[], from: string | null): Promise<string> {
    const last = page.at(-1) as RecordedEvent;
    await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query(
        `SELECT checkpoint FROM ${this.schema}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
        [this.projection.name],
      );
      if ((rows[0]?.checkpoint ?? null) !== from) throw new CheckpointMoved();
      await this.projection.apply(client, this.schema, page);
      await client.query(
        `UPDATE ${this.schema}.projection_checkpoints SET checkpoint = $2, position = $3, recorded_at = $4,
           events_applied = events_applied + $5, updated_at = now(),
           failed_position = NULL, failed_event_type = NULL, failed_error = NULL, failed_at = NULL
         WHERE name = $1`,
        [this.projection.name, last.checkpoint, last.position, last.metadata.recordedAt, page.length],
      );
    });
    return last.checkpoint;
  }

  private async recordFailure(event: RecordedEvent, error: unknown): Promise<void> {
    await this.pool
      .query(
        `UPDATE ${this.schema}.projection_checkpoints
         SET failed_position = $2, failed_event_type = $3, failed_error = $4, failed_at = now() WHERE name = $1`,
        [this.projection.name, event.position, event.type, error instanceof Error ? error.message : String(error)],
      )
      .catch(() => undefined); // the database itself may be what failed; the log still has it
  }
}
