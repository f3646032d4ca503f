import type { Pool } from 'pg';
import { InvalidInputError } from '@salesledger/domain/errors';
import { daysOf, periodRange, workingDaysBetween, type Grain } from '@salesledger/domain/scorecards/grains';
import type { Scorecard } from '@salesledger/domain/scorecards/kpis';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { inTransaction } from '@salesledger/postgres/pool';
import { periodScorecard } from './period-queries';
import { loadDayData, scorecardFrom, spanOf, type Scope } from './scorecard-figures';

export const DRILL_DOWNS = [
  'orders',
  'newCustomers',
  'prospectsDeveloped',
  'salesVisits',
  'existingCustomerVisits',
  'lostCustomers',
] as const;
export type DrillDown = (typeof DRILL_DOWNS)[number];

/** One calendar day of a month's pace: its share of the target and its sales, and both summed so far. */
export interface PaceDay {
  readonly day: string;
  readonly working: boolean;
  readonly target: number;
  readonly actual: number;
  readonly cumulativeTarget: number;
  readonly cumulativeActual: number;
}

/** A month's sales against its target day by day, with the scorecard's totals and a run-rate projection. */
export interface MonthPaceView {
  readonly month: string;
  readonly target: number;
  readonly actual: number;
  readonly expectedToDate: number;
  /** actual ÷ working days elapsed × working days in the month; null before the first working day ends. */
  readonly projection: number | null;
  readonly workingDays: number;
  readonly workingDaysElapsed: number;
  readonly days: readonly PaceDay[];
}

export interface LeaderboardEntry {
  readonly rank: number;
  readonly repId: string;
  readonly repName: string;
  readonly teamId: string | null;
  readonly compositeScore: number | null;
  readonly attainment: number | null;
  readonly actual: number;
  readonly target: number;
}

/** A ranked rep with every other KPI of their scorecard for the period, so a ranking can sort by any. */
export type RankedRep = LeaderboardEntry & { readonly [K in (typeof RANKED_KPIS)[number][1]]: number | null };

/** Columns of reporting.scorecards and their names in the API. */
const RANKED_KPIS = [
  ['pace', 'pace'],
  ['orders', 'orders'],
  ['new_customers', 'newCustomers'],
  ['prospects_developed', 'prospectsDeveloped'],
  ['sales_visits', 'salesVisits'],
  ['existing_customer_visits', 'existingCustomerVisits'],
  ['lost_customers', 'lostCustomers'],
  ['growth_rate', 'growthRate'],
  ['yoy_growth', 'yoyGrowth'],
  ['discipline', 'discipline'],
  ['plan_completion_rate', 'planCompletionRate'],
  ['request_response_rate', 'requestResponseRate'],
  ['median_response_minutes', 'medianResponseMinutes'],
] as const;

/** Reads of the scorecard read model, for the API. Access control is the caller's. */
const toCents = (amount: string | number) => Math.round(Number(amount) * 100);

export class ScorecardQueries {
  constructor(
    private readonly pool: Pool,
    private readonly schema = READ_MODEL,
  ) {}

  /**
   * A scorecard of a rep, a team (its members on each day they were in it) or the company.
   * `asOf`: from the events recorded up to then, with `expectedToDate` counted to that day.
   */
  async scorecard(scope: Scope, grain: Grain, period: string, now: Date, asOf?: Date): Promise<Scorecard> {
    const range = periodRange(grain, period);
    // A current scorecard: one statement over the period sums.
    if (!asOf) return periodScorecard(this.pool, this.schema, scope, range, now);
    const { from, to } = spanOf(range);
    return inTransaction(this.pool, async (client) => {
      // One snapshot for every read of the scorecard: a batch committing in between cannot mix in.
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const data = await loadDayData(client, this.schema, scope, from, to, asOf ?? null);
      const { active: _active, ...card } = scorecardFrom(data, range, asOf ?? now);
      return card;
    });
  }

