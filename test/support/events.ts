import { randomUUID } from 'node:crypto';
import type { JsonObject, NewEvent } from '@salesledger/domain/event';

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
