import type { ClientBase } from 'pg';
import { idOf, type Recorded, type SalesEvent } from './scorecard-events';
import { answersOf } from './response-counts';
import type { Batch, CustomerRow, OrderVersionRow, PaperRow, RepRow, RequestRow } from './scorecard-rows';

type Keys = { reps: Set<string>; customers: Set<string>; orders: Set<string>; requests: Set<string> };

/** What a segment's events look up among the stored rows, by table. */
function keysOf(events: readonly Recorded<SalesEvent>[]) {
  const ids: Keys = { reps: new Set(), customers: new Set(), orders: new Set(), requests: new Set() };
  const papers: string[][] = [];
  const targets: string[][] = [];
  for (const event of events)
    switch (event.type) {
      case 'RepMovedTeam':
      case 'RepLeft':
        ids.reps.add(idOf(event, 'rep-'));
        break;
      case 'CustomerReassigned':
      case 'KeyAccountFlagChanged':
        ids.customers.add(idOf(event, 'customer-'));
        break;
      case 'OrderAmended':
      case 'OrderCancelled':
        ids.orders.add(idOf(event, 'order-'));
        break;
      case 'CustomerRequestAnswered':
      case 'CustomerRequestSlaMissed':
        ids.requests.add(idOf(event, 'request-'));
        break;
      case 'WeeklyPlanSubmitted':
      case 'WeeklyPlanOverdue':
      case 'WeeklyReportSubmitted':
      case 'WeeklyReportOverdue':
        papers.push([event.data.repId, event.data.week, event.type.startsWith('WeeklyPlan') ? 'plan' : 'report']);
        break;
      case 'TargetSet':
      case 'TargetRevised':
      case 'TargetProposalApproved':
        targets.push([event.data.repId, event.data.month]);
    }
  return { ids, papers, targets };
}

/** Timestamps as ISO strings, as the events carry them (dates already arrive as 'YYYY-MM-DD'). */
function plain<Row>(row: Record<string, unknown>): Row {
  for (const [column, value] of Object.entries(row)) if (value instanceof Date) row[column] = value.toISOString();
  return row as Row;
}

/** A new batch holding the stored rows the segment's events change, keyed as the evolvers look them up. */
export async function loadBatch(
  client: ClientBase,
  s: string,
  events: readonly Recorded<SalesEvent>[],
): Promise<Batch> {
  const { ids, papers, targets } = keysOf(events);
  const rows = async <Row>(sql: string, params: unknown[]): Promise<Row[]> =>
    params.some((p) => Array.isArray(p) && p.length > 0) ? (await client.query(sql, params)).rows.map(plain<Row>) : [];
  const column = (keys: string[][], i: number) => keys.map((k) => k[i]);
  // One after another: a pg client runs one query at a time (queueing several is deprecated).
  const reps = await rows<RepRow>(`SELECT * FROM ${s}.reps WHERE rep_id = ANY($1)`, [[...ids.reps]]);
  const customers = await rows<CustomerRow>(`SELECT * FROM ${s}.customers WHERE customer_id = ANY($1)`, [
    [...ids.customers],
  ]);
  const orders = await rows<OrderVersionRow>(
    `SELECT * FROM ${s}.order_versions WHERE order_id = ANY($1) AND superseded_at IS NULL`,
    [[...ids.orders]],
  );
  const requests = await rows<RequestRow>(`SELECT * FROM ${s}.requests WHERE request_id = ANY($1)`, [
    [...ids.requests],
  ]);
  const storedPapers = await rows<PaperRow>(
    `SELECT p.* FROM ${s}.papers p JOIN unnest($1::text[], $2::text[], $3::text[]) k(rep_id, week, kind) USING (rep_id, week, kind)`,
    [column(papers, 0), column(papers, 1), column(papers, 2)],
  );
  const versions = await rows<{ rep_id: string; month: string; version: number }>(
    `SELECT rep_id, month, max(version) AS version FROM ${s}.target_changes
       JOIN unnest($1::text[], $2::text[]) k(rep_id, month) USING (rep_id, month) GROUP BY 1, 2`,
    [column(targets, 0), column(targets, 1)],
  );
  return {
    ...emptyBatch(),
    reps: new Map(reps.map((row) => [row.rep_id, row])),
    customers: new Map(customers.map((row) => [row.customer_id, row])),
    orders: new Map(orders.map((row) => [row.order_id, row])),
    storedOrders: orders,
    requests: new Map(requests.map((row) => [row.request_id, row])),
    storedAnswers: answersOf(requests),
    papers: new Map(storedPapers.map((row) => [`${row.rep_id}|${row.week}|${row.kind}`, row])),
    targetVersions: new Map(versions.map((row) => [`${row.rep_id}|${row.month}`, Number(row.version)])),
  };
}

export function emptyBatch(): Batch {
  return {
    teams: new Map(),
    managers: new Map(),
    reps: new Map(),
    memberships: new Map(),
    customers: new Map(),
    losses: [],
    orders: new Map(),
    storedOrders: [],
    orderVersions: [],
    orderLines: new Map(),
    orderCustomers: new Set(),
    visits: [],
    papers: new Map(),
    requests: new Map(),
    storedAnswers: new Map(),
    reviews: [],
    targetChanges: [],
    targetVersions: new Map(),
    targetMonths: new Map(),
    templates: [],
    dirty: new Map(),
  };
}
