import type { DomainEvent } from '@salesledger/domain/decider';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseError, type Pool } from 'pg';
import type { Checkpoint, NewEvent, RecordedEvent } from '@salesledger/domain/event';
import {
  EventStore,
  type AppendResult,
  type ExpectedRevision,
  type Recorded,
  type SubscribeOptions,
} from '@salesledger/domain/event-store.port';
import { ConflictError, InvalidInputError, WrongExpectedRevisionError } from '@salesledger/domain/errors';
import { serializeAppend } from '@salesledger/domain/event-validation';
import { serializeEvent, type SerializedEvent } from '@salesledger/domain/event-hash';
import type { StreamHead } from '@salesledger/domain/audit-verification';

interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  type: string;
  data: RecordedEvent['data'];
  metadata: RecordedEvent['metadata'];
  hash: string;
}

// transaction_id comes back as text (pg has no parser for xid8); it must not be cast here, or the
// ORDER BY below would bind to the text column and sort "10" before "9".
const EVENT_COLUMNS = `e.position, e.transaction_id, e.stream_id, e.stream_revision, e.event_id, e.type, e.data,
  e.metadata, encode(e.hash, 'hex') AS hash`;

// Only transactions older than every running one are read: none of them can still commit, so no
// event can later appear below the returned checkpoints.
const READ_ALL = `SELECT ${EVENT_COLUMNS} FROM event_store.events e
  WHERE (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
    AND e.transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
  ORDER BY e.transaction_id, e.position LIMIT $3`;

const START: readonly [string, string] = ['0', '0'];

export interface PostgresEventStoreOptions {
  /** How long an idle subscription waits before polling again. */
  readonly pollIntervalMs?: number;
}

