import type { RecordedEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';

/**
 * Appends a generated history to a real store, one append per stream with all its events (so
 * eight streams at a time can go in parallel). The log's order then differs from the generator's;
 * it stays a valid log, since every event only depends on earlier events of its own stream.
 */
export async function appendHistory(store: EventStore, events: readonly RecordedEvent[]): Promise<void> {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  const queue = [...byStream];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [stream, list] = next;
        await store.append(
          stream,
          list.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata })),
          'any',
        );
      }
    }),
  );
}
