import type { Pool } from 'pg';
import type { ActiveAlert } from '@salesledger/domain/alerts/alert-reconcile.policy';
import type { RepSituation } from '@salesledger/domain/alerts/alert-rules.policy';
import type { MonthSales } from '@salesledger/domain/alerts/month-pace';
import { periodRange, type PeriodRange } from '@salesledger/domain/scorecards/grains';
import { READ_MODEL } from '@salesledger/postgres/schemas';

type Row = Record<string, unknown>;
type Sale = MonthSales['sales'][number];

/** The rows of the reps asked for: every query's $1 holds them (null: all). */
const mine = (column = 'rep_id') => `($1::text[] IS NULL OR ${column} = ANY($1))`;

/**
 * Every rep's situation at instant `at`, from the read model's facts as they were recorded by then
 * (so a back-test at a past instant sees what the rules would have seen): one query per kind of
 * fact for all reps at once, grouped in memory.
 */
export async function loadSituations(pool: Pool, at: string, repIds?: readonly string[]): Promise<RepSituation[]> {
  const day = at.slice(0, 10);
  const month = periodRange('month', day.slice(0, 7));
  const s = READ_MODEL;
  // $1 is always the reps asked for (null: all), $2 the instant (where a query reads it).
  const query = async (sql: string, ...more: unknown[]) =>
    (await pool.query(sql, [repIds ?? null, at, ...more])).rows as Row[];
  const queryWithoutInstant = async (sql: string, ...more: unknown[]) =>
    (await pool.query(sql, [repIds ?? null, ...more])).rows as Row[];
  // Two at a time, the month's sales (the most rows) on a connection of their own, so that the
  // server reads them while this process parses the other facts; no more, to leave the pool to
  // its other users (the projection runners and the API in embedded mode, another evaluation).
  // Awaited below; until then a failure of the other queries must not leave its rejection unhandled.
  const sales = monthSales(pool, at, month, repIds);
  sales.catch(() => undefined);
  const reps = await queryWithoutInstant(
    `SELECT r.rep_id, r.hired_on, r.left_on, m.team_id
     FROM ${s}.reps r
     LEFT JOIN (SELECT DISTINCT ON (rep_id) rep_id, team_id FROM ${s}.team_memberships
                WHERE from_day <= $2::date AND ${mine()} ORDER BY rep_id, from_day DESC) m USING (rep_id)
     WHERE r.hired_on <= $2::date AND ${mine('r.rep_id')}`,
    day,
  );
  const { rows: holidays } = await pool.query(
    `SELECT day FROM ${s}.holidays WHERE recorded_at <= $1 AND (superseded_at IS NULL OR superseded_at > $1)`,
    [at],
  );
  const targets = await query(
    `SELECT rep_id, (array_agg(amount ORDER BY version DESC))[1]::text AS amount,
       array_agg(position ORDER BY version) AS positions
     FROM ${s}.target_changes WHERE month = $3 AND recorded_at <= $2 AND ${mine()} GROUP BY rep_id`,
    month.period,
  );
  // Each rep's latest visit through the (rep, day) index, rather than sorting every visit ever made.
  const visits = await query(
    `SELECT r.rep_id, v.occurred_on, v.position FROM ${s}.reps r
     CROSS JOIN LATERAL (SELECT occurred_on, position FROM ${s}.visits
       WHERE rep_id = r.rep_id AND occurred_on <= $3 AND recorded_at <= $2 AND occurred_at <= $2
       ORDER BY occurred_on DESC, occurred_at DESC, position DESC LIMIT 1) v
     WHERE ${mine('r.rep_id')}`,
    day,
  );
  // Due and not in by then, whenever the scheduler got to record it overdue: a back-test sees what
  // the worker would have seen on the day.
  const papers = await query(
    `SELECT rep_id, week, kind, due_at, position FROM ${s}.papers
     WHERE due_at <= $2 AND (submitted_recorded_at IS NULL OR submitted_recorded_at > $2) AND ${mine()}`,
  );
  const losses = await query(
    `SELECT rep_id, customer_id, lost_on, position FROM ${s}.customer_losses
     WHERE lost_on BETWEEN $3 AND $4 AND recorded_at <= $2 AND ${mine()}`,
    month.start,
    day,
  );
  const requests = await query(
    `SELECT rep_id, request_id, customer_id, due_at, position FROM ${s}.requests
     WHERE recorded_at <= $2 AND (answered_recorded_at IS NULL OR answered_recorded_at > $2) AND ${mine()}`,
  );

  const byRep = (list: Row[]) => {
    const grouped = new Map<string, Row[]>();
    for (const row of list) {
      const rows = grouped.get(row.rep_id as string);
      if (rows) rows.push(row);
      else grouped.set(row.rep_id as string, [row]);
    }
    return grouped;
  };
  const salesOf = await sales;
  const targetOf = new Map(targets.map((row) => [row.rep_id as string, row]));
  const visitOf = new Map(visits.map((row) => [row.rep_id as string, row]));
  const papersOf = byRep(papers);
  const lossesOf = byRep(losses);
  const requestsOf = byRep(requests);
  const holidayDays = holidays.map((row) => row.day as string);
  const iso = (value: unknown) => (value as Date).toISOString();

  return reps.map((rep) => {
    const repId = rep.rep_id as string;
    const target = targetOf.get(repId);
    const visit = visitOf.get(repId);
    return {
      repId,
      teamId: rep.team_id as string,
      hiredOn: rep.hired_on as string,
      leftOn: (rep.left_on as string | null) ?? null,
      holidays: holidayDays,
      month: {
        target: (target?.amount as string | undefined) ?? null,
        targetPositions: ((target?.positions as string[] | undefined) ?? []).map(Number),
        sales: salesOf.get(repId) ?? [],
      },
      lastVisit: visit ? { day: visit.occurred_on as string, position: Number(visit.position) } : null,
      unsubmittedPapers: (papersOf.get(repId) ?? []).map((row) => ({
        week: row.week as string,
        kind: row.kind as 'plan' | 'report',
        dueAt: iso(row.due_at),
        positions: [Number(row.position)],
      })),
      lostCustomers: (lossesOf.get(repId) ?? []).map((row) => ({
        customerId: row.customer_id as string,
        day: row.lost_on as string,
        position: Number(row.position),
      })),
      unansweredRequests: (requestsOf.get(repId) ?? []).map((row) => ({
        requestId: row.request_id as string,
        customerId: row.customer_id as string,
        dueAt: iso(row.due_at),
        positions: [Number(row.position)],
      })),
    };
  });
}

