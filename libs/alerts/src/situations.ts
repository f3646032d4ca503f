import type { Pool } from 'pg';
import type { RepSituation } from '@salesledger/domain/alerts/alert-rules.policy';
import { periodRange } from '@salesledger/domain/scorecards/grains';
import { READ_MODEL } from '@salesledger/read-model/database';

type Row = Record<string, unknown>;

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
  const mine = (column = 'rep_id') => `($1::text[] IS NULL OR ${column} = ANY($1))`;
  // One after another: the caller may hold most of the pool's connections.
  const reps = await queryWithoutInstant(
    `SELECT r.rep_id, r.hired_on, r.left_on,
       (SELECT m.team_id FROM ${s}.team_memberships m WHERE m.rep_id = r.rep_id AND m.from_day <= $2::date
        ORDER BY m.from_day DESC LIMIT 1) AS team_id
     FROM ${s}.reps r WHERE r.hired_on <= $2::date AND ${mine('r.rep_id')}`,
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
  const sales = await query(
    `SELECT o.rep_id, o.placed_on, o.net_amount::text AS amount,
       (SELECT array_agg(v.position ORDER BY v.version) FROM ${s}.order_versions v
        WHERE v.order_id = o.order_id AND v.recorded_at <= $2) AS positions
     FROM ${s}.order_versions o
     WHERE o.placed_on BETWEEN $3 AND $4 AND o.recorded_at <= $2 AND (o.superseded_at IS NULL OR o.superseded_at > $2)
       AND NOT o.cancelled AND ${mine('o.rep_id')}`,
    month.start,
    month.end,
  );
  const visits = await query(
    `SELECT DISTINCT ON (rep_id) rep_id, occurred_on, position FROM ${s}.visits
     WHERE recorded_at <= $2 AND occurred_at <= $2 AND ${mine()}
     ORDER BY rep_id, occurred_at DESC, position DESC`,
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
    for (const row of list) grouped.set(row.rep_id as string, [...(grouped.get(row.rep_id as string) ?? []), row]);
    return grouped;
  };
  const targetOf = new Map(targets.map((row) => [row.rep_id as string, row]));
  const salesOf = byRep(sales);
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
        sales: (salesOf.get(repId) ?? []).map((row) => ({
          day: row.placed_on as string,
          amount: row.amount as string,
          positions: ((row.positions as string[] | null) ?? []).map(Number),
        })),
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
