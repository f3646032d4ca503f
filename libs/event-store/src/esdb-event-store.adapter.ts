import type { DomainEvent } from '@salesledger/domain/decider';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type Position,
  type ReadStreamOptions,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { Checkpoint, EventMetadata, JsonObject, NewEvent, RecordedEvent } from '@salesledger/domain/event';
import {
  EventStore,
  type AppendResult,
  type ExpectedRevision,
  type Recorded,
  type SubscribeOptions,
} from '@salesledger/domain/event-store.port';
import { ConflictError, InvalidInputError, WrongExpectedRevisionError } from '@salesledger/domain/errors';
import { serializeAppend } from '@salesledger/domain/event-validation';
import { chainHash, type SerializedEvent } from '@salesledger/domain/event-hash';

// ESDB has no index by event id, so a retry is recognised only while its events are among the last
// IDEMPOTENCY_WINDOW of the stream; an older retry is appended again (or refused by its revision).
const IDEMPOTENCY_WINDOW = 100;
const APPEND_ATTEMPTS = 5;

type StoredMetadata = EventMetadata & { readonly chainHash: string };

/**
 * EventStoreDB adapter (server 22.6 or later: older servers give stream reads no log position).
 * The hash chain is computed here, so every append is made at the exact revision it was chained to.
 */
export class EsdbEventStore extends EventStore {
  constructor(private readonly client: EventStoreDBClient) {
    super();
  }

  static connect(url: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(url));
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const serialized = serializeAppend(streamId, events);
    for (let attempt = 1; ; attempt++) {
      const tail = await this.read(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: IDEMPOTENCY_WINDOW });
      const stored = storedResult(streamId, events, tail);
      if (stored) return stored;
      const actual = tail[0]?.revision ?? -1;
      if (expected === 'no-stream' ? actual !== -1 : expected !== 'any' && expected !== actual) {
        throw new WrongExpectedRevisionError(streamId, String(expected), actual);
      }
      try {
        return await this.appendAfter(streamId, events, serialized, tail[0]);
      } catch (error) {
        // Re-reading after a lost race reports the revision that won, or recognises a concurrent retry.
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= APPEND_ATTEMPTS)
          throw new WrongExpectedRevisionError(streamId, String(expected), revisionOf(error));
      }
    }
  }

  async readStream<E extends DomainEvent>(streamId: string, fromRevision = 0): Promise<Recorded<E>[]> {
    // The store holds what deciders emitted; the stream's name says which decider.
    return (await this.read(streamId, { fromRevision: BigInt(Math.max(0, Math.ceil(fromRevision))) })) as Recorded<E>[];
  }

  async readAll(from: Checkpoint | null, limit: number): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    for (let after = from; found.length < limit;) {
      const maxCount = limit - found.length + 1;
      const page = await collect(this.client.readAll({ fromPosition: positionOf(after), maxCount }));
      // fromPosition is inclusive: the event at the checkpoint was delivered with the previous page.
      const fresh = page.filter((event) => checkpointOf(event.position) !== after && isOurs(event));
      found.push(...fresh.slice(0, limit - found.length).map(toRecordedEvent));
      const last = page.at(-1);
      if (!last || page.length < maxCount) return found;
      after = checkpointOf(last.position);
    }
    return found;
  }

  async head(): Promise<{ position: number; recordedAt: string } | null> {
    for await (const { event } of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 50 })) {
      if (event && isOurs(event)) {
        const recorded = toRecordedEvent(event);
        return { position: recorded.position, recordedAt: recorded.metadata.recordedAt };
      }
    }
    return null;
  }

  async *subscribe({ from, signal }: SubscribeOptions): AsyncIterable<RecordedEvent> {
    if (signal.aborted) return;
    const subscription = this.client.subscribeToAll({ fromPosition: positionOf(from), filter: excludeSystemEvents() });
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= subscription
        .unsubscribe()
        .catch(() => undefined)
        .finally(() => subscription.destroy()));
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const { event } of subscription) {
        if (signal.aborted) return;
        if (event && isOurs(event) && checkpointOf(event.position) !== from) yield toRecordedEvent(event);
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', stop);
      await stop();
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async read(streamId: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    try {
      return (await collect(this.client.readStream(streamId, options))).map(toRecordedEvent);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /** Chains the events to `head` and appends them only if `head` is still the stream's last event. */
  private async appendAfter(
    streamId: string,
    events: readonly NewEvent[],
    serialized: readonly SerializedEvent[],
    head: RecordedEvent | undefined,
  ) {
    const first = (head?.revision ?? -1) + 1;
    let previous: Buffer | null = head ? Buffer.from(head.hash, 'hex') : null;
    const data = events.map((event, i) => {
      const hash = chainHash(previous, (serialized[i] as SerializedEvent).digest, first + i);
      previous = hash;
      const metadata: StoredMetadata = { ...event.metadata, chainHash: hash.toString('hex') };
      return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata });
    });
    const expectedRevision = head ? BigInt(head.revision) : NO_STREAM;
    const result = await this.client.appendToStream(streamId, data, { expectedRevision });
    if (!result.success) {
      // Only with throwOnAppendFailure=false in the connection string (then `current` may be wrong).
      const current = result.nextExpectedRevision < 0n ? NO_STREAM : result.nextExpectedRevision;
      throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected: expectedRevision, current });
    }
    // The append reply holds one position for the whole batch; each event's is read back.
    const written = await this.read(streamId, { fromRevision: BigInt(first), maxCount: events.length });
    return resultOf(streamId, written);
  }
}

