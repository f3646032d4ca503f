import {
  addDays,
  addMonths,
  addQuarters,
  addWeeks,
  addYears,
  formatISO,
  getISOWeek,
  getISOWeekYear,
  getQuarter,
  parseISO,
  setISOWeek,
  setISOWeekYear,
  startOfISOWeek,
} from 'date-fns';

export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The API's period name of the period of `grain` holding `date` (local calendar day). */
export function periodOf(grain: Grain, date: Date): string {
  switch (grain) {
    case 'day':
      return formatISO(date, { representation: 'date' });
    case 'week':
      return `${getISOWeekYear(date)}-W${pad(getISOWeek(date))}`;
    case 'month':
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;
    case 'quarter':
      return `${date.getFullYear()}-Q${getQuarter(date)}`;
    case 'year':
      return String(date.getFullYear());
  }
}

/** The first day of a period, as a local date. */
export function startOf(grain: Grain, period: string): Date {
  switch (grain) {
    case 'day':
      return parseISO(period);
    case 'week': {
      const [year, week] = period.split('-W').map(Number);
      return startOfISOWeek(setISOWeek(setISOWeekYear(new Date(year as number, 0, 4), year as number), week as number));
    }
    case 'month':
      return parseISO(`${period}-01`);
    case 'quarter': {
      const [year, quarter] = period.split('-Q').map(Number);
      return new Date(year as number, ((quarter as number) - 1) * 3, 1);
    }
    case 'year':
      return new Date(Number(period), 0, 1);
  }
}

const STEP: Record<Grain, (date: Date, n: number) => Date> = {
  day: addDays,
  week: addWeeks,
  month: addMonths,
  quarter: addQuarters,
  year: addYears,
};

/** The period `n` periods after (negative: before) the given one. */
export const shiftPeriod = (grain: Grain, period: string, n: number): string =>
  periodOf(grain, STEP[grain](startOf(grain, period), n));

/** The `count` periods ending with `period`, oldest first. */
export const lastPeriods = (grain: Grain, period: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => shiftPeriod(grain, period, i - count + 1));

const PATTERNS: Record<Grain, RegExp> = {
  day: /^\d{4}-\d{2}-\d{2}$/,
  week: /^\d{4}-W\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
};

export const isPeriod = (grain: Grain, period: string): boolean => PATTERNS[grain].test(period);

/** Today's period in the company's time zone (UTC, docs/kpis.md), whatever the browser's zone. */
export const currentPeriod = (grain: Grain, now = new Date()): string =>
  periodOf(grain, new Date(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
