import { DateTime } from 'luxon';
import { InvalidInputError } from '../errors';

export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

/** A period of a grain as dates: `start` inclusive, `end` exclusive, both `YYYY-MM-DD` in the company zone (UTC). */
export interface PeriodRange {
  readonly grain: Grain;
  readonly period: string;
  readonly start: string;
  readonly end: string;
}

const FORMATS: Record<Grain, { pattern: RegExp; example: string }> = {
  day: { pattern: /^\d{4}-\d{2}-\d{2}$/, example: 'YYYY-MM-DD' },
  week: { pattern: /^\d{4}-W\d{2}$/, example: 'YYYY-Www' },
  month: { pattern: /^\d{4}-\d{2}$/, example: 'YYYY-MM' },
  quarter: { pattern: /^\d{4}-Q[1-4]$/, example: 'YYYY-Qn' },
  year: { pattern: /^\d{4}$/, example: 'YYYY' },
};

const SPAN: Record<Grain, 'days' | 'weeks' | 'months' | 'quarters' | 'years'> = {
  day: 'days',
  week: 'weeks',
  month: 'months',
  quarter: 'quarters',
  year: 'years',
};

export function periodRange(grain: Grain, period: string): PeriodRange {
  const start = FORMATS[grain].pattern.test(period) ? parseStart(grain, period) : undefined;
  if (!start?.isValid || label(grain, start) !== period)
    throw new InvalidInputError([{ field: 'period', message: `must be a ${grain} written ${FORMATS[grain].example}` }]);
  return rangeFrom(grain, start);
}

/** The period of each grain that contains a day. */
export function periodsOf(day: string): PeriodRange[] {
  const date = DateTime.fromISO(day, { zone: 'utc' });
  return GRAINS.map((grain) => rangeFrom(grain, date.startOf(grain === 'week' ? 'week' : grain)));
}

/** The period just before, for `growthRate`. */
export function previousPeriod(range: PeriodRange): PeriodRange {
  return rangeFrom(range.grain, startOf(range).minus({ [SPAN[range.grain]]: 1 }));
}

/**
 * The same period a year earlier, for `yoyGrowth`: same date, same ISO week number, month,
 * quarter; null where it does not exist (29 February, week 53).
 */
export function yearAgoPeriod(range: PeriodRange): PeriodRange | null {
  return shiftYears(range, -1);
}

/** The period that follows: the one whose growth depends on this one. */
export function nextPeriod(range: PeriodRange): PeriodRange {
  return rangeFrom(range.grain, startOf(range).plus({ [SPAN[range.grain]]: 1 }));
}

/** The period a year later: the one whose year-over-year growth depends on this one. */
export function yearLaterPeriod(range: PeriodRange): PeriodRange | null {
  return shiftYears(range, 1);
}

function shiftYears(range: PeriodRange, years: number): PeriodRange | null {
  try {
    return periodRange(range.grain, `${Number(range.period.slice(0, 4)) + years}${range.period.slice(4)}`);
  } catch {
    return null;
  }
}

/** Monday to Friday minus holidays, from `start` (inclusive) to `end` (exclusive). */
export function workingDaysBetween(start: string, end: string, holidays: ReadonlySet<string>): number {
  let count = 0;
  const last = DateTime.fromISO(end, { zone: 'utc' });
  for (let day = DateTime.fromISO(start, { zone: 'utc' }); day < last; day = day.plus({ days: 1 }))
    if (day.weekday <= 5 && !holidays.has(day.toISODate() as string)) count++;
  return count;
}

/** The calendar days of a range, in order. */
export function daysOf(range: Pick<PeriodRange, 'start' | 'end'>): string[] {
  const days: string[] = [];
  const last = DateTime.fromISO(range.end, { zone: 'utc' });
  for (let day = DateTime.fromISO(range.start, { zone: 'utc' }); day < last; day = day.plus({ days: 1 }))
    days.push(day.toISODate() as string);
  return days;
}

function parseStart(grain: Grain, period: string): DateTime {
  switch (grain) {
    case 'quarter':
      return DateTime.fromObject(
        { year: Number(period.slice(0, 4)), month: (Number(period.slice(6)) - 1) * 3 + 1, day: 1 },
        { zone: 'utc' },
      );
    case 'year':
      return DateTime.fromObject({ year: Number(period), month: 1, day: 1 }, { zone: 'utc' });
    default:
      return DateTime.fromISO(period, { zone: 'utc' });
  }
}

function label(grain: Grain, start: DateTime): string {
  switch (grain) {
    case 'day':
      return start.toISODate() as string;
    case 'week':
      return start.toFormat("kkkk-'W'WW");
    case 'month':
      return start.toFormat('yyyy-MM');
    case 'quarter':
      return `${start.year}-Q${start.quarter}`;
    case 'year':
      return String(start.year);
  }
}

const startOf = (range: PeriodRange) => DateTime.fromISO(range.start, { zone: 'utc' });

function rangeFrom(grain: Grain, start: DateTime): PeriodRange {
  return {
    grain,
    period: label(grain, start),
    start: start.toISODate() as string,
    end: start.plus({ [SPAN[grain]]: 1 }).toISODate() as string,
  };
}
