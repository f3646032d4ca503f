import type { ClientBase } from 'pg';
import {
  previousPeriod,
  workingDaysBetween,
  yearAgoPeriod,
  type PeriodRange,
} from '@salesledger/domain/scorecards/grains';
import {
  DEFAULT_TEMPLATE,
  deriveScorecard,
  type BaseFigures,
  type Scorecard,
  type ScorecardTemplate,
} from '@salesledger/domain/scorecards/kpis';
import { dayFiguresSql } from './day-figures';

/** Whose figures: one rep, the reps of a team on each day they were in it, or everyone. */
export type Scope = { readonly repIds: readonly string[] } | { readonly teamId: string } | 'company';

/** The stored inputs of scorecards over a span of days, for one scope, as known at one instant. */
export interface DayData {
  readonly days: readonly DayRow[];
  readonly reviews: readonly { repId: string; month: string; score: number }[];
  readonly responses: readonly { repId: string; day: string; minutes: number }[];
  readonly holidays: ReadonlySet<string>;
  readonly template: ScorecardTemplate;
}

interface DayRow {
  readonly repId: string;
  readonly day: string;
  readonly figures: Omit<BaseFigures, 'reviewScoreSum' | 'reviewCount' | 'medianResponseMinutes'>;
}

/**
 * Loads what scorecards over [from, to) need. `asOf` null reads the projected rep_days; an instant
 * recomputes the day figures from the facts as they were recorded up to it.
 */
export async function loadDayData(
  client: ClientBase,
  schema: string,
  scope: Scope,
  from: string,
  to: string,
  asOf: Date | null,
): Promise<DayData> {
  const at = asOf ?? 'infinity';
  const members = membersSql(schema, scope);
  const dayRows = asOf
    ? await client.query(
        `WITH members AS (${members.sql}),
         keys AS (SELECT m.rep_id, d::date AS day FROM members m,
           generate_series(greatest(m.from_day, $${members.params.length + 1}::date), least(m.to_day, $${members.params.length + 2}::date) - 1, '1 day') d)
         SELECT rep_id, array_agg(day) AS days FROM keys GROUP BY rep_id`,
        [...members.params, from, to],
      )
    : undefined;
  let days;
  if (dayRows) {
    const reps: string[] = [];
    const dates: string[] = [];
    for (const row of dayRows.rows as { rep_id: string; days: Date[] }[])
      for (const day of row.days) {
        reps.push(row.rep_id);
        dates.push(isoDay(day));
      }
    days = (await client.query(dayFiguresSql(schema), [reps, dates, at])).rows;
  } else {
    const p = members.params.length;
    days = (
      await client.query(
        `WITH members AS (${members.sql})
         SELECT d.* FROM ${schema}.rep_days d JOIN members m ON m.rep_id = d.rep_id
           AND d.day >= greatest(m.from_day, $${p + 1}::date) AND d.day < least(m.to_day, $${p + 2}::date)`,
        [...members.params, from, to],
      )
    ).rows;
  }
  const p = members.params.length;
  // One after another: a pg client runs one query at a time (queueing several is deprecated).
  const reviews = await client.query(
    `WITH members AS (${members.sql})
       SELECT r.rep_id, r.month, r.score FROM ${schema}.reviews r JOIN members m ON m.rep_id = r.rep_id
         AND to_date(r.month, 'YYYY-MM') >= greatest(m.from_day, $${p + 1}::date)
         AND to_date(r.month, 'YYYY-MM') < least(m.to_day, $${p + 2}::date)
       WHERE r.recorded_at <= $${p + 3}`,
    [...members.params, from, to, at],
  );
  const responses = await client.query(
    `WITH members AS (${members.sql})
       SELECT r.rep_id, r.received_on, r.response_minutes FROM ${schema}.requests r JOIN members m ON m.rep_id = r.rep_id
         AND r.received_on >= greatest(m.from_day, $${p + 1}::date) AND r.received_on < least(m.to_day, $${p + 2}::date)
       WHERE r.answered_recorded_at <= $${p + 3}`,
    [...members.params, from, to, at],
  );
  const holidays = await client.query(
    `SELECT day FROM ${schema}.holidays WHERE recorded_at <= $1 AND (superseded_at IS NULL OR superseded_at > $1)`,
    [at],
  );
  const template = await client.query(
    `SELECT version, weights FROM ${schema}.scorecard_templates WHERE recorded_at <= $1 ORDER BY version DESC LIMIT 1`,
    [at],
  );
  const templateRow = template.rows[0] as { version: number; weights: ScorecardTemplate['weights'] } | undefined;
  return {
    days: days.map((row) => ({
      repId: row.rep_id,
      day: isoDay(row.day),
      figures: {
        target: row.target,
        actual: row.actual,
        orders: row.orders,
        newCustomers: row.new_customers,
        prospectsDeveloped: row.prospects_developed,
        salesVisits: row.sales_visits,
        existingCustomerVisits: row.existing_customer_visits,
        lostCustomers: row.lost_customers,
        papersDue: row.papers_due,
        papersOnTime: row.papers_on_time,
        requestsClosed: row.requests_closed,
        requestsWithinSla: row.requests_within_sla,
      },
    })),
    reviews: reviews.rows.map((row) => ({ repId: row.rep_id, month: row.month, score: row.score })),
    responses: responses.rows.map((row) => ({
      repId: row.rep_id,
      day: isoDay(row.received_on),
      minutes: row.response_minutes,
    })),
    holidays: new Set(holidays.rows.map((row) => isoDay(row.day))),
    template: templateRow ?? DEFAULT_TEMPLATE,
  };
}

