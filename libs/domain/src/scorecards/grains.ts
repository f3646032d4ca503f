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

/** The calendar the product supports: dates outside it are refused as input, not computed on. */
export const SUPPORTED_YEARS = { first: 1900, last: 2999 } as const;

export function assertSupportedYear(year: number, field: string): void {
  if (year < SUPPORTED_YEARS.first || year > SUPPORTED_YEARS.last)
    throw new InvalidInputError([
      { field, message: `must be within the years ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}` },
    ]);
}

export function periodRange(grain: Grain, period: string): PeriodRange {
  if (FORMATS[grain].pattern.test(period)) assertSupportedYear(Number(period.slice(0, 4)), 'period');
  const start = FORMATS[grain].pattern.test(period) ? parseStart(grain, period) : NaN;
  const range = Number.isNaN(start) ? undefined : periodContaining(grain, start);
  if (!range || range.period !== period)
    throw new InvalidInputError([{ field: 'period', message: `must be a ${grain} written ${FORMATS[grain].example}` }]);
  return range;
}

/** The period of each grain that contains a day. */
export function periodsOf(day: string): PeriodRange[] {
  const ms = Date.parse(day);
  return GRAINS.map((grain) => periodContaining(grain, ms));
}

/** The period just before, for `growthRate`. */
export function previousPeriod(range: PeriodRange): PeriodRange {
  return periodContaining(range.grain, Date.parse(range.start) - DAY_MS);
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
  return periodContaining(range.grain, Date.parse(range.end));
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

const DAY_MS = 86_400_000;
const isWeekday = (ms: number) => {
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/**
 * Monday to Friday minus holidays, from `start` (inclusive) to `end` (exclusive). Counted by
 * arithmetic, not day by day: projections count the working days of thousands of periods.
 */
export function workingDaysBetween(start: string, end: string, holidays: ReadonlySet<string>): number {
  const from = Date.parse(start);
  const days = Math.round((Date.parse(end) - from) / DAY_MS);
  if (days <= 0) return 0;
  let count = Math.floor(days / 7) * 5;
  for (let i = days - (days % 7); i < days; i++) if (isWeekday(from + i * DAY_MS)) count++;
  for (const holiday of holidays) if (holiday >= start && holiday < end && isWeekday(Date.parse(holiday))) count--;
  return count;
}

/** The calendar days of a range, in order. */
export function daysOf(range: Pick<PeriodRange, 'start' | 'end'>): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(range.start); ms < Date.parse(range.end); ms += DAY_MS) days.push(iso(ms));
  return days;
}

/** The day after a day (both 'YYYY-MM-DD'). */
export const nextDay = (day: string): string => iso(Date.parse(day) + DAY_MS);

/** The company's calendar day of an instant: UTC, for the scorecards and the alerts alike. */
export function dayOf(instant: string): string {
  if (instant !== lastDayOf.instant) lastDayOf = { instant, day: iso(Date.parse(instant)) };
  return lastDayOf.day;
}
// An alert evaluation asks for the day of one instant, its `now`, for every rule of every rep.
let lastDayOf: { instant: string | undefined; day: string } = { instant: undefined, day: '' };

// Plain UTC arithmetic rather than a date library: projections place thousands of days in periods.
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');

/** Monday of ISO week 1 of a year: the week with the year's first Thursday. */
function isoWeekOne(year: number): number {
  const fourth = Date.UTC(year, 0, 4);
  return fourth - ((new Date(fourth).getUTCDay() + 6) % 7) * DAY_MS;
}

function parseStart(grain: Grain, period: string): number {
  const year = Number(period.slice(0, 4));
  switch (grain) {
    case 'day': {
      const ms = Date.parse(period);
      return Number.isNaN(ms) ? NaN : ms;
    }
    case 'week':
      return isoWeekOne(year) + (Number(period.slice(6)) - 1) * 7 * DAY_MS;
    case 'month':
      return Date.UTC(year, Number(period.slice(5)) - 1, 1);
    case 'quarter':
      return Date.UTC(year, (Number(period.slice(6)) - 1) * 3, 1);
    case 'year':
      return Date.UTC(year, 0, 1);
  }
}

// Rebuilds and settling ask for the periods of the same few hundred days again and again (a
// third of a rebuild's own work was formatting these dates): each is worked out once. Bounded, for
// a long-running process that meets many days.
const KNOWN_PERIODS = new Map<Grain, Map<number, PeriodRange>>(GRAINS.map((grain) => [grain, new Map()]));
const KNOWN_PERIODS_PER_GRAIN = 50_000;

/** The period of a grain that contains the instant `ms` (a UTC midnight). */
function periodContaining(grain: Grain, ms: number): PeriodRange {
  const known = KNOWN_PERIODS.get(grain) as Map<number, PeriodRange>;
  let range = known.get(ms);
  if (!range) {
    if (known.size >= KNOWN_PERIODS_PER_GRAIN) known.clear();
    range = workOutPeriod(grain, ms);
    known.set(ms, range);
  }
  return range;
}

function workOutPeriod(grain: Grain, ms: number): PeriodRange {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (grain) {
    case 'day':
      return { grain, period: iso(ms), start: iso(ms), end: iso(ms + DAY_MS) };
    case 'week': {
      const monday = ms - ((date.getUTCDay() + 6) % 7) * DAY_MS;
      const weekYear = new Date(monday + 3 * DAY_MS).getUTCFullYear();
      const week = Math.round((monday - isoWeekOne(weekYear)) / (7 * DAY_MS)) + 1;
      return { grain, period: `${weekYear}-W${pad(week)}`, start: iso(monday), end: iso(monday + 7 * DAY_MS) };
    }
    case 'month':
      return {
        grain,
        period: `${year}-${pad(month + 1)}`,
        start: iso(Date.UTC(year, month, 1)),
        end: iso(Date.UTC(year, month + 1, 1)),
      };
    case 'quarter': {
      const first = Math.floor(month / 3) * 3;
      return {
        grain,
        period: `${year}-Q${first / 3 + 1}`,
        start: iso(Date.UTC(year, first, 1)),
        end: iso(Date.UTC(year, first + 3, 1)),
      };
    }
    case 'year':
      return { grain, period: String(year), start: iso(Date.UTC(year, 0, 1)), end: iso(Date.UTC(year + 1, 0, 1)) };
  }
}
