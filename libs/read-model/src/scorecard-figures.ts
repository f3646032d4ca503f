import Big from 'big.js';
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
  const [reviews, responses, holidays, template] = await Promise.all([
    client.query(
      `WITH members AS (${members.sql})
       SELECT r.rep_id, r.month, r.score FROM ${schema}.reviews r JOIN members m ON m.rep_id = r.rep_id
         AND to_date(r.month, 'YYYY-MM') >= greatest(m.from_day, $${p + 1}::date)
         AND to_date(r.month, 'YYYY-MM') < least(m.to_day, $${p + 2}::date)
       WHERE r.recorded_at <= $${p + 3}`,
      [...members.params, from, to, at],
    ),
    client.query(
      `WITH members AS (${members.sql})
       SELECT r.rep_id, r.received_on, r.response_minutes FROM ${schema}.requests r JOIN members m ON m.rep_id = r.rep_id
         AND r.received_on >= greatest(m.from_day, $${p + 1}::date) AND r.received_on < least(m.to_day, $${p + 2}::date)
       WHERE r.answered_recorded_at <= $${p + 3}`,
      [...members.params, from, to, at],
    ),
    client.query(
      `SELECT day FROM ${schema}.holidays WHERE recorded_at <= $1 AND (superseded_at IS NULL OR superseded_at > $1)`,
      [at],
    ),
    client.query(
      `SELECT version, weights FROM ${schema}.scorecard_templates WHERE recorded_at <= $1 ORDER BY version DESC LIMIT 1`,
      [at],
    ),
  ]);
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

/** The scorecard of one rep (or the sum of several) for a period, as of `now`. */
export function scorecardFrom(
  data: DayData,
  range: PeriodRange,
  now: Date,
  repId?: string,
): Scorecard & { readonly active: boolean } {
  const mine = repId === undefined ? data : only(data, repId);
  const figures = figuresOver(mine, range);
  const yearAgo = yearAgoPeriod(range);
  const today = isoDay(now);
  const elapsedEnd = today < range.start ? range.start : today > range.end ? range.end : today;
  const scorecard = deriveScorecard({
    range,
    figures: figures.figures,
    previousActual: figuresOver(mine, previousPeriod(range)).figures.actual,
    yearAgoActual: yearAgo ? figuresOver(mine, yearAgo).figures.actual : null,
    workingDays: {
      total: workingDaysBetween(range.start, range.end, data.holidays),
      elapsed: workingDaysBetween(range.start, elapsedEnd, data.holidays),
    },
    template: data.template,
  });
  return { ...scorecard, active: figures.active };
}

function only(data: DayData, repId: string): DayData {
  return {
    ...data,
    days: data.days.filter((d) => d.repId === repId),
    reviews: data.reviews.filter((r) => r.repId === repId),
    responses: data.responses.filter((r) => r.repId === repId),
  };
}

/** Sums the day figures in a range; reviews count only for whole months. `active`: anything there at all. */
function figuresOver(data: DayData, range: PeriodRange): { figures: BaseFigures; active: boolean } {
  const monthly = range.grain === 'month' || range.grain === 'quarter' || range.grain === 'year';
  let target = new Big(0);
  let actual = new Big(0);
  const counts = {
    orders: 0,
    newCustomers: 0,
    prospectsDeveloped: 0,
    salesVisits: 0,
    existingCustomerVisits: 0,
    lostCustomers: 0,
    papersDue: 0,
    papersOnTime: 0,
    requestsClosed: 0,
    requestsWithinSla: 0,
  };
  let active = false;
  for (const { day, figures } of data.days) {
    if (day < range.start || day >= range.end) continue;
    active = true;
    target = target.plus(figures.target);
    actual = actual.plus(figures.actual);
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += figures[key];
  }
  const reviews = monthly
    ? data.reviews.filter((r) => `${r.month}-01` >= range.start && `${r.month}-01` < range.end)
    : [];
  if (reviews.length > 0) active = true;
  const minutes = data.responses
    .filter((r) => r.day >= range.start && r.day < range.end)
    .map((r) => r.minutes)
    .sort((a, b) => a - b);
  return {
    active,
    figures: {
      ...counts,
      target: target.toFixed(2),
      actual: actual.toFixed(2),
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
function membersSql(schema: string, scope: Scope): { sql: string; params: unknown[] } {
  const ranges = `SELECT rep_id, team_id, from_day,
      coalesce(lead(from_day) OVER (PARTITION BY rep_id ORDER BY from_day), 'infinity'::date) AS to_day
    FROM ${schema}.team_memberships`;
  if (scope === 'company') return { sql: `SELECT rep_id, '-infinity'::date AS from_day, 'infinity'::date AS to_day FROM ${schema}.reps`, params: [] };
  if ('teamId' in scope)
    return { sql: `SELECT rep_id, from_day, to_day FROM (${ranges}) r WHERE team_id = $1`, params: [scope.teamId] };
  return {
    sql: `SELECT rep_id, '-infinity'::date AS from_day, 'infinity'::date AS to_day FROM unnest($1::text[]) AS rep_id`,
    params: [scope.repIds],
  };
}

export const isoDay = (value: Date | string): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
