import type { DomainEvent } from '@salesledger/domain/decider';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseError, type Pool } from 'pg';
import type { Checkpoint, NewEvent, RecordedEvent, RecordedEventJson } from '@salesledger/domain/event';
import {
  EventStore,
  type AppendResult,
  type ExpectedRevision,
  type LogEvent,
  type LogForm,
  type LogForms,
  type Recorded,
  type SubscribeOptions,
} from '@salesledger/domain/event-store.port';
import { ConflictError, InvalidInputError, WrongExpectedRevisionError } from '@salesledger/domain/errors';
import { serializeAppend } from '@salesledger/domain/event-validation';
import { serializeEvent, type SerializedEvent } from '@salesledger/domain/event-hash';
import type { StreamHead } from '@salesledger/domain/audit-verification';
import { PostgresSealedLog } from './postgres-sealed-log';

interface EventRow {
  /** Null while the event waits to be sealed. */
  seq: string | null;
  position: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  type: string;
  /** One of the two, as the statement read it. */
  data: RecordedEvent['data'];
  data_json: string;
  metadata: RecordedEvent['metadata'];
  hash: string;
}

/** The event's columns, with `data` as given (parsed jsonb, or its text). */
const eventColumns = (data = 'e.data') => `e.position, e.stream_id, e.stream_revision, e.event_id, e.type, ${data},
  e.metadata, encode(e.hash, 'hex') AS hash`;
const EVENT_COLUMNS = eventColumns();

// The sealed log is the read order: the sealer hands out seq numbers serially and each sealing
// commits before the next begins, so a reader always sees a gap-free prefix of it. The lateral join
// keeps the plan a walk of the log's key with one lookup per event even when the log's statistics
// are stale (after a bulk seal the planner would otherwise hash-join the whole events table).
const readAllStatement = (columns: string) => `SELECT l.seq, ${columns}
  FROM (SELECT seq, position FROM event_store.log WHERE seq > $1 ORDER BY seq LIMIT $2) l
  CROSS JOIN LATERAL (SELECT * FROM event_store.events WHERE position = l.position) e
  ORDER BY l.seq`;

/** How each form of the log is read: its statement, and the event made of each row. */
const LOG_READS: {
  readonly [F in LogForm]: { readonly name: string; readonly text: string; toEvent(row: EventRow): LogForms[F] };
} = {
  parsed: { name: 'event_store.read_all', text: readAllStatement(EVENT_COLUMNS), toEvent: toRecordedEvent },
  // jsonb's text as PostgreSQL prints it: pg would otherwise parse it, for the relay to stringify it again.
  json: {
    name: 'event_store.read_all_json',
    text: readAllStatement(eventColumns('e.data::text AS data_json')),
    toEvent: toRecordedEventJson,
  },
};

export interface PostgresEventStoreOptions {
  /** How long an idle subscription waits before polling again. */
  readonly pollIntervalMs?: number;
}

/** The channel told after appends commit (no payload), for followers in other processes (LISTEN). */
export const APPENDED_CHANNEL = 'salesledger_appended';

const FIRST_RECHECK_MS = 5;

