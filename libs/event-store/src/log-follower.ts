import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Checkpoint, RecordedEvent, RecordedEventJson } from '@salesledger/domain/event';
import type { EventStore, LogEvent, LogForm, LogWakeup } from '@salesledger/domain/event-store.port';

/** What follows the log: where it stands, and what it does with each page. */
export interface LogReader<E extends LogEvent = RecordedEvent> {
  /** Where to resume from: read when following starts, and again after a failed page. */
  checkpoint(): Promise<Checkpoint | null>;
  /**
   * Handles the page that follows `from`, and moves the checkpoint past it. Throwing hands the page
   * back: it is read again from `checkpoint()`, at once for CheckpointMoved, else after a pause.
   */
  handle(page: readonly E[], from: Checkpoint | null): Promise<void>;
  /**
   * Work for the gaps between pages: run whenever no event is in hand after a page (and at the
   * start), then every poll interval while none comes. A positive count says there is more: it runs
   * again at once unless an event has come meanwhile.
   */
  idle?(): Promise<number>;
}

/** Someone else (another replica, or a rebuild's swap) moved the checkpoint: resume from where it is now. */
export class CheckpointMoved extends Error {}

export interface FollowOptions {
  /** Names the follower in its log lines. */
  readonly name: string;
  readonly pageSize?: number;
  /** How long to wait at the head of the log before reading again, unless `wakeup` says sooner. */
  readonly pollIntervalMs?: number;
  /** How long to wait before trying a failed page (or an unreachable store) again. */
  readonly retryMs?: number;
  readonly wakeup?: LogWakeup;
  readonly log?: Logger;
}

/**
 * Follows the log from the reader's checkpoint until the signal aborts: the events of
 * `EventStore.subscribe`, handed over in pages of what has arrived, while the next page is read.
 * A page that fails is handed back and the subscription resumed from the reader's checkpoint, so
 * each page is handled at least once and, by a reader that checkpoints in the same transaction,
 * exactly once. Returns when the signal aborts, after the page in hand.
 */
export function followLog(
  store: EventStore,
  reader: LogReader,
  signal: AbortSignal,
  options: FollowOptions & { readonly form?: 'parsed' },
): Promise<void>;
/** The same, the pages in the json form (`EventStore.subscribeJson`). */
export function followLog(
  store: EventStore,
  reader: LogReader<RecordedEventJson>,
  signal: AbortSignal,
  options: FollowOptions & { readonly form: 'json' },
): Promise<void>;
export async function followLog<E extends LogEvent>(
  store: EventStore,
  reader: LogReader<E>,
  signal: AbortSignal,
  options: FollowOptions & { readonly form?: LogForm },
): Promise<void> {
  const pageSize = options.pageSize ?? 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 20;
  while (!signal.aborted) {
    const subscription = new AbortController();
    const stop = () => subscription.abort();
    signal.addEventListener('abort', stop, { once: true });
    let pages: PageBuffer<E> | undefined;
    try {
      let from = await reader.checkpoint();
      const subscribing = { from, signal: subscription.signal, pageSize, pollIntervalMs, wakeup: options.wakeup };
      const events = (
        options.form === 'json' ? store.subscribeJson(subscribing) : store.subscribe(subscribing)
      ) as AsyncIterable<E>;
      pages = new PageBuffer(events, pageSize);
      // How long to wait for an event before the idle work runs: not at all after a page, so a
      // steady trickle of events cannot keep it from running.
      const busy = reader.idle ? 0 : undefined;
      let quietMs = busy;
      while (!signal.aborted) {
        const page = await pages.take(quietMs, signal);
        if (page.length === 0) {
          if (reader.idle && !signal.aborted) quietMs = (await reader.idle()) > 0 ? 0 : pollIntervalMs;
          continue;
        }
        await reader.handle(page, from);
        from = (page.at(-1) as E).checkpoint;
        quietMs = busy;
      }
    } catch (error) {
      if (error instanceof CheckpointMoved) continue;
      // Aborted, it is not retrying: whoever aborted it says why.
      const next = signal.aborted ? '' : '; retrying';
      options.log?.error({ err: error, follower: options.name }, `${options.name} stopped${next}`);
      await sleep(options.retryMs ?? 1000, undefined, { signal }).catch(() => undefined);
    } finally {
      signal.removeEventListener('abort', stop);
      subscription.abort();
      await pages?.close();
    }
  }
}

/**
 * Gathers a subscription's events into pages of at most `size`, reading one page ahead: while the
 * reader handles a page, the next is read into the buffer.
 */
class PageBuffer<E> {
  private buffer: E[] = [];
  private failure: { readonly error: unknown } | undefined;
  private ended = false;
  private closed = false;
  private arrived?: () => void;
  private drained?: () => void;
  private readonly pump: Promise<void>;

  constructor(
    events: AsyncIterable<E>,
    private readonly size: number,
  ) {
    this.pump = this.fill(events);
  }

  /**
   * The events in hand, at most a page, once at least one has arrived: after `ms` (or when the
   * signal aborts) an empty page instead. A failed read is thrown once the events before it are taken.
   */
  async take(ms: number | undefined, signal: AbortSignal): Promise<E[]> {
    if (this.buffer.length === 0 && !this.ended) await this.arrival(ms, signal);
    // A page read from the store arrives an event at a time: let the rest of it come in.
    if (this.buffer.length > 0 && this.buffer.length < this.size) await nextTurn();
    if (this.buffer.length === 0 && this.failure) throw this.failure.error;
    const page = this.buffer.splice(0, this.size);
    this.drained?.();
    return page;
  }

  /** Stops reading (the subscription's signal must be aborted too) and waits for the read under way. */
  async close(): Promise<void> {
    this.closed = true;
    this.drained?.();
    await this.pump;
  }

  private arrival(ms: number | undefined, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.arrived = undefined;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.arrived = done;
    });
  }

  private async fill(events: AsyncIterable<E>): Promise<void> {
    try {
      for await (const event of events) {
        if (this.closed) break;
        this.buffer.push(event);
        this.arrived?.();
        if (this.buffer.length >= this.size) await new Promise<void>((resolve) => (this.drained = resolve));
        this.drained = undefined;
        if (this.closed) break;
      }
      if (!this.closed) throw new Error('the log subscription ended');
    } catch (error) {
      if (!this.closed) this.failure = { error };
    } finally {
      this.ended = true;
      this.arrived?.();
    }
  }
}
