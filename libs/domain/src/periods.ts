import Big from 'big.js';
import { DateTime } from 'luxon';
import { InvalidInputError } from './errors';
import type { Money } from './money';

export const ISO_WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** Monday 00:00 of an ISO week (`YYYY-Www`) in the company's time zone. */
export function weekStart(week: string, zone = 'utc'): DateTime {
  const start = ISO_WEEK.test(week) ? DateTime.fromISO(week, { zone }) : undefined;
  if (!start?.isValid)
    throw new InvalidInputError([{ field: 'week', message: 'must be an ISO week YYYY-Www that exists' }]);
  return start;
}

export const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Monday 00:00 (UTC) of the week after the one `day` (`YYYY-MM-DD`) falls in. */
export const mondayAfter = (day: string): DateTime =>
  DateTime.fromISO(day, { zone: 'utc' }).startOf('week').plus({ weeks: 1 });

/** Monday to Friday, minus the company's holidays. */
export const isWorkingDay = (day: DateTime, holidays: ReadonlySet<string>): boolean =>
  day.weekday <= 5 && !holidays.has(day.toISODate() as string);

export interface PeriodShare {
  /** `YYYY-Www` or `YYYY-MM-DD`. */
  readonly period: string;
  readonly workingDays: number;
  readonly amount: Money;
}

/**
 * A month's amount split over its weeks or working days. One rule for every reader (the breakdown
 * route and the scorecards alike, docs/domain.md "Week and day targets"): the month is split over
 * its working days to the cent, the leftover cents one each to the earliest working days, and a
 * week's share is the sum of its days in this month. Splitting the weeks on their own would round
 * twice and give a week a cent or two its days do not add up to.
 */
export function monthBreakdown(
  month: string,
  amount: Money,
  grain: 'week' | 'day',
  holidays: readonly string[],
): PeriodShare[] {
  const off = new Set(holidays);
  const start = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
  const days: DateTime[] = [];
  for (let day = start; day.month === start.month; day = day.plus({ days: 1 }))
    if (isWorkingDay(day, off)) days.push(day);
  // Equal weights: the largest-remainder tie-break by order hands the leftover cents to the earliest days.
  const cents = allocate(
    BigInt(new Big(amount).times(100).toFixed(0)),
    days.map(() => 1),
  );
  const groups = new Map<string, { workingDays: number; cents: bigint }>();
  days.forEach((day, i) => {
    const key = grain === 'day' ? (day.toISODate() as string) : day.toFormat("kkkk-'W'WW");
    const group = groups.get(key) ?? { workingDays: 0, cents: 0n };
    groups.set(key, { workingDays: group.workingDays + 1, cents: group.cents + (cents[i] as bigint) });
  });
  return [...groups].map(([period, group]) => ({
    period,
    workingDays: group.workingDays,
    amount: new Big(group.cents.toString()).div(100).toFixed(2),
  }));
}

/** Whole units split by weights, exactly: floor each share, then hand the rest to the largest remainders. */
export function allocate(total: bigint, weights: number[]): bigint[] {
  const sum = BigInt(weights.reduce((a, b) => a + b, 0));
  if (sum === 0n) return weights.map(() => 0n);
  const shares = weights.map((w) => (total * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => [(total * BigInt(w)) % sum, i] as const);
  remainders.sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] > b[0] ? -1 : 1));
  let left = total - shares.reduce((a, b) => a + b, 0n);
  for (const [, i] of remainders) {
    if (left === 0n) break;
    shares[i] = (shares[i] as bigint) + 1n;
    left--;
  }
  return shares;
}
