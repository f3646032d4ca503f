import { type Money } from '../money';
import { daysOf, nextDay, periodRange, workingDaysBetween } from '../scorecards/grains';

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

/** Where a rep stands on a day, in cents: all the pace rule needs to decide, without the curve. */
export interface MonthStanding {
  readonly month: string;
  readonly targetCents: number;
  /** Everything sold this month up to `today`, today included, as the scorecard's `actual`. */
  readonly actualCents: number;
  /** `target × completed / total`, rounded half up to the cent, as the scorecard's `expectedToDate`. */
  readonly expectedCents: number;
  readonly workingDaysCompleted: number;
  readonly workingDaysInMonth: number;
}

export interface MonthPace {
  readonly month: string;
  readonly target: Money;
  readonly actual: Money;
  readonly expected: Money;
  readonly workingDaysCompleted: number;
  readonly workingDaysInMonth: number;
  readonly curve: PacePoint[];
  readonly positions: number[];
}

/** The month around a day, as every rep of one evaluation shares it. */
interface MonthCalendar {
  readonly month: string;
  readonly start: string;
  /** Every day from `start` until `today`, today excluded, in order. */
  readonly days: readonly string[];
  /** Working days before `today` (today's is not over yet), in order. */
  readonly completed: readonly string[];
  readonly total: number;
}

// One evaluation asks for the same day and the same holidays for every rep: work the month out once.
const calendars = new WeakMap<readonly string[], Map<string, MonthCalendar>>();

function monthCalendar(today: string, holidays: readonly string[]): MonthCalendar {
  const known = calendars.get(holidays) ?? new Map<string, MonthCalendar>();
  calendars.set(holidays, known);
  const cached = known.get(today);
  if (cached) return cached;
  const range = periodRange('month', today.slice(0, 7));
  const off = new Set(holidays);
  const days = daysOf({ start: range.start, end: today });
  const calendar = {
    month: range.period,
    start: range.start,
    days,
    completed: days.filter((day) => workingDaysBetween(day, nextDay(day), off) === 1),
    total: workingDaysBetween(range.start, range.end, off),
  };
  known.set(today, calendar);
  return calendar;
}

/**
 * Money as whole cents: amounts here are decimal strings with at most 2 places. The digits are
 * read as one integer, so no binary fraction is involved (an evaluation reads every sale of the
 * month of every rep through this).
 */
export function centsOf(money: Money): number {
  const dot = money.indexOf('.');
  if (dot === -1) return Number(money) * 100;
  const places = Math.min(2, money.length - dot - 1);
  const digits = Number(money.slice(0, dot) + money.slice(dot + 1, dot + 1 + places));
  return places === 2 ? digits : digits * (places === 1 ? 10 : 100);
}

export function moneyOf(cents: number): Money {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** `cents × part / whole`, rounded half up to the cent, in integers. */
const shareOf = (cents: number, part: number, whole: number): number =>
  Math.floor((2 * cents * part + whole) / (2 * whole));

/**
 * Where a rep stands against the month's target on `today`, with the same definitions as the
 * scorecard (docs/kpis.md), so an alert and the scorecard never disagree. Null without a target.
 */
export function monthStanding(month: MonthSales, today: string, holidays: readonly string[]): MonthStanding | null {
  if (month.target === null) return null;
  const calendar = monthCalendar(today, holidays);
  const targetCents = centsOf(month.target);
  let actualCents = 0;
  for (const sale of month.sales)
    if (sale.day >= calendar.start && sale.day <= today) actualCents += centsOf(sale.amount);
  return {
    month: calendar.month,
    targetCents,
    actualCents,
    expectedCents: shareOf(targetCents, calendar.completed.length, calendar.total || 1),
    workingDaysCompleted: calendar.completed.length,
    workingDaysInMonth: calendar.total,
  };
}

/** The standing with its day-by-day curve and the events behind it: only for a rep an alert is about. */
export function monthPace(month: MonthSales, today: string, holidays: readonly string[]): MonthPace | null {
  const standing = monthStanding(month, today, holidays);
  if (!standing) return null;
  const { completed, days, start, total } = monthCalendar(today, holidays);
  const sales = month.sales.filter((sale) => sale.day >= start && sale.day <= today);
  const soldOn = new Map<string, number>();
  for (const sale of sales) soldOn.set(sale.day, (soldOn.get(sale.day) ?? 0) + centsOf(sale.amount));
  // Completed working days are in order, so the running sum walks the month's days once.
  let sold = 0;
  let next = 0;
  const curve = completed.map((workingDay, i) => {
    for (; next < days.length && (days[next] as string) <= workingDay; next++)
      sold += soldOn.get(days[next] as string) ?? 0;
    return {
      day: workingDay,
      actual: moneyOf(sold),
      expected: moneyOf(shareOf(standing.targetCents, i + 1, total || 1)),
    };
  });
  return {
    month: standing.month,
    target: moneyOf(standing.targetCents),
    actual: moneyOf(standing.actualCents),
    expected: moneyOf(standing.expectedCents),
    workingDaysCompleted: standing.workingDaysCompleted,
    workingDaysInMonth: standing.workingDaysInMonth,
    curve,
    positions: [...new Set([...month.targetPositions, ...sales.flatMap((sale) => sale.positions)])].sort(
      (a, b) => a - b,
    ),
  };
}
