import { DateTime } from 'luxon';
import { InvalidInputError } from './errors';

export const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** Monday 00:00 of an ISO week (`YYYY-Www`) in the company's time zone. */
export function weekStart(week: string, zone = 'utc'): DateTime {
  const start = ISO_WEEK.test(week) ? DateTime.fromISO(week, { zone }) : undefined;
  if (!start?.isValid)
    throw new InvalidInputError([{ field: 'week', message: 'must be an ISO week YYYY-Www that exists' }]);
  return start;
}