export class PostgresEventStore extends EventStore {
  private readonly pollIntervalMs: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;
  private announcing = false;
  private announceAgain = false;

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
      this.announce();
      return toAppendResult(streamId, rows);
    } catch (error) {
      if (isRetryCandidate(error)) {
        const stored = await this.storedResult(streamId, events);
        if (stored) return stored;
      }
      throw translateAppendError(error, streamId, expected);
    }
  }

  /**
   * NOTIFYs the channel after appends commit, in a statement of its own, one at a time: appends
   * that commit while one is in flight get one more after it. A NOTIFY inside the append would
   * hold PostgreSQL's notify lock through the append's commit, so appends from every connection
   * would commit one after another instead of sharing WAL flushes. Lost, it costs a poll interval.
   */
  private announce(): void {
    if (this.announcing) {
      this.announceAgain = true;
      return;
    }
    this.announcing = true;
    this.announceAgain = false;
    void this.track(() => this.pool.query(`NOTIFY ${APPENDED_CHANNEL}`))
      .catch(() => undefined)
      .finally(() => {
        this.announcing = false;
        if (this.announceAgain && !this.closed) this.announce();
      });
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
        `SELECT l.seq, ${EVENT_COLUMNS} FROM event_store.events e LEFT JOIN event_store.log l ON l.position = e.position
         WHERE e.stream_id = $1 AND e.stream_revision >= $2 ORDER BY e.stream_revision`,
        [streamId, fromRevision],
      ),
    );
    // The store holds what deciders emitted; the stream's name says which decider.
    return rows.map(toRecordedEvent) as Recorded<E>[];
  }

  readAll(from: Checkpoint | null, limit: number): Promise<RecordedEvent[]> {
    return this.readLog('parsed', from, limit);
  }

  override readAllJson(from: Checkpoint | null, limit: number): Promise<RecordedEventJson[]> {
    return this.readLog('json', from, limit);
  }

  /** Reads the sealed log; at its end, seals what has committed since and reads on. */
  private async readLog<F extends LogForm>(form: F, from: Checkpoint | null, limit: number): Promise<LogForms[F][]> {
    const after = from ? await this.seqOf(from) : '0';
    const page = await this.readSealed(form, after, limit);
    if (page.length >= limit || (await this.seal(limit - page.length)) === 0) return page;
    const last = page.at(-1)?.checkpoint ?? after;
    return [...page, ...(await this.readSealed(form, last, limit - page.length))];
  }

  /** Seals up to `limit` committed events (every one when null); returns how many. */
  async seal(limit: number | null): Promise<number> {
    const { rows } = await this.track(() =>
      this.pool.query<{ sealed: number }>({
        name: 'event_store.seal',
        text: 'SELECT event_store.seal_log($1) AS sealed',
        values: [limit],
      }),
    );
    return rows[0]?.sealed ?? 0;
  }

  private async readSealed<F extends LogForm>(form: F, after: string, limit: number): Promise<LogForms[F][]> {
    const { name, text, toEvent } = LOG_READS[form];
    const { rows } = await this.track(() => this.pool.query<EventRow>({ name, text, values: [after, limit] }));
    return rows.map(toEvent);
  }

  /** The seq a checkpoint stands for; checkpoints saved before the sealed log name an event's position. */
  private async seqOf(checkpoint: Checkpoint): Promise<string> {
    if (/^\d+$/.test(checkpoint)) return checkpoint;
    const position = /^\d+\/(\d+)$/.exec(checkpoint)?.[1];
    const lookUp = async () =>
      (
        await this.track(() =>
          this.pool.query<{ seq: string }>('SELECT seq FROM event_store.log WHERE position = $1', [position]),
        )
      ).rows[0]?.seq;
    const seq = position === undefined ? undefined : ((await lookUp()) ?? (await this.seal(null), await lookUp()));
    if (seq === undefined)
      throw new InvalidInputError([{ field: 'checkpoint', message: `not a PostgreSQL checkpoint: ${checkpoint}` }]);
    return seq;
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

  subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    return this.follow(options, (from, limit) => this.readAll(from, limit));
  }

  override subscribeJson(options: SubscribeOptions): AsyncIterable<RecordedEventJson> {
    return this.follow(options, (from, limit) => this.readAllJson(from, limit));
  }

  private async *follow<E extends LogEvent>(
    { from, signal, pageSize = 1000, pollIntervalMs = this.pollIntervalMs, wakeup }: SubscribeOptions,
    read: (from: Checkpoint | null, limit: number) => Promise<E[]>,
  ): AsyncIterable<E> {
    let checkpoint = from;
    let woken = false;
    let recheckMs = 0;
    while (!signal.aborted) {
      const heard = wakeup?.generation ?? 0;
      const page = await read(checkpoint, pageSize);
      for (const event of page) {
        yield event;
        checkpoint = event.checkpoint;
      }
      if (page.length === pageSize) continue;
      // After an append is heard, a read may not find its event yet: it waits to be sealed behind
      // an older transaction still open (the log keeps commit order), often the follower's own,
      // and no one announces that transaction's end. So while events come, the log is read again
      // soon, then at doubling intervals up to the poll's, rather than at the next append or poll.
      recheckMs =
        woken || page.length > 0
          ? Math.min(FIRST_RECHECK_MS, pollIntervalMs)
          : recheckMs > 0 && recheckMs * 2 < pollIntervalMs
            ? recheckMs * 2
            : 0;
      if (!wakeup) {
        await sleep(pollIntervalMs, undefined, { signal }).catch(() => undefined);
        continue;
      }
      await wakeup.wait(recheckMs || pollIntervalMs, signal, heard);
      woken = wakeup.generation !== heard;
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

  /** The whole log's chain, for audit verify and the worker's continuous check. */
  sealedLog(): PostgresSealedLog {
    return new PostgresSealedLog(this.pool);
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
    text: 'SELECT * FROM event_store.append_events($1, $2, $3)',
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

/** What every form of an event shares. */
function storedEvent(row: EventRow): Omit<RecordedEvent, 'data'> {
  return {
    streamId: row.stream_id,
    revision: Number(row.stream_revision),
    position: Number(row.position),
    // An unsealed event is named by its position, which seqOf resolves once it is sealed.
    checkpoint: row.seq ?? `0/${row.position}`,
    eventId: row.event_id,
    type: row.type,
    metadata: row.metadata,
    hash: row.hash,
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return { ...storedEvent(row), data: row.data };
}

function toRecordedEventJson(row: EventRow): RecordedEventJson {
  return { ...storedEvent(row), dataJson: row.data_json };
}
