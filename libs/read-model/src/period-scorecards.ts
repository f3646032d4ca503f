import type { ClientBase } from 'pg';
import {
  previousPeriod,
  workingDaysBetween,
  yearAgoPeriod,
  type PeriodRange,
} from '@salesledger/domain/scorecards/grains';
import { DEFAULT_TEMPLATE, deriveScorecard, type ScorecardTemplate } from '@salesledger/domain/scorecards/kpis';
import { queryOnKeptPlan } from '@salesledger/postgres/pool';
import { KEPT_PLAN_KEYS } from './day-figures';

/** A stored scorecard's rep and period. */
export type ScorecardKey = { repId: string; range: PeriodRange };

interface KeyFigures {
  rep_id: string;
  grain: string;
  period: string;
  days: number | null;
  target: string | null;
  actual: string | null;
  orders: number | null;
  new_customers: number | null;
  prospects_developed: number | null;
  sales_visits: number | null;
  existing_customer_visits: number | null;
  lost_customers: number | null;
  papers_due: number | null;
  papers_on_time: number | null;
  requests_closed: number | null;
  requests_within_sla: number | null;
  previous_actual: string | null;
  year_ago_actual: string | null;
  review_score_sum: number;
  review_count: number;
  median_response_minutes: number | null;
}

/**
 * Each key's figures in one statement: the period's sums, the actuals of the period before and a
 * year earlier (three rows of rep_periods), reviews of its months and the median response time.
 */
const keyFiguresSql = (s: string) => `
WITH k AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[])
    AS k(rep_id, grain, period, previous, year_ago, start_day, end_day)
)
SELECT k.rep_id, k.grain, k.period, p.days, p.target, p.actual, p.orders, p.new_customers, p.prospects_developed,
  p.sales_visits, p.existing_customer_visits, p.lost_customers, p.papers_due, p.papers_on_time, p.requests_closed,
  p.requests_within_sla, pp.actual AS previous_actual, ya.actual AS year_ago_actual,
  rv.review_score_sum, rv.review_count, rs.median_response_minutes
FROM k
LEFT JOIN ${s}.rep_periods p ON p.rep_id = k.rep_id AND p.grain = k.grain AND p.period = k.period
LEFT JOIN ${s}.rep_periods pp ON pp.rep_id = k.rep_id AND pp.grain = k.grain AND pp.period = k.previous
LEFT JOIN ${s}.rep_periods ya ON ya.rep_id = k.rep_id AND ya.grain = k.grain AND ya.period = k.year_ago
CROSS JOIN LATERAL (
  SELECT coalesce(sum(r.score), 0)::int AS review_score_sum, count(*)::int AS review_count FROM ${s}.reviews r
  WHERE k.grain IN ('month', 'quarter', 'year') AND r.rep_id = k.rep_id
    AND to_date(r.month, 'YYYY-MM') >= k.start_day AND to_date(r.month, 'YYYY-MM') < k.end_day
) rv
CROSS JOIN LATERAL (
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.response_minutes) AS median_response_minutes
  FROM ${s}.requests r
  WHERE r.rep_id = k.rep_id AND r.received_on >= k.start_day AND r.received_on < k.end_day
    AND r.answered_recorded_at IS NOT NULL
) rs`;

/** What every stored scorecard is derived with: the holidays in force and the newest template. */
export interface Calendar {
  readonly holidays: ReadonlySet<string>;
  readonly template: ScorecardTemplate;
}

/** A row of the stored scorecards table. */
export type StoredScorecard = ReturnType<typeof storedRow>;

/** The stored scorecard rows of the keys that have anything in them (figures or a review). */
export async function storedScorecards(
  client: ClientBase,
  s: string,
  keys: readonly ScorecardKey[],
  { holidays, template }: Calendar,
): Promise<StoredScorecard[]> {
  const statement = {
    text: keyFiguresSql(s),
    values: [
      keys.map((k) => k.repId),
      keys.map((k) => k.range.grain),
      keys.map((k) => k.range.period),
      keys.map((k) => previousPeriod(k.range).period),
      keys.map((k) => yearAgoPeriod(k.range)?.period ?? null),
      keys.map((k) => k.range.start),
      keys.map((k) => k.range.end),
    ],
  };
  const { rows } =
    keys.length <= KEPT_PLAN_KEYS
      ? await queryOnKeptPlan<KeyFigures>(client, { ...statement, name: `read-model.key-figures.${s}` })
      : await client.query<KeyFigures>(statement);
  const ranges = new Map(keys.map((k) => [`${k.repId}|${k.range.grain}|${k.range.period}`, k.range]));
  return rows
    .filter((row) => (row.days ?? 0) > 0 || row.review_count > 0)
    .map((row) =>
      storedRow(row, ranges.get(`${row.rep_id}|${row.grain}|${row.period}`) as PeriodRange, holidays, template),
    );
}

export async function readCalendar(client: ClientBase, s: string): Promise<Calendar> {
  const { rows: days } = await client.query<{ day: string }>(
    `SELECT day FROM ${s}.holidays WHERE superseded_at IS NULL`,
  );
  const { rows: templates } = await client.query<ScorecardTemplate>(
    `SELECT version, weights FROM ${s}.scorecard_templates ORDER BY version DESC LIMIT 1`,
  );
  return { holidays: new Set(days.map((row) => String(row.day))), template: templates[0] ?? DEFAULT_TEMPLATE };
}

// Only expected_to_date and pace depend on the day they are read; they are not stored (elapsed 0).
function storedRow(row: KeyFigures, range: PeriodRange, holidays: ReadonlySet<string>, template: ScorecardTemplate) {
  const card = deriveScorecard({
    range,
    figures: {
      target: row.target ?? '0.00',
      actual: row.actual ?? '0.00',
      orders: row.orders ?? 0,
      newCustomers: row.new_customers ?? 0,
      prospectsDeveloped: row.prospects_developed ?? 0,
      salesVisits: row.sales_visits ?? 0,
      existingCustomerVisits: row.existing_customer_visits ?? 0,
      lostCustomers: row.lost_customers ?? 0,
      papersDue: row.papers_due ?? 0,
      papersOnTime: row.papers_on_time ?? 0,
      requestsClosed: row.requests_closed ?? 0,
      requestsWithinSla: row.requests_within_sla ?? 0,
      reviewScoreSum: row.review_score_sum,
      reviewCount: row.review_count,
      medianResponseMinutes: row.median_response_minutes,
    },
    previousActual: row.previous_actual ?? '0.00',
    yearAgoActual: yearAgoPeriod(range) ? (row.year_ago_actual ?? '0.00') : null,
    workingDays: { total: workingDaysBetween(range.start, range.end, holidays), elapsed: 0 },
    template,
  });
  return {
    rep_id: row.rep_id,
    grain: range.grain,
    period: range.period,
    start_day: range.start,
    end_day: range.end,
    target: card.target,
    actual: card.actual,
    attainment: card.attainment,
    orders: card.orders,
    new_customers: card.newCustomers,
    prospects_developed: card.prospectsDeveloped,
    sales_visits: card.salesVisits,
    existing_customer_visits: card.existingCustomerVisits,
    lost_customers: card.lostCustomers,
    growth_rate: card.growthRate,
    yoy_growth: card.yoyGrowth,
    discipline: card.discipline,
    plan_completion_rate: card.planCompletionRate,
    request_response_rate: card.requestResponseRate,
    median_response_minutes: card.medianResponseMinutes,
    composite_score: card.compositeScore,
    template_version: card.templateVersion,
    working_days: card.workingDays,
  };
}
