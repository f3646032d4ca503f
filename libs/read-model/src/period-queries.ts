import type { ClientBase, Pool } from 'pg';
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
import { isoDay } from './scorecard-figures';

interface Sums {
  target: string;
  actual: string;
  orders: number;
  new_customers: number;
  prospects_developed: number;
  sales_visits: number;
  existing_customer_visits: number;
  lost_customers: number;
  papers_due: number;
  papers_on_time: number;
  requests_closed: number;
  requests_within_sla: number;
}

interface Answer {
  current: Sums | null;
  previous_actual: string | null;
  year_ago_actual: string | null;
  review_score_sum: number;
  review_count: number;
  median_response_minutes: number | null;
  holidays: string[] | null;
  template: ScorecardTemplate | null;
}

/**
 * A scorecard of some reps (one, or every rep: the company) in one statement: the period, the one
 * before and the one a year earlier summed from rep_periods, with the reviews, the median response
 * time, the holidays and the template beside them. $1 rep ids (null: every rep), $2 grain,
 * $3..$5 the three periods, $6/$7 the period's days, $8 whether reviews count (monthly grains).
 */
const periodScorecardSql = (s: string) => `
WITH members AS (SELECT rep_id FROM ${s}.reps WHERE $1::text[] IS NULL UNION SELECT unnest($1::text[])),
sums AS (
  SELECT p.period, sum(p.target)::text AS target, sum(p.actual)::text AS actual, sum(p.orders)::int AS orders,
    sum(p.new_customers)::int AS new_customers, sum(p.prospects_developed)::int AS prospects_developed,
    sum(p.sales_visits)::int AS sales_visits, sum(p.existing_customer_visits)::int AS existing_customer_visits,
    sum(p.lost_customers)::int AS lost_customers, sum(p.papers_due)::int AS papers_due,
    sum(p.papers_on_time)::int AS papers_on_time, sum(p.requests_closed)::int AS requests_closed,
    sum(p.requests_within_sla)::int AS requests_within_sla
  FROM ${s}.rep_periods p JOIN members m USING (rep_id)
  WHERE p.grain = $2 AND p.period IN ($3, $4, $5)
  GROUP BY p.period
)
SELECT (SELECT to_jsonb(c) - 'period' FROM sums c WHERE c.period = $3) AS current,
  (SELECT actual FROM sums WHERE period = $4) AS previous_actual,
  (SELECT actual FROM sums WHERE period = $5) AS year_ago_actual,
  r.review_score_sum, r.review_count, q.median_response_minutes,
  (SELECT array_agg(day::text) FROM ${s}.holidays WHERE superseded_at IS NULL) AS holidays,
  (SELECT to_jsonb(t) FROM (SELECT version, weights FROM ${s}.scorecard_templates ORDER BY version DESC LIMIT 1) t)
    AS template
FROM (
  SELECT coalesce(sum(v.score), 0)::int AS review_score_sum, count(v.*)::int AS review_count
  FROM ${s}.reviews v JOIN members m USING (rep_id)
  WHERE $8 AND to_date(v.month, 'YYYY-MM') >= $6::date AND to_date(v.month, 'YYYY-MM') < $7::date
) r, (
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_minutes) AS median_response_minutes
  FROM ${s}.requests a JOIN members m USING (rep_id)
  WHERE a.received_on >= $6::date AND a.received_on < $7::date AND a.answered_recorded_at IS NOT NULL
) q`;

/** The scorecard of the given reps (null: the company) for a period, as of `now`, from the period sums. */
export async function periodScorecard(
  db: Pool | ClientBase,
  schema: string,
  repIds: readonly string[] | null,
  range: PeriodRange,
  now: Date,
): Promise<Scorecard> {
  const yearAgo = yearAgoPeriod(range);
  const monthly = range.grain === 'month' || range.grain === 'quarter' || range.grain === 'year';
  const { rows } = await db.query<Answer>(periodScorecardSql(schema), [
    repIds,
    range.grain,
    range.period,
    previousPeriod(range).period,
    yearAgo?.period ?? null,
    range.start,
    range.end,
    monthly,
  ]);
  const answer = rows[0] as Answer;
  const holidays = new Set(answer.holidays ?? []);
  const today = isoDay(now);
  const elapsedEnd = today < range.start ? range.start : today > range.end ? range.end : today;
  return deriveScorecard({
    range,
    figures: figuresOf(answer),
    previousActual: answer.previous_actual ?? '0.00',
    yearAgoActual: yearAgo ? (answer.year_ago_actual ?? '0.00') : null,
    workingDays: {
      total: workingDaysBetween(range.start, range.end, holidays),
      elapsed: workingDaysBetween(range.start, elapsedEnd, holidays),
    },
    template: answer.template ?? DEFAULT_TEMPLATE,
  });
}

function figuresOf(answer: Answer): BaseFigures {
  const c = answer.current;
  return {
    target: money(c?.target),
    actual: money(c?.actual),
    orders: c?.orders ?? 0,
    newCustomers: c?.new_customers ?? 0,
    prospectsDeveloped: c?.prospects_developed ?? 0,
    salesVisits: c?.sales_visits ?? 0,
    existingCustomerVisits: c?.existing_customer_visits ?? 0,
    lostCustomers: c?.lost_customers ?? 0,
    papersDue: c?.papers_due ?? 0,
    papersOnTime: c?.papers_on_time ?? 0,
    requestsClosed: c?.requests_closed ?? 0,
    requestsWithinSla: c?.requests_within_sla ?? 0,
    reviewScoreSum: answer.review_score_sum,
    reviewCount: answer.review_count,
    medianResponseMinutes: answer.median_response_minutes,
  };
}

const money = (value: string | undefined): string => value ?? '0.00';
