import { InvalidInputError, type FieldProblem } from './errors';
import type { NewEvent } from './event';
import { serializeEvent, type SerializedEvent } from './event-hash';

// Lowercase only: stores hand ids back in lowercase, and the hash chain covers the id as written.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_TYPE_LENGTH = 200;
const MAX_STREAM_ID_LENGTH = 400;

/**
 * The rules every store enforces before writing, so an append is rejected whole and alike on every
 * adapter; returns the events serialised for the store. NUL characters are refused because
 * PostgreSQL's jsonb cannot hold them.
 */
export function serializeAppend(streamId: string, events: readonly NewEvent[]): SerializedEvent[] {
  const problems: FieldProblem[] = [];
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > MAX_STREAM_ID_LENGTH) {
    problems.push({ field: 'streamId', message: `must be 1 to ${MAX_STREAM_ID_LENGTH} characters` });
  } else if (streamId.includes('\u0000')) {
    problems.push({ field: 'streamId', message: 'must not contain NUL characters' });
  }
  if (events.length === 0) problems.push({ field: 'events', message: 'must not be empty' });
  const seen = new Set<string>();
  const serialized = events.map((event, i) => {
    const at = `events[${i}]`;
    problems.push(...eventProblems(event, at));
    if (seen.has(event.eventId)) problems.push({ field: `${at}.eventId`, message: 'is repeated in this append' });
    seen.add(event.eventId);
    return serializeChecked(streamId, event, at, problems);
  });
  if (problems.length > 0) throw new InvalidInputError(problems);
  return serialized as SerializedEvent[];
}

function eventProblems(event: NewEvent, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
    problems.push({ field: `${at}.eventId`, message: 'must be a lowercase UUID' });
  }
  if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > MAX_TYPE_LENGTH) {
    problems.push({ field: `${at}.type`, message: `must be 1 to ${MAX_TYPE_LENGTH} characters` });
  }
  if (!isPlainObject(event.data)) problems.push({ field: `${at}.data`, message: 'must be a JSON object' });
  if (!isPlainObject(event.metadata) || Number.isNaN(Date.parse(event.metadata.recordedAt))) {
    problems.push({ field: `${at}.metadata.recordedAt`, message: 'must be an ISO-8601 instant' });
  }
  return problems;
}

function serializeChecked(streamId: string, event: NewEvent, at: string, problems: FieldProblem[]) {
  try {
    const serialized = serializeEvent(streamId, event);
    if (serialized.data.includes('\\u0000') || serialized.metadata.includes('\\u0000')) {
      problems.push({ field: `${at}.data`, message: 'must not contain NUL characters' });
    }
    return serialized;
  } catch (error) {
    problems.push({ field: `${at}.data`, message: `is not JSON: ${(error as Error).message}` });
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
