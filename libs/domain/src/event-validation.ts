import { InvalidInputError, type FieldProblem } from './errors';
import type { NewEvent } from './event';

// Lowercase only: stores hand ids back in lowercase, and the hash chain covers the id as written.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_TYPE_LENGTH = 200;
const MAX_STREAM_ID_LENGTH = 400;

/**
 * The rules every store enforces before writing, so an append is rejected whole and alike on every
 * adapter. NUL characters are refused because PostgreSQL's jsonb cannot hold them.
 */
export function assertValidAppend(streamId: string, events: readonly NewEvent[]): void {
  const problems: FieldProblem[] = [];
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > MAX_STREAM_ID_LENGTH) {
    problems.push({ field: 'streamId', message: `must be 1 to ${MAX_STREAM_ID_LENGTH} characters` });
  }
  if (events.length === 0) problems.push({ field: 'events', message: 'must not be empty' });
  const seen = new Set<string>();
  events.forEach((event, i) => {
    problems.push(...eventProblems(event, `events[${i}]`));
    if (seen.has(event.eventId)) problems.push({ field: `events[${i}].eventId`, message: 'is repeated in this append' });
    seen.add(event.eventId);
  });
  if (problems.length > 0) throw new InvalidInputError(problems);
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
  else if (JSON.stringify(event.data).includes('\\u0000')) {
    problems.push({ field: `${at}.data`, message: 'must not contain NUL characters' });
  }
  if (!isPlainObject(event.metadata) || Number.isNaN(Date.parse(event.metadata.recordedAt))) {
    problems.push({ field: `${at}.metadata.recordedAt`, message: 'must be an ISO-8601 instant' });
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