async function collect<E>(read: AsyncIterable<{ event?: E }>): Promise<E[]> {
  const found: E[] = [];
  for await (const { event } of read) if (event) found.push(event);
  return found;
}

function storedResult(streamId: string, events: readonly NewEvent[], tail: RecordedEvent[]): AppendResult | null {
  const byId = new Map(tail.map((event) => [event.eventId.toLowerCase(), event]));
  const stored = events.flatMap((event) => byId.get(event.eventId.toLowerCase()) ?? []);
  if (stored.length === 0) return null;
  if (stored.length < events.length) {
    throw new ConflictError(`some but not all event ids of this append are already stored in stream ${streamId}`);
  }
  return resultOf(streamId, stored);
}

function resultOf(streamId: string, events: RecordedEvent[]): AppendResult {
  return {
    streamId,
    nextExpectedRevision: (events.at(-1) as RecordedEvent).revision,
    positions: events.map((event) => event.position),
  };
}

function revisionOf(error: WrongExpectedVersionError): number {
  return error.actualVersion === NO_STREAM ? -1 : Number(error.actualVersion);
}

function isOurs(event: EsdbRecordedEvent): boolean {
  return !event.type.startsWith('$') && !event.streamId.startsWith('$');
}

function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.position) throw new Error('EventStoreDB 22.6 or later is required (events read without a position)');
  if (!event.isJson) throw new Error(`event ${event.id} in ${event.streamId} is not JSON`);
  const { chainHash: hash, ...metadata } = (event.metadata ?? {}) as unknown as StoredMetadata;
  if (typeof hash !== 'string') throw new Error(`event ${event.id} in ${event.streamId} has no chain hash`);
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position.prepare),
    checkpoint: checkpointOf(event.position),
    eventId: event.id,
    type: event.type,
    data: event.data as JsonObject,
    metadata,
    hash,
  };
}

function checkpointOf(position: Position): Checkpoint {
  return `${position.commit}/${position.prepare}`;
}

function positionOf(checkpoint: Checkpoint | null): Position | typeof START {
  if (checkpoint === null) return START;
  const match = /^(\d+)\/(\d+)$/.exec(checkpoint);
  if (!match)
    throw new InvalidInputError([{ field: 'checkpoint', message: `not an EventStoreDB checkpoint: ${checkpoint}` }]);
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
}
