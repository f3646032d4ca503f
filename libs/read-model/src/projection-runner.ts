import type { ClientBase, Pool } from 'pg';
import type { Logger } from 'pino';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { EventStore, LogWakeup } from '@salesledger/domain/event-store.port';
import { CheckpointMoved, followLog } from '@salesledger/event-store/log-follower';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { inTransaction } from '@salesledger/postgres/pool';

export interface Projection {
  readonly name: string;
  /**
   * Whether `apply` takes this event. The others pass the projection by: no stream revision of
   * theirs is looked up or kept for it, which spares the projections of a few event types a
   * lookup and a row per stream of every other event.
   */
  applies(event: RecordedEvent): boolean;
  /** Applies a batch in the caller's transaction; throwing rolls the whole batch back. */
  apply(client: ClientBase, schema: string, events: readonly RecordedEvent[]): Promise<void>;
  /** Computes what the batches applied since the last call left to derive (kept in the schema, so crash-safe). */
  derive(client: ClientBase, schema: string): Promise<void>;
  /**
   * Work `derive` left pending that readers of the checkpoint need not wait for, done in a
   * transaction of its own after the batch commits (see Settler); a rebuild runs it before the swap.
   */
  settle?(client: ClientBase, schema: string): Promise<void>;
  /** How many results `derive` left for `settle`: how far what `settle` writes trails the checkpoint. */
  unsettled?(db: Pool | ClientBase, schema: string): Promise<number>;
}

/** Derives and settles all that a projection's applied batches left, in the caller's transaction (a rebuild, a spec). */
export async function deriveAll(client: ClientBase, schema: string, projection: Projection): Promise<void> {
  await projection.derive(client, schema);
  await projection.settle?.(client, schema);
}

export interface RunnerOptions {
  readonly schema?: string;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** How long to wait before trying a failed event (or an unreachable database) again. */
  readonly retryMs?: number;
  /** Woken by this process's appends, the runner reads at once instead of at its next poll. */
  readonly wakeup?: LogWakeup;
  readonly log?: Logger;
}

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
  private readonly retryMs: number;
  private readonly stopping = new AbortController();
  private readonly settler: Settler;
  private loop?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly projection: Projection,
    private readonly options: RunnerOptions = {},
  ) {
    this.schema = options.schema ?? READ_MODEL;
    this.batchSize = options.batchSize ?? 1000;
    this.retryMs = options.retryMs ?? 2000;
    this.settler = new Settler(pool, projection, this.schema, { retryMs: this.retryMs, log: options.log });
  }

  start(): void {
    // Settles what a stopped or killed runner left pending, then after every batch.
    this.settler.poke();
    this.loop ??= this.run();
  }

  /** Lets the batch in hand commit and the settling under way finish, then returns. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.settler.stop();
  }

  /** Applies what the log holds now and settles it; returns how many events it applied. */
  async catchUp(): Promise<number> {
    let applied = 0;
    let checkpoint = await this.checkpoint();
    for await (const page of this.store.pages(checkpoint, this.batchSize)) {
      checkpoint = await this.applyPage(page, checkpoint);
      applied += page.length;
    }
    await this.settler.settleNow();
    return applied;
  }

  /** Applies everything left in the log inside the caller's transaction (a rebuild's swap). */
  static async applyRemaining(
    store: EventStore,
    client: ClientBase,
    projection: Projection,
    schema: string,
  ): Promise<void> {
    const { rows } = await client.query(
      `SELECT checkpoint FROM ${schema}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
      [projection.name],
    );
    for await (const page of store.pages(rows[0]?.checkpoint ?? null, 1000))
      await applyAndCheckpoint(client, schema, projection, page);
    await deriveAll(client, schema, projection);
  }

  private run(): Promise<void> {
    return followLog(
      this.store,
      {
        checkpoint: () => this.checkpoint(),
        handle: async (page, from) => void (await this.applyPage(page, from)),
      },
      this.stopping.signal,
      {
        name: `projection ${this.projection.name}`,
        pageSize: this.batchSize,
        pollIntervalMs: this.options.pollIntervalMs ?? 20,
        retryMs: this.retryMs,
        wakeup: this.options.wakeup,
        log: this.options.log,
      },
    );
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
  private async applyPage(page: readonly RecordedEvent[], from: string | null): Promise<string> {
    try {
      return await this.commit(page, from);
    } catch (error) {
      if (error instanceof CheckpointMoved || page.length === 1) {
        if (page.length === 1 && !(error instanceof CheckpointMoved))
          await this.recordFailure(page[0] as RecordedEvent, error);
        throw error;
      }
    }
    let checkpoint = from;
    for (const event of page) checkpoint = await this.applyPage([event], checkpoint);
    return checkpoint as string;
  }

  private async commit(page: readonly RecordedEvent[], from: string | null): Promise<string> {
    await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query(
        `SELECT checkpoint FROM ${this.schema}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
        [this.projection.name],
      );
      if ((rows[0]?.checkpoint ?? null) !== from) throw new CheckpointMoved();
      await applyAndCheckpoint(client, this.schema, this.projection, page);
      await this.projection.derive(client, this.schema);
    });
    this.settler.poke();
    return (page.at(-1) as RecordedEvent).checkpoint;
  }

  private recordFailure(event: RecordedEvent, error: unknown): Promise<void> {
    return recordProjectionFailure(this.pool, this.projection.name, event, error, this.schema);
  }
}