  /**
   * The month's pace curve for a scope, from the same day figures as its scorecard, so the totals
   * equal the scorecard's `target`, `actual` and `expectedToDate` for the month.
   */
  async pace(scope: Scope, month: string, now: Date, asOf?: Date): Promise<MonthPaceView> {
    const range = periodRange('month', month);
    return inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const data = await loadDayData(client, this.schema, scope, range.start, range.end, asOf ?? null);
      const card = scorecardFrom(data, range, asOf ?? now);
      const cents = new Map<string, { target: number; actual: number }>();
      for (const { day, figures } of data.days) {
        const sums = cents.get(day) ?? { target: 0, actual: 0 };
        sums.target += toCents(figures.target);
        sums.actual += toCents(figures.actual);
        cents.set(day, sums);
      }
      let cumulativeTarget = 0;
      let cumulativeActual = 0;
      const days = daysOf(range).map((day) => {
        const { target, actual } = cents.get(day) ?? { target: 0, actual: 0 };
        cumulativeTarget += target;
        cumulativeActual += actual;
        const next = periodRange('day', day).end;
        return {
          day,
          working: workingDaysBetween(day, next, data.holidays) === 1,
          target: target / 100,
          actual: actual / 100,
          cumulativeTarget: cumulativeTarget / 100,
          cumulativeActual: cumulativeActual / 100,
        };
      });
      const elapsed = card.workingDaysElapsed;
      return {
        month: range.period,
        target: card.target,
        actual: card.actual,
        expectedToDate: card.expectedToDate,
        projection: elapsed === 0 ? null : Math.round((card.actual * card.workingDays * 100) / elapsed) / 100,
        workingDays: card.workingDays,
        workingDaysElapsed: elapsed,
        days,
      };
    });
  }

  /** Reps ranked by composite score (then attainment, then sales) for a period; optionally one team's. */
  async leaderboard(grain: Grain, period: string, teamId?: string): Promise<RankedRep[]> {
    periodRange(grain, period);
    const { rows } = await this.pool.query(
      `SELECT rank() OVER (ORDER BY composite_score DESC NULLS LAST, attainment DESC NULLS LAST, actual DESC)::int AS rank,
         rep_id, rep_name, team_id, composite_score, attainment, actual, target,
         ${RANKED_KPIS.map(([column]) => column).join(', ')}
       FROM reporting.scorecards WHERE grain = $1 AND period = $2 AND ($3::text IS NULL OR team_id = $3)
       ORDER BY rank, rep_id`,
      [grain, period, teamId ?? null],
    );
    return rows.map((row) => ({
      rank: row.rank,
      repId: row.rep_id,
      repName: row.rep_name,
      teamId: row.team_id,
      compositeScore: row.composite_score === null ? null : Number(row.composite_score),
      attainment: row.attainment === null ? null : Number(row.attainment),
      actual: Number(row.actual),
      target: Number(row.target),
      ...(Object.fromEntries(
        RANKED_KPIS.map(([column, name]) => [name, row[column] === null ? null : Number(row[column])]),
      ) as Record<(typeof RANKED_KPIS)[number][1], number | null>),
    }));
  }

  /** The orders, visits or customers behind one figure of a rep's scorecard, each with the event position it reflects. */
  async drillDown(repId: string, grain: Grain, period: string, kpi: DrillDown): Promise<Record<string, unknown>[]> {
    if (!DRILL_DOWNS.includes(kpi))
      throw new InvalidInputError([{ field: 'kpi', message: `must be one of ${DRILL_DOWNS.join(', ')}` }]);
    const { start, end } = periodRange(grain, period);
    const s = this.schema;
    const live = `SELECT * FROM ${s}.order_versions WHERE superseded_at IS NULL AND NOT cancelled`;
    const sql: Record<DrillDown, string> = {
      orders: `SELECT order_id AS "orderId", customer_id AS "customerId", placed_at AS "placedAt", net_amount AS "netAmount", position
        FROM (${live}) o WHERE rep_id = $1 AND placed_on >= $2 AND placed_on < $3 ORDER BY placed_at, order_id`,
      newCustomers: `SELECT customer_id AS "customerId", order_id AS "firstOrderId", placed_at AS "placedAt", position FROM (
          SELECT DISTINCT ON (customer_id) * FROM (${live}) o ORDER BY customer_id, placed_at, order_id COLLATE "C") f
        WHERE rep_id = $1 AND placed_on >= $2 AND placed_on < $3 ORDER BY placed_at, customer_id`,
      prospectsDeveloped: `SELECT customer_id AS "customerId", name, registered_on AS "registeredOn", position
        FROM ${s}.customers WHERE registered_rep_id = $1 AND registered_as = 'prospect'
          AND registered_on >= $2 AND registered_on < $3 ORDER BY registered_on, customer_id`,
      salesVisits: `SELECT visit_id AS "visitId", customer_id AS "customerId", occurred_at AS "occurredAt", kind, position
        FROM ${s}.visits WHERE rep_id = $1 AND occurred_on >= $2 AND occurred_on < $3 ORDER BY occurred_at, visit_id`,
      existingCustomerVisits: `SELECT visit_id AS "visitId", customer_id AS "customerId", occurred_at AS "occurredAt", kind, position
        FROM ${s}.visits v WHERE rep_id = $1 AND occurred_on >= $2 AND occurred_on < $3
          AND EXISTS (SELECT 1 FROM (${live}) o WHERE o.customer_id = v.customer_id AND o.placed_at < v.occurred_at)
        ORDER BY occurred_at, visit_id`,
      lostCustomers: `SELECT customer_id AS "customerId", lost_on AS "lostOn", kind, reason, position
        FROM ${s}.customer_losses WHERE rep_id = $1 AND lost_on >= $2 AND lost_on < $3 ORDER BY lost_on, customer_id`,
    };
    const { rows } = await this.pool.query(sql[kpi], [repId, start, end]);
    return rows.map((row) => ({ ...row, position: Number(row.position) }));
  }
}
