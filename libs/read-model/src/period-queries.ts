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
import { countedMedianSql } from './response-counts';
import { isoDay, membersSql, type Scope } from './scorecard-figures';

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
 * A scorecard of a scope in one statement: the period, the one before and the one a year earlier,
 * each summed from rep_periods for the members in the scope for the whole period and from rep_days
 * for the days of the others (a rep who joined or left the team during it), with the reviews, the
 * median response time, the holidays and the template beside them. The members CTE takes $1..$n;
 * then the grain, the three periods with their day spans, and whether reviews count (monthly grains).
 * `median` is the statement of the median response time (see `medianSql`).
 */
const periodScorecardSql = (s: string, members: string, p: number, median: string) => `
WITH members AS (${members}),
-- DISTINCT: a year's previous period is also its year-ago one.
periods(period, start_day, end_day) AS (SELECT DISTINCT * FROM (
  VALUES ($${p + 2}::text, $${p + 3}::date, $${p + 4}::date), ($${p + 5}, $${p + 6}, $${p + 7}), ($${p + 8}, $${p + 9}, $${p + 10})
) v),
parts AS (
  SELECT x.period, m.*, m.from_day <= x.start_day AND m.to_day >= x.end_day AS whole,
    greatest(m.from_day, x.start_day) AS part_from, least(m.to_day, x.end_day) AS part_to
  FROM members m JOIN periods x ON m.from_day < x.end_day AND m.to_day > x.start_day
),
figures AS (
  SELECT x.period, p.target, p.actual, p.orders, p.new_customers, p.prospects_developed, p.sales_visits,
    p.existing_customer_visits, p.lost_customers, p.papers_due, p.papers_on_time, p.requests_closed, p.requests_within_sla
  FROM parts x JOIN ${s}.rep_periods p ON p.rep_id = x.rep_id AND p.grain = $${p + 1} AND p.period = x.period
  WHERE x.whole
  UNION ALL
  SELECT x.period, d.target, d.actual, d.orders, d.new_customers, d.prospects_developed, d.sales_visits,
    d.existing_customer_visits, d.lost_customers, d.papers_due, d.papers_on_time, d.requests_closed, d.requests_within_sla
  FROM parts x JOIN ${s}.rep_days d ON d.rep_id = x.rep_id AND d.day >= x.part_from AND d.day < x.part_to
  WHERE NOT x.whole
),
sums AS (
  SELECT period, sum(target)::text AS target, sum(actual)::text AS actual, sum(orders)::int AS orders,
    sum(new_customers)::int AS new_customers, sum(prospects_developed)::int AS prospects_developed,
    sum(sales_visits)::int AS sales_visits, sum(existing_customer_visits)::int AS existing_customer_visits,
    sum(lost_customers)::int AS lost_customers, sum(papers_due)::int AS papers_due,
    sum(papers_on_time)::int AS papers_on_time, sum(requests_closed)::int AS requests_closed,
    sum(requests_within_sla)::int AS requests_within_sla
  FROM figures GROUP BY period
),
current_parts AS (SELECT * FROM parts WHERE period = $${p + 2})
SELECT (SELECT to_jsonb(c) - 'period' FROM sums c WHERE c.period = $${p + 2}) AS current,
  (SELECT actual FROM sums WHERE period = $${p + 5}) AS previous_actual,
  (SELECT actual FROM sums WHERE period = $${p + 8}) AS year_ago_actual,
  r.review_score_sum, r.review_count, q.median_response_minutes,
  (SELECT array_agg(day::text) FROM ${s}.holidays WHERE superseded_at IS NULL) AS holidays,
  (SELECT to_jsonb(t) FROM (SELECT version, weights FROM ${s}.scorecard_templates ORDER BY version DESC LIMIT 1) t)
    AS template
FROM (
  SELECT coalesce(sum(v.score), 0)::int AS review_score_sum, count(*)::int AS review_count
  FROM ${s}.reviews v JOIN current_parts x ON x.rep_id = v.rep_id
    AND to_date(v.month, 'YYYY-MM') >= x.part_from AND to_date(v.month, 'YYYY-MM') < x.part_to
  WHERE $${p + 11}
) r, (${median}) q`;

/**
 * The median response time of the scope's current period: the company's from the response-time
 * counts (every answered request), a team's or a rep's from the requests of its members' days.
 */
const medianSql = (s: string, p: number, scope: Scope) =>
  scope === 'company'
    ? countedMedianSql(s, `$${p + 1}`, `$${p + 2}`)
    : `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_minutes) AS median_response_minutes
  FROM ${s}.requests a JOIN current_parts x ON x.rep_id = a.rep_id
    AND a.received_on >= x.part_from AND a.received_on < x.part_to
  WHERE a.answered_recorded_at IS NOT NULL`;

/**
 * The statement of each scope kind (and schema) is prepared once per connection, under a name of
 * its own: planning it took as long as running it, or longer (0.6–2.0 ms against 0.6–1.2 ms for a
 * rep's month or year at 1,000,000 events).
 */
const preparedNames = new Map<string, string>();
function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (name === undefined) preparedNames.set(text, (name = `read-model.period-scorecard.${preparedNames.size}`));
  return name;
}

/** The current scorecard of a scope for a period, as of `now`, from the period sums. */
export async function periodScorecard(
  db: Pool | ClientBase,
  schema: string,
  scope: Scope,
  range: PeriodRange,
  now: Date,
): Promise<Scorecard> {
  const previous = previousPeriod(range);
  const yearAgo = yearAgoPeriod(range);
  const monthly = range.grain === 'month' || range.grain === 'quarter' || range.grain === 'year';
  const members = membersSql(schema, scope);
  const text = periodScorecardSql(
    schema,
    members.sql,
    members.params.length,
    medianSql(schema, members.params.length, scope),
  );
  const { rows } = await db.query<Answer>({
    name: preparedName(text),
    text,
    values: [
      ...members.params,
      range.grain,
      ...[range, previous].flatMap((r) => [r.period, r.start, r.end]),
      // No year-ago period (day grain): a period no row has, over an empty span.
      ...(yearAgo ? [yearAgo.period, yearAgo.start, yearAgo.end] : [null, range.start, range.start]),
      monthly,
    ],
  });
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