/** The day span a scorecard of `range` reads: the period, the one before, and the one a year earlier. */
export function spanOf(range: PeriodRange): { from: string; to: string } {
  const yearAgo = yearAgoPeriod(range);
  return { from: (yearAgo ?? previousPeriod(range)).start, to: range.end };
}

/** The scorecard of the reps in `data` (one rep, or the sum of a team's) for a period, as of `now`. */
export function scorecardFrom(data: DayData, range: PeriodRange, now: Date): Scorecard & { readonly active: boolean } {
  const sums = daySums(data);
  const figures = figuresOver(data, sums, range);
  const yearAgo = yearAgoPeriod(range);
  const today = isoDay(now);
  const elapsedEnd = today < range.start ? range.start : today > range.end ? range.end : today;
  const scorecard = deriveScorecard({
    range,
    figures: figures.figures,
    previousActual: figuresOver(data, sums, previousPeriod(range)).figures.actual,
    yearAgoActual: yearAgo ? figuresOver(data, sums, yearAgo).figures.actual : null,
    workingDays: {
      total: workingDaysBetween(range.start, range.end, data.holidays),
      elapsed: workingDaysBetween(range.start, elapsedEnd, data.holidays),
    },
    template: data.template,
  });
  return { ...scorecard, active: figures.active };
}

const COUNTS = [
  'orders',
  'newCustomers',
  'prospectsDeveloped',
  'salesVisits',
  'existingCustomerVisits',
  'lostCustomers',
  'papersDue',
  'papersOnTime',
  'requestsClosed',
  'requestsWithinSla',
] as const;

/** Running totals by day (money in cents), so any period's sum is two lookups: thousands of periods stay cheap. */
interface DaySums {
  readonly days: string[];
  /** totals[i][c]: column c summed over the first i rows; columns: target, actual, then COUNTS. */
  readonly totals: Float64Array[];
}

const sumsCache = new WeakMap<DayData, DaySums>();

function daySums(data: DayData): DaySums {
  const cached = sumsCache.get(data);
  if (cached) return cached;
  const rows = [...data.days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const totals = [new Float64Array(COUNTS.length + 2)];
  for (const { figures } of rows) {
    const next = Float64Array.from(totals.at(-1) as Float64Array);
    next[0] = (next[0] as number) + cents(figures.target);
    next[1] = (next[1] as number) + cents(figures.actual);
    COUNTS.forEach((key, i) => (next[i + 2] = (next[i + 2] as number) + figures[key]));
    totals.push(next);
  }
  const sums = { days: rows.map((r) => r.day), totals };
  sumsCache.set(data, sums);
  return sums;
}

const cents = (money: string) => Math.round(Number(money) * 100);
const money = (value: number) => (value / 100).toFixed(2);

/** The index of the first day on or after `day`. */
function lowerBound(days: string[], day: string): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((days[middle] as string) < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Sums the day figures in a range; reviews count only for whole months. `active`: anything there at all. */
function figuresOver(data: DayData, sums: DaySums, range: PeriodRange): { figures: BaseFigures; active: boolean } {
  const from = sums.totals[lowerBound(sums.days, range.start)] as Float64Array;
  const toIndex = lowerBound(sums.days, range.end);
  const to = sums.totals[toIndex] as Float64Array;
  const total = (column: number) => (to[column] as number) - (from[column] as number);
  const monthly = range.grain === 'month' || range.grain === 'quarter' || range.grain === 'year';
  const reviews = monthly
    ? data.reviews.filter((r) => `${r.month}-01` >= range.start && `${r.month}-01` < range.end)
    : [];
  const minutes = data.responses
    .filter((r) => r.day >= range.start && r.day < range.end)
    .map((r) => r.minutes)
    .sort((a, b) => a - b);
  const counts = Object.fromEntries(COUNTS.map((key, i) => [key, total(i + 2)])) as Record<
    (typeof COUNTS)[number],
    number
  >;
  return {
    active: toIndex > lowerBound(sums.days, range.start) || reviews.length > 0,
    figures: {
      ...counts,
      target: money(total(0)),
      actual: money(total(1)),
      reviewScoreSum: reviews.reduce((sum, r) => sum + r.score, 0),
      reviewCount: reviews.length,
      medianResponseMinutes: median(minutes),
    },
  };
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Membership of the scope as (rep, from_day, to_day) rows; to_day is exclusive. */
export function membersSql(schema: string, scope: Scope): { sql: string; params: unknown[] } {
  const ranges = `SELECT rep_id, team_id, from_day,
      coalesce(lead(from_day) OVER (PARTITION BY rep_id ORDER BY from_day), 'infinity'::date) AS to_day
    FROM ${schema}.team_memberships`;
  if (scope === 'company')
    return {
      sql: `SELECT rep_id, '-infinity'::date AS from_day, 'infinity'::date AS to_day FROM ${schema}.reps`,
      params: [],
    };
  if ('teamId' in scope)
    return { sql: `SELECT rep_id, from_day, to_day FROM (${ranges}) r WHERE team_id = $1`, params: [scope.teamId] };
  return {
    sql: `SELECT rep_id, '-infinity'::date AS from_day, 'infinity'::date AS to_day FROM unnest($1::text[]) AS rep_id`,
    params: [scope.repIds],
  };
}

export const isoDay = (value: Date | string): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