export class PostgresEventStore extends EventStore {
  private readonly pollIntervalMs: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    super();
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const serialized = serializeAppend(streamId, events);
    try {
      const { rows } = await this.track(() =>
        this.pool.query<PositionRow>(appendQuery(streamId, events, expected, serialized)),
      );
      return toAppendResult(streamId, rows);
    } catch (error) {
      if (isRetryCandidate(error)) {
        const stored = await this.storedResult(streamId, events);
        if (stored) return stored;
      }
      throw translateAppendError(error, streamId, expected);
    }
  }

  /** The original result of an append whose events are all stored already; a conflict if only some are. */
  private async storedResult(streamId: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const { rows } = await this.track(() =>
      this.pool.query<PositionRow & { stream_id: string }>(
        `SELECT stream_id, stream_revision, position FROM event_store.events WHERE event_id = ANY($1::uuid[])
         ORDER BY stream_revision`,
        [events.map((e) => e.eventId)],
      ),
    );
    if (rows.length === 0) return undefined;
    if (rows.length < events.length || rows.some((row) => row.stream_id !== streamId)) {
      throw new ConflictError(`event ids of this append are already stored in another append (stream ${streamId})`);
    }
    return toAppendResult(streamId, rows);
  }

  async readStream<E extends DomainEvent>(streamId: string, fromRevision = 0): Promise<Recorded<E>[]> {
    // A stream id PostgreSQL cannot even store (a NUL character) names no stream.
    if (streamId.includes('\u0000')) return [];
    const { rows } = await this.track(() =>
      this.pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM event_store.events e WHERE e.stream_id = $1 AND e.stream_revision >= $2
         ORDER BY e.stream_revision`,
        [streamId, fromRevision],
      ),
    );
    // The store holds what deciders emitted; the stream's name says which decider.
    return rows.map(toRecordedEvent) as Recorded<E>[];
  }

  async readAll(from: Checkpoint | null, limit: number): Promise<RecordedEvent[]> {
    const [transactionId, position] = from ? parseCheckpoint(from) : START;
    const { rows } = await this.track(() =>
      this.pool.query<EventRow>({
        name: 'event_store.read_all',
        text: READ_ALL,
        values: [transactionId, position, limit],
      }),
    );
    return rows.map(toRecordedEvent);
  }

  async head(): Promise<{ position: number; recordedAt: string } | null> {
    const { rows } = await this.track(() =>
      this.pool.query<{ position: string; recorded_at: Date }>(
        'SELECT position, recorded_at FROM event_store.events ORDER BY position DESC LIMIT 1',
      ),
    );
    const row = rows[0];
    return row ? { position: Number(row.position), recordedAt: row.recorded_at.toISOString() } : null;
  }

  async *subscribe({ from, signal, pageSize = 1000 }: SubscribeOptions): AsyncIterable<RecordedEvent> {
    let checkpoint = from;
    while (!signal.aborted) {
      const page = await this.readAll(checkpoint, pageSize);
      for (const event of page) {
        yield event;
        checkpoint = event.checkpoint;
      }
      if (page.length < pageSize) await sleep(this.pollIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  async *streamHeads(): AsyncIterable<StreamHead> {
    let after = '';
    for (;;) {
      const { rows } = await this.pool.query<{ stream_id: string; revision: string; hash: string }>(
        `SELECT stream_id, revision, encode(head_hash, 'hex') AS hash FROM event_store.streams
         WHERE stream_id > $1 ORDER BY stream_id LIMIT 1000`,
        [after],
      );
      for (const row of rows) yield { streamId: row.stream_id, revision: Number(row.revision), hash: row.hash };
      const last = rows[rows.length - 1];
      if (!last) return;
      after = last.stream_id;
    }
  }

  /** Refuses new work, lets every started query finish, then closes the pool. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.pool.end();
  }

  private track<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    const query = run();
    this.inFlight.add(query);
    return query.finally(() => this.inFlight.delete(query));
  }
}

/** The single statement of an append; exported so tests can run it inside a transaction they hold open. */
export function appendQuery(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  serialized: readonly SerializedEvent[] = events.map((e) => serializeEvent(streamId, e)),
) {
  // One JSON document rather than arrays: the parts are already JSON, so this is concatenation,
  // where array parameters would escape every quote again.
  const documents = events.map(
    (e, i) =>
      `{"id":"${e.eventId}","type":${JSON.stringify(e.type)},"data":${serialized[i]?.data},"metadata":${serialized[i]?.metadata},"digest":"${serialized[i]?.digest.toString('hex')}"}`,
  );
  return {
    name: 'event_store.append',
    text: `SELECT a.*, pg_notify('salesledger_appended', '') FROM event_store.append_events($1, $2, $3) a`,
    values: [
      streamId,
      expected === 'any' ? null : expected === 'no-stream' ? -1 : expected,
      `[${documents.join(',')}]`,
    ],
  };
}

interface PositionRow {
  stream_revision: string;
  position: string;
}

function toAppendResult(streamId: string, rows: PositionRow[]): AppendResult {
  return {
    streamId,
    nextExpectedRevision: Number(rows[rows.length - 1]?.stream_revision),
    positions: rows.map((row) => Number(row.position)),
  };
}

/** A retried append fails on the revision check or on the unique event id; its events are then stored. */
function isRetryCandidate(error: unknown): boolean {
  return error instanceof DatabaseError && (error.code === 'SL001' || error.code === '23505');
}

function translateAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof DatabaseError)) return error;
  if (error.code === 'SL001') return new WrongExpectedRevisionError(streamId, String(expected), Number(error.detail));
  if (error.code === '23505')
    return new ConflictError(`an event id of this append is already stored (stream ${streamId})`);
  if (error.code?.startsWith('22')) return new InvalidInputError([{ field: 'events', message: error.message }]);
  return error;
}

function parseCheckpoint(checkpoint: Checkpoint): [string, string] {
  const match = /^(\d+)\/(\d+)$/.exec(checkpoint);
  if (!match)
    throw new InvalidInputError([{ field: 'checkpoint', message: `not a PostgreSQL checkpoint: ${checkpoint}` }]);
  return [match[1] as string, match[2] as string];
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: Number(row.stream_revision),
    position: Number(row.position),
    checkpoint: `${row.transaction_id}/${row.position}`,
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    hash: row.hash,
  };
}
