import { randomUUID } from 'node:crypto';
import type { JsonObject, NewEvent, RecordedEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';

export function newEvent(type = 'VisitLogged', data: JsonObject = { note: 'hello' }): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      actor: { userId: 'user-1', role: 'rep' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      recordedAt: '2026-03-02T09:30:00.000Z',
    },
  };
}

export const newEvents = (count: number): NewEvent[] => Array.from({ length: count }, (_, i) => newEvent('T', { i }));

export const uniqueStream = (prefix = 'rep'): string => `${prefix}-${randomUUID()}`;

/** The whole log as it stands, in read order; only the events of `type` when one is given. */
export async function logEvents(store: EventStore, type?: string, pageSize = 1000): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  for await (const page of store.pages(null, pageSize))
    for (const event of page) if (type === undefined || event.type === type) found.push(event);
  return found;
}