/**
 * Each rep's sales of the month at instant `at`: the version of each order in force then, with the
 * events behind it.
 */
async function monthSales(
  pool: Pool,
  at: string,
  month: PeriodRange,
  repIds?: readonly string[],
): Promise<Map<string, Sale[]>> {
  // The version in force at the instant; the events of earlier versions only for the few amended
  // orders. Rows as arrays and an order's id only where it was amended: the pg client's parsing of
  // these rows (86,367 at 10,000 reps) was the largest part of reading the situations.
  const { rows: sales } = await pool.query<[string, string, string, string, string | null]>({
    text: `SELECT rep_id, placed_on, net_amount::text, position, CASE WHEN version > 1 THEN order_id END
     FROM ${READ_MODEL}.order_versions
     WHERE placed_on BETWEEN $3 AND $4 AND recorded_at <= $2 AND (superseded_at IS NULL OR superseded_at > $2)
       AND NOT cancelled AND ${mine()}`,
    values: [repIds ?? null, at, month.start, month.end],
    rowMode: 'array',
  });
  const { rows: histories } = await pool.query(
    `SELECT order_id, array_agg(position ORDER BY version) AS positions FROM ${READ_MODEL}.order_versions
     WHERE order_id = ANY($1) AND recorded_at <= $2 GROUP BY order_id`,
    [sales.flatMap((row) => (row[4] === null ? [] : [row[4]])), at],
  );
  const historyOf = new Map(histories.map((row) => [row.order_id as string, (row.positions as string[]).map(Number)]));
  const salesOf = new Map<string, Sale[]>();
  for (const [repId, day, amount, position, amended] of sales) {
    const sale = { day, amount, positions: (amended !== null && historyOf.get(amended)) || [Number(position)] };
    const list = salesOf.get(repId);
    if (list) list.push(sale);
    else salesOf.set(repId, [sale]);
  }
  return salesOf;
}

/** The alerts not resolved, of the reps asked for (all by default): what an evaluation reconciles with. */
export async function loadActiveAlerts(pool: Pool, repIds?: readonly string[]): Promise<ActiveAlert[]> {
  const { rows } = await pool.query(
    `SELECT alert_id, rule, rep_id, period, severity, status, raised_at, escalated_at FROM ${READ_MODEL}.alerts
     WHERE status <> 'resolved' AND ($1::text[] IS NULL OR rep_id = ANY($1))`,
    [repIds ?? null],
  );
  return rows.map((row) => ({
    alertId: row.alert_id,
    rule: row.rule,
    repId: row.rep_id,
    period: row.period,
    severity: row.severity,
    status: row.status,
    raisedAt: new Date(row.raised_at).toISOString(),
    escalated: row.escalated_at !== null,
  }));
}
