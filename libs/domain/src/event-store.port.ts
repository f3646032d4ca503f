import type { DomainEvent } from './decider';
import { withDataJson, type Checkpoint, type NewEvent, type RecordedEvent, type RecordedEventJson } from './event';

/** A stored event of a known domain type. */
export type Recorded<E extends DomainEvent> = RecordedEvent & E;

/** `any`: append whatever the stream holds; `no-stream`: only to a new stream; n: only at revision n. */
export type ExpectedRevision = 'any' | 'no-stream' | number;

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the last event now in the stream: the expected revision for the next append. */
  readonly nextExpectedRevision: number;
  readonly positions: readonly number[];
}

/**
 * Word that the log has grown (an append of this process committed, or another process's was
 * announced), so a subscription waiting at the head reads at once instead of at its next poll.
 */
export interface LogWakeup {
  /** Appends heard so far: noted before a read, so one heard during the read is not missed. */
  readonly generation: number;
  /** Resolves at the first append heard after `generation`, after `ms` at the latest, or when the signal aborts. */
  wait(ms: number, signal: AbortSignal, generation: number): Promise<void>;
}

/** The forms a read of the log hands events over in: `json` leaves each event's data as the JSON text the store holds. */
export interface LogForms {
  readonly parsed: RecordedEvent;
  readonly json: RecordedEventJson;
}

export type LogForm = keyof LogForms;
export type LogEvent = LogForms[LogForm];

export interface SubscribeOptions {
  readonly from: Checkpoint | null;
  readonly signal: AbortSignal;
  readonly pageSize?: number;
  /** For adapters that poll: how long to wait at the head before reading again, unless `wakeup` says sooner. */
  readonly pollIntervalMs?: number;
  readonly wakeup?: LogWakeup;
}

/**
 * The event log. Every adapter passes the same contract suite (test/event-store): atomic appends
 * guarded by the expected revision, idempotent on event id, and a gap-free global order.
 */
export abstract class EventStore {
  /** Throws WrongExpectedRevisionError, ConflictError (event id used elsewhere) or InvalidInputError. */
  abstract append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;

  /**
   * Events of one stream from `fromRevision` on, in revision order; empty for an unknown stream.
   * `E` names the events the stream's aggregate emits: a stream only ever holds its decider's events.
   */
  abstract readStream<E extends DomainEvent = DomainEvent>(
    streamId: string,
    fromRevision?: number,
  ): Promise<Recorded<E>[]>;

  /** Up to `limit` events after `from` in global order. Never skips an event that commits later. */
  abstract readAll(from: Checkpoint | null, limit: number): Promise<RecordedEvent[]>;

  /** As `readAll`, each event's data left as the JSON text the store holds (stringified here for adapters that parse it). */
  async readAllJson(from: Checkpoint | null, limit: number): Promise<RecordedEventJson[]> {
    return (await this.readAll(from, limit)).map(withDataJson);
  }

  /** The last event of the log (its position and when it was recorded), or null when the log is empty. */
  abstract head(): Promise<{ position: number; recordedAt: string } | null>;

  /**
   * The log after `from` as it stands now, page by page (a short page is the last), each page read
   * while the caller handles the one before; in the `json` form, pages of `readAllJson`.
   */
  pages(from: Checkpoint | null, pageSize: number, form?: 'parsed'): AsyncGenerator<RecordedEvent[]>;
  pages(from: Checkpoint | null, pageSize: number, form: 'json'): AsyncGenerator<RecordedEventJson[]>;
  async *pages(from: Checkpoint | null, pageSize: number, form: LogForm = 'parsed'): AsyncGenerator<LogEvent[]> {
    const read = (after: Checkpoint | null): Promise<LogEvent[]> => {
      const page = form === 'json' ? this.readAllJson(after, pageSize) : this.readAll(after, pageSize);
      page.catch(() => undefined); // a failed read surfaces when its page is asked for
      return page;
    };
    let ahead = read(from);
    try {
      for (;;) {
        const page = await ahead;
        const last = page.at(-1);
        if (!last) return;
        if (page.length === pageSize) ahead = read(last.checkpoint);
        yield page;
        if (page.length < pageSize) return;
      }
    } finally {
      // A caller that stops early leaves a read under way: let it end before the store may close.
      await ahead.catch(() => undefined);
    }
  }

  /** Every event after `from`, in global order, until the signal aborts; resumable by checkpoint. */
  abstract subscribe(options: SubscribeOptions): AsyncIterable<RecordedEvent>;

  /** As `subscribe`, the events as `readAllJson` gives them. */
  async *subscribeJson(options: SubscribeOptions): AsyncIterable<RecordedEventJson> {
    for await (const event of this.subscribe(options)) yield withDataJson(event);
  }

  abstract close(): Promise<void>;
}
