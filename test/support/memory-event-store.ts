import type { DomainEvent } from '@salesledger/domain/decider';
import { WrongExpectedRevisionError } from '@salesledger/domain/errors';
import type { Checkpoint, NewEvent, RecordedEvent } from '@salesledger/domain/event';
import { chainHash } from '@salesledger/domain/event-hash';
import { serializeAppend } from '@salesledger/domain/event-validation';
import {
  EventStore,
  type AppendResult,
  type ExpectedRevision,
  type Recorded,
} from '@salesledger/domain/event-store.port';

/**
 * The event store in memory, for specs that need real recorded events (metadata, hash chain) without
 * a database. Single writer only: it keeps none of the concurrency guarantees the contract suite proves.
 */
export class MemoryEventStore extends EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    const stored = stream.filter((e) => events.some((n) => n.eventId === e.eventId));
    if (stored.length > 0) return result(streamId, stored);
    const revision = stream.length - 1;
    if (expected !== 'any' && (expected === 'no-stream' ? revision !== -1 : expected !== revision))
      throw new WrongExpectedRevisionError(streamId, String(expected), revision);
    const serialized = serializeAppend(streamId, events);
    let previous: Buffer | null = stream.length > 0 ? Buffer.from((stream.at(-1) as RecordedEvent).hash, 'hex') : null;
    const recorded = events.map((event, i) => {
      const hash = chainHash(previous, serialized[i]!.digest, revision + 1 + i);
      previous = hash;
      const position = this.log.length + 1;
      const record = { ...event, streamId, revision: revision + 1 + i, position, checkpoint: String(position) };
      this.log.push({ ...record, hash: hash.toString('hex') });
      return this.log.at(-1) as RecordedEvent;
    });
    this.streams.set(streamId, [...stream, ...recorded]);
    return result(streamId, recorded);
  }

  async readStream<E extends DomainEvent>(streamId: string, fromRevision = 0): Promise<Recorded<E>[]> {
    return (this.streams.get(streamId) ?? []).filter((event) => event.revision >= fromRevision) as Recorded<E>[];
  }

  async readAll(from: Checkpoint | null, limit: number): Promise<RecordedEvent[]> {
    const after = from === null ? 0 : Number(from);
    return this.log.filter((event) => event.position > after).slice(0, limit);
  }

  async head(): Promise<{ position: number; recordedAt: string } | null> {
    const last = this.log.at(-1);
    return last ? { position: last.position, recordedAt: last.metadata.recordedAt } : null;
  }

  /** What the log holds when called; it does not wait for more. */
  async *subscribe({ from }: { from: Checkpoint | null }): AsyncIterable<RecordedEvent> {
    yield* await this.readAll(from, Number.MAX_SAFE_INTEGER);
  }

  async close(): Promise<void> {}
}

const result = (streamId: string, events: RecordedEvent[]): AppendResult => ({
  streamId,
  nextExpectedRevision: (events.at(-1) as RecordedEvent).revision,
  positions: events.map((event) => event.position),
});
