import Big from 'big.js';
import { sumMoney, type Money } from '../money';
import { daysOf, periodRange, workingDaysBetween } from '../scorecards/grains';

/** Sold by the end of `day` against expected by then, for one completed working day. */
export type PacePoint = { day: string; actual: Money; expected: Money };

export interface MonthSales {
  /** Null when no target is set for the month. */
  readonly target: Money | null;
  /** Events behind the target: set, revised, approved. */
  readonly targetPositions: readonly number[];
  /** Net amounts by placed-at day, per order or per day, with the events behind them (placed, amended, cancelled). */
  readonly sales: readonly { readonly day: string; readonly amount: Money; readonly positions: readonly number[] }[];
}

export interface MonthPace {
  readonly month: string;
  readonly target: Money;
  /** Everything sold this month up to `today`, today included, as the scorecard's `actual`. */
  readonly actual: Money;
  /** `target × completed / total`, to the cent, as the scorecard's `expectedToDate`. */
  readonly expected: Money;
  readonly workingDaysCompleted: number;
  readonly workingDaysInMonth: number;
  readonly curve: PacePoint[];
  readonly positions: number[];
}

export const nextDay = (day: string): string => periodRange('day', day).end;

/**
 * Where a rep stands against the month's target on `today`, with the same definitions as the
 * scorecard (docs/kpis.md), so an alert and the scorecard never disagree. Null without a target.
 */
export function monthPace(month: MonthSales, today: string, holidays: readonly string[]): MonthPace | null {
  if (month.target === null) return null;
  const range = periodRange('month', today.slice(0, 7));
  const off = new Set(holidays);
  // Today does not count: its working day is not over yet.
  const completed = daysOf({ start: range.start, end: today }).filter(
    (day) => workingDaysBetween(day, nextDay(day), off) === 1,
  );
  const total = workingDaysBetween(range.start, range.end, off);
  const target = month.target;
  const expectedAfter = (days: number) =>
    new Big(target)
      .times(days)
      .div(total || 1)
      .round(2, Big.roundHalfUp)
      .toFixed(2);
  const sales = month.sales.filter((sale) => sale.day >= range.start && sale.day <= today);
  const soldBy = (day: string) => sumMoney(sales.filter((sale) => sale.day <= day).map((sale) => sale.amount));
  return {
    month: range.period,
    target,
    actual: soldBy(today),
    expected: expectedAfter(completed.length),
    workingDaysCompleted: completed.length,
    workingDaysInMonth: total,
    curve: completed.map((day, i) => ({ day, actual: soldBy(day), expected: expectedAfter(i + 1) })),
    positions: [...new Set([...month.targetPositions, ...sales.flatMap((sale) => sale.positions)])].sort(
      (a, b) => a - b,
    ),
  };
}