/**
 * Runs a projection's `settle` in transactions of its own, beside the batches rather than between
 * them: poked after each commit, one run at a time, pokes during a run coalesced into one more run.
 * The pending work lives in the schema, so a failed or interrupted run is retried from there.
 */
export class Settler {
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly projection: Projection,
    private readonly schema = READ_MODEL,
    private readonly options: { readonly retryMs?: number; readonly log?: Logger } = {},
  ) {}

  /** Settles soon, without waiting. */
  poke(): void {
    if (!this.projection.settle || this.stopped) return;
    if (this.running) this.again = true;
    else this.running = this.run();
  }

  /** Settles everything pending now, and waits for it. */
  async settleNow(): Promise<void> {
    if (!this.projection.settle) return;
    await this.running;
    await this.settleOnce();
  }

  /** Lets the run under way finish, and the one it was asked for after it; no more after that. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.running;
    if (this.again)
      await this.settleOnce().catch((error: unknown) =>
        this.options.log?.error({ err: error, projection: this.projection.name }, 'settling failed; left pending'),
      );
  }

  private settleOnce(): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      await this.projection.settle?.(client, this.schema);
    });
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.settleOnce();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.options.log?.error({ err: error, projection: this.projection.name }, 'settling failed; retrying');
      if (!this.stopped) this.retry = setTimeout(() => this.poke(), this.options.retryMs ?? 2000);
    } finally {
      this.running = undefined;
    }
  }
}

/** Names the event a projection stopped on (cleared by the next batch that commits). */
export async function recordProjectionFailure(
  pool: Pool,
  projection: string,
  event: RecordedEvent,
  error: unknown,
  schema = READ_MODEL,
): Promise<void> {
  await pool
    .query(
      `UPDATE ${schema}.projection_checkpoints
       SET failed_position = $2, failed_event_type = $3, failed_error = $4, failed_at = now() WHERE name = $1`,
      [projection, event.position, event.type, error instanceof Error ? error.message : String(error)],
    )
    .catch(() => undefined); // the database itself may be what failed; the log still has it
}

/**
 * Applies a page of the log and moves the projection's checkpoint past it, in the caller's
 * transaction. `unapplied`: the caller knows the projection holds none of the page (a rebuild's
 * replay with every projection at one checkpoint), so no stream's revision is looked up or noted;
 * the caller then keeps `applied_streams` whole itself, for the events the projection applies.
 */
export async function applyAndCheckpoint(
  client: ClientBase,
  schema: string,
  projection: Projection,
  page: readonly RecordedEvent[],
  { unapplied = false } = {},
): Promise<void> {
  const last = page.at(-1) as RecordedEvent;
  const fresh = unapplied
    ? page.filter((event) => projection.applies(event))
    : await skipApplied(client, schema, projection, page);
  if (fresh.length > 0) await projection.apply(client, schema, fresh);
  await client.query(
    `UPDATE ${schema}.projection_checkpoints SET checkpoint = $2, position = greatest(position, $3), recorded_at = $4,
       events_applied = events_applied + $5, updated_at = now(),
       failed_position = NULL, failed_event_type = NULL, failed_error = NULL, failed_at = NULL
     WHERE name = $1`,
    // The log is ordered by commit, not by position: keep the highest position applied, which is
    // what "caught up" is measured against.
    [
      projection.name,
      last.checkpoint,
      Math.max(...page.map((e) => e.position)),
      last.metadata.recordedAt,
      fresh.length,
    ],
  );
}

/**
 * Applies events as a broker delivers them: in order within a stream, in any order across streams,
 * and at least once. The checkpoint row is locked as the log runner locks it, so replicas (and a
 * rebuild's swap) take turns and each sees the facts the others committed; its `checkpoint` is left
 * alone, because a partitioned feed has no single resume point (the broker keeps the offsets).
 */
export async function applyDelivered(
  pool: Pool,
  projection: Projection,
  events: readonly RecordedEvent[],
  schema = READ_MODEL,
): Promise<number> {
  if (events.length === 0) return 0;
  return inTransaction(pool, async (client) => {
    // Created if need be and locked for this transaction in one statement.
    await client.query(
      `INSERT INTO ${schema}.projection_checkpoints (name) VALUES ($1)
       ON CONFLICT (name) DO UPDATE SET name = excluded.name`,
      [projection.name],
    );
    const fresh = await skipApplied(client, schema, projection, events);
    if (fresh.length > 0) {
      await projection.apply(client, schema, fresh);
      await projection.derive(client, schema);
    }
    // The events it does not apply move its position too: it has caught up with them. Moved only
    // forwards, so a redelivery changes nothing.
    const last = events.reduce((a, b) => (b.position > a.position ? b : a));
    await client.query(
      `UPDATE ${schema}.projection_checkpoints SET position = greatest(position, $2),
         recorded_at = greatest(recorded_at, $3), events_applied = events_applied + $4, updated_at = now(),
         failed_position = NULL, failed_event_type = NULL, failed_error = NULL, failed_at = NULL
       WHERE name = $1`,
      [projection.name, last.position, last.metadata.recordedAt, fresh.length],
    );
    return fresh.length;
  });
}

/**
 * The events the projection applies and has not applied yet, judged by each stream's last applied
 * revision, which is then moved on: whichever way events arrive (the log, or a redelivering
 * broker), none counts twice.
 */
async function skipApplied(
  client: ClientBase,
  schema: string,
  projection: Projection,
  events: readonly RecordedEvent[],
): Promise<RecordedEvent[]> {
  const own = events.filter((event) => projection.applies(event));
  if (own.length === 0) return [];
  const streamIds = [...new Set(own.map((e) => e.streamId))];
  const { rows } = await client.query(
    `SELECT stream_id, revision FROM ${schema}.applied_streams WHERE projection = $1 AND stream_id = ANY($2)`,
    [projection.name, streamIds],
  );
  const applied = new Map<string, number>(rows.map((row) => [row.stream_id as string, row.revision as number]));
  const fresh = own.filter((event) => {
    if (event.revision <= (applied.get(event.streamId) ?? -1)) return false;
    applied.set(event.streamId, event.revision);
    return true;
  });
  if (fresh.length > 0) {
    const moved = [...new Set(fresh.map((e) => e.streamId))];
    await client.query(
      `INSERT INTO ${schema}.applied_streams SELECT $1, * FROM unnest($2::text[], $3::int[])
       ON CONFLICT (projection, stream_id) DO UPDATE SET revision = excluded.revision`,
      [projection.name, moved, moved.map((id) => applied.get(id))],
    );
  }
  return fresh;
}
