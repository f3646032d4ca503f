import type { ClientBase } from 'pg';
import type { JsonObject, RecordedEvent } from '@salesledger/domain/event';
import { monthBreakdown } from '@salesledger/domain/periods';
import { daysOf, periodRange } from '@salesledger/domain/scorecards/grains';
import type { RepDay } from './day-figures';
import { recomputeRepDays } from './day-figures';
import { materializeScorecards, scorecardKeys } from './scorecard-table';

type Row = Record<string, unknown>;
type Event = RecordedEvent<string, JsonObject & Record<string, never>>;

/** Events after which the rest of a batch must see their effect on every stored row. */
const SEGMENT_ENDS = new Set(['HolidaysSet', 'ScorecardTemplateSet']);

/**
 * The sales read model: facts (orders, visits, customers, targets, papers, requests, reviews) and
 * the per-rep figures and scorecards computed from them. A batch is folded in memory over the rows
 * it touches, then written with one statement per table, then the (rep, day) figures and
 * scorecards it made stale are recomputed from the facts — so the result never depends on how the
 * log was cut into batches.
 */
export async function applyScorecardEvents(
  client: ClientBase,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  let segment: RecordedEvent[] = [];
  for (const event of events) {
    segment.push(event);
    if (SEGMENT_ENDS.has(event.type)) {
      await applySegment(client, schema, segment as Event[]);
      segment = [];
    }
  }
  if (segment.length > 0) await applySegment(client, schema, segment as Event[]);
}

const idOf = (event: Event, prefix: string) => event.streamId.slice(prefix.length);
const dayOf = (instant: string) => new Date(instant).toISOString().slice(0, 10);

async function applySegment(client: ClientBase, s: string, events: Event[]): Promise<void> {
  const loaded = await loadTouched(client, s, events);
  const dirty = new Map<string, RepDay>();
  const touch = (repId: string, day: string) => dirty.set(`${repId}|${day}`, { repId, day });
  const writes = {
    teams: new Map<string, Row>(),
    reps: loaded.reps,
    memberships: new Map<string, Row>(),
    customers: loaded.customers,
    losses: [] as Row[],
    orderVersions: [] as Row[],
    orderLines: new Map<string, Row[]>(),
    visits: [] as Row[],
    papers: loaded.papers,
    requests: loaded.requests,
    reviews: [] as Row[],
    targetChanges: [] as Row[],
    targetMonths: new Map<string, RepMonth>(),
    templates: [] as Row[],
    holidays: undefined as string[] | undefined,
  };
  const orderCustomers = new Set<string>();
  const managerChanges = new Map<string, string>();
  const orders = loaded.orders;
  const targetVersions = loaded.targetVersions;

  for (const e of events) {
    const d = e.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const at = e.metadata.recordedAt;
    const position = e.position;
    switch (e.type) {
      case 'TeamCreated':
        writes.teams.set(d.id, { team_id: d.id, name: d.name, manager_user_id: d.managerUserId ?? null, position });
        break;
      case 'TeamManagerAssigned': {
        const teamId = e.streamId.slice('team-'.length);
        const created = writes.teams.get(teamId);
        // The team keeps the position it was created at: lists page by it.
        if (created) created.manager_user_id = d.managerUserId;
        else managerChanges.set(teamId, d.managerUserId);
        break;
      }
      case 'RepHired':
        writes.reps.set(d.id, {
          rep_id: d.id,
          name: d.name,
          email: d.email,
          team_id: d.teamId,
          hired_on: dayOf(at),
          left_on: null,
          position,
        });
        // The first team holds everything the rep did before any move, backdated orders included.
        writes.memberships.set(`${d.id}|-infinity`, {
          rep_id: d.id,
          team_id: d.teamId,
          from_day: '-infinity',
          position,
        });
        break;
      case 'RepMovedTeam': {
        const repId = idOf(e, 'rep-');
        const rep = writes.reps.get(repId);
        if (rep) Object.assign(rep, { team_id: d.teamId, position });
        writes.memberships.set(`${repId}|${dayOf(at)}`, {
          rep_id: repId,
          team_id: d.teamId,
          from_day: dayOf(at),
          position,
        });
        touch(repId, dayOf(at));
        break;
      }
      case 'RepLeft': {
        const rep = writes.reps.get(idOf(e, 'rep-'));
        if (rep) Object.assign(rep, { left_on: d.leftOn, position });
        break;
      }
      case 'CustomerRegistered':
        writes.customers.set(d.id, {
          customer_id: d.id,
          name: d.name,
          rep_id: d.repId,
          registered_rep_id: d.repId,
          registered_as: d.status,
          registered_on: dayOf(at),
          key_account: false,
          recorded_at: at,
          position,
        });
        if (d.status === 'prospect') touch(d.repId, dayOf(at));
        break;
      case 'CustomerReassigned':
      case 'KeyAccountFlagChanged': {
        const customer = writes.customers.get(idOf(e, 'customer-'));
        if (!customer) throw new Error(`${e.type} for a customer the read model does not hold`);
        Object.assign(customer, e.type === 'CustomerReassigned' ? { rep_id: d.repId } : { key_account: d.keyAccount }, {
          position,
        });
        break;
      }
      case 'CustomerMarkedLost':
      case 'CustomerLapsed': {
        const lostOn = e.type === 'CustomerLapsed' ? d.lapsedOn : d.lostOn;
        writes.losses.push({
          customer_id: idOf(e, 'customer-'),
          rep_id: d.repId,
          lost_on: lostOn,
          kind: e.type === 'CustomerLapsed' ? 'lapsed' : 'marked',
          reason: d.reason ?? `no order for ${d.churnAfterDays} days`,
          recorded_at: at,
          position,
        });
        touch(d.repId, lostOn);
        break;
      }
      case 'OrderPlaced':
      case 'OrderAmended':
      case 'OrderCancelled': {
        const orderId = idOf(e, 'order-');
        const previous = orders.get(orderId);
        if (e.type !== 'OrderPlaced' && !previous)
          throw new Error(`${e.type} for an order the read model does not hold`);
        if (previous?.superseded_at === null) previous.superseded_at = at;
        const version: Row =
          e.type === 'OrderPlaced'
            ? {
                order_id: orderId,
                version: 1,
                rep_id: d.repId,
                customer_id: d.customerId,
                placed_at: d.placedAt,
                placed_on: dayOf(d.placedAt),
                net_amount: d.netAmount,
                cancelled: false,
              }
            : {
                ...previous,
                version: (previous?.version as number) + 1,
                ...(e.type === 'OrderAmended' ? { net_amount: d.netAmount } : { cancelled: true }),
              };
        Object.assign(version, { recorded_at: at, superseded_at: null, position });
        writes.orderVersions.push(version);
        orders.set(orderId, version);
        touch(version.rep_id as string, version.placed_on as string);
        if (e.type !== 'OrderAmended') orderCustomers.add(version.customer_id as string);
        if (e.type !== 'OrderCancelled')
          writes.orderLines.set(
            orderId,
            (d.lines as Record<string, unknown>[]).map((line, i) => ({
              order_id: orderId,
              line_no: i + 1,
              sku: line.sku,
              category: line.category,
              quantity: line.quantity,
              unit_price: line.unitPrice,
              discount: line.discount,
              net_amount: line.netAmount,
              position,
            })),
          );
        break;
      }
      case 'VisitLogged':
        writes.visits.push({
          visit_id: d.id,
          rep_id: d.repId,
          customer_id: d.customerId,
          occurred_at: d.occurredAt,
          occurred_on: dayOf(d.occurredAt),
          kind: d.kind,
          outcome: d.outcome ?? null,
          recorded_at: at,
          position,
        });
        touch(d.repId, dayOf(d.occurredAt));
        break;
      case 'WeeklyPlanSubmitted':
      case 'WeeklyReportSubmitted':
      case 'WeeklyPlanOverdue':
      case 'WeeklyReportOverdue': {
        const kind = e.type.startsWith('WeeklyPlan') ? 'plan' : 'report';
        const key = `${d.repId}|${d.week}|${kind}`;
        const paper = writes.papers.get(key) ?? {
          rep_id: d.repId,
          week: d.week,
          kind,
          due_at: d.dueAt,
          due_on: dayOf(d.dueAt),
          submitted_at: null,
          late: null,
          submitted_recorded_at: null,
          overdue_recorded_at: null,
        };
        if (e.type.endsWith('Overdue')) paper.overdue_recorded_at = at;
        else Object.assign(paper, { submitted_at: d.submittedAt, late: d.late, submitted_recorded_at: at });
        writes.papers.set(key, Object.assign(paper, { position }));
        touch(d.repId, paper.due_on as string);
        break;
      }
      case 'CustomerRequestReceived':
        writes.requests.set(d.id, {
          request_id: d.id,
          rep_id: d.repId,
          customer_id: d.customerId,
          received_at: d.receivedAt,
          received_on: dayOf(d.receivedAt),
          due_at: d.dueAt,
          recorded_at: at,
          answered_at: null,
          answered_recorded_at: null,
          response_minutes: null,
          within_sla: null,
          sla_missed_recorded_at: null,
          position,
        });
        touch(d.repId, dayOf(d.receivedAt));
        break;
      case 'CustomerRequestAnswered':
      case 'CustomerRequestSlaMissed': {
        const request = writes.requests.get(idOf(e, 'request-'));
        if (!request) throw new Error(`${e.type} for a request the read model does not hold`);
        Object.assign(
          request,
          e.type === 'CustomerRequestAnswered'
            ? {
                answered_at: d.answeredAt,
                answered_recorded_at: at,
                response_minutes: d.responseMinutes,
                within_sla: d.withinSla,
              }
            : { sla_missed_recorded_at: at },
          { position },
        );
        touch(request.rep_id as string, request.received_on as string);
        break;
      }
      case 'ReviewRecorded':
        writes.reviews.push({
          review_id: d.id,
          rep_id: d.repId,
          month: d.period,
          score: d.score,
          recorded_at: at,
          position,
        });
        touch(d.repId, `${d.period}-01`);
        break;
      case 'TargetSet':
      case 'TargetRevised':
      case 'TargetProposalApproved': {
        const key = `${d.repId}|${d.month}`;
        const version = (targetVersions.get(key) ?? 0) + 1;
        targetVersions.set(key, version);
        const approved = e.type === 'TargetProposalApproved';
        writes.targetChanges.push({
          rep_id: d.repId,
          month: d.month,
          version,
          amount: d.amount,
          previous_amount: d.previousAmount ?? null,
          categories: d.categories ?? null,
          reason: d.reason,
          actor_user_id: approved ? d.proposedBy : e.metadata.actor.userId,
          approver_user_id: approved ? e.metadata.actor.userId : null,
          recorded_at: at,
          position,
        });
        writes.targetMonths.set(key, { repId: d.repId as string, month: d.month as string });
        break;
      }
      case 'HolidaysSet':
        writes.holidays = d.dates as string[];
        break;
      case 'ScorecardTemplateSet':
        writes.templates.push({
          version: d.version,
          weights: d.weights,
          actor_user_id: e.metadata.actor.userId,
          recorded_at: at,
          position,
        });
        break;
    }
  }

  const firstOrdersBefore = await firstOrders(client, s, orderCustomers);
  await upsert(client, `${s}.teams`, ['team_id'], [...writes.teams.values()]);
  for (const [teamId, manager] of managerChanges)
    await client.query(`UPDATE ${s}.teams SET manager_user_id = $2 WHERE team_id = $1`, [teamId, manager]);
  await upsert(client, `${s}.reps`, ['rep_id'], [...writes.reps.values()]);
  await upsert(client, `${s}.team_memberships`, ['rep_id', 'from_day'], [...writes.memberships.values()]);
  await upsert(client, `${s}.customers`, ['customer_id'], [...writes.customers.values()]);
  await insert(client, `${s}.customer_losses`, writes.losses);
  await upsert(
    client,
    `${s}.order_versions`,
    ['order_id', 'version'],
    [...loaded.supersededOrders(), ...writes.orderVersions],
  );
  if (writes.orderLines.size > 0) {
    await client.query(`DELETE FROM ${s}.order_lines WHERE order_id = ANY($1)`, [[...writes.orderLines.keys()]]);
    await insert(client, `${s}.order_lines`, [...writes.orderLines.values()].flat());
  }
  await insert(client, `${s}.visits`, writes.visits);
  await upsert(client, `${s}.papers`, ['rep_id', 'week', 'kind'], [...writes.papers.values()]);
  await upsert(client, `${s}.requests`, ['request_id'], [...writes.requests.values()]);
  await insert(client, `${s}.reviews`, writes.reviews);
  await insert(client, `${s}.target_changes`, writes.targetChanges);
  await insert(client, `${s}.scorecard_templates`, writes.templates);
  let everything = writes.templates.length > 0;
  if (writes.holidays) {
    await versionHolidays(client, s, writes.holidays, lastHolidaysAt(events));
    everything = true;
  }
  const months = writes.holidays ? 'all' : [...writes.targetMonths.values()];
  for (const key of await splitTargets(client, s, months)) touch(key.repId, key.day);
  for (const key of await firstOrderShifts(client, s, firstOrdersBefore)) touch(key.repId, key.day);

  const keys = [...dirty.values()];
  if (keys.length > 0)
    await client.query(
      `INSERT INTO ${s}.pending_days SELECT DISTINCT * FROM unnest($1::text[], $2::date[]) ON CONFLICT DO NOTHING`,
      [keys.map((k) => k.repId), keys.map((k) => k.day)],
    );
  if (everything)
    await client.query(`INSERT INTO ${s}.pending_everything VALUES ($1) ON CONFLICT DO NOTHING`, [
      (events.at(-1) as Event).position,
    ]);
}

/**
 * Derives the (rep, day) figures and scorecards that the facts applied since the last call made
 * stale, from the facts themselves: so deriving after every batch or once after many gives the
 * same tables.
 */
export async function deriveScorecards(client: ClientBase, s: string): Promise<void> {
  const { rows } = await client.query(`DELETE FROM ${s}.pending_days RETURNING rep_id, day`);
  const { rowCount: everything } = await client.query(`DELETE FROM ${s}.pending_everything`);
  const days = rows.map((row) => ({ repId: row.rep_id as string, day: String(row.day) }));
  await recomputeRepDays(client, s, days);
  await materializeScorecards(client, s, everything ? 'all' : scorecardKeys(days));
}

interface RepMonth {
  repId: string;
  month: string;
}

interface Loaded {
  reps: Map<string, Row>;
  customers: Map<string, Row>;
  papers: Map<string, Row>;
  requests: Map<string, Row>;
  orders: Map<string, Row>;
  targetVersions: Map<string, number>;
  supersededOrders(): Row[];
}

/** The stored rows the segment's events change, keyed as the fold looks them up. */
async function loadTouched(client: ClientBase, s: string, events: Event[]): Promise<Loaded> {
  const ids = (types: string[], prefix: string) => [
    ...new Set(events.filter((e) => types.includes(e.type)).map((e) => idOf(e, prefix))),
  ];
  const repIds = ids(['RepMovedTeam', 'RepLeft'], 'rep-');
  const customerIds = ids(['CustomerReassigned', 'KeyAccountFlagChanged'], 'customer-');
  const orderIds = ids(['OrderAmended', 'OrderCancelled'], 'order-');
  const requestIds = ids(['CustomerRequestAnswered', 'CustomerRequestSlaMissed'], 'request-');
  const paperKeys = events
    .filter((e) => e.type.startsWith('WeeklyPlan') || e.type.startsWith('WeeklyReport'))
    .map((e) => [String(e.data.repId), String(e.data.week), e.type.startsWith('WeeklyPlan') ? 'plan' : 'report']);
  const targetKeys = events
    .filter((e) => ['TargetSet', 'TargetRevised', 'TargetProposalApproved'].includes(e.type))
    .map((e) => [String(e.data.repId), String(e.data.month)]);
  const rows = async (sql: string, params: unknown[]) =>
    params.some((p) => Array.isArray(p) && p.length > 0) ? (await client.query(sql, params)).rows : [];
  // One after another: a pg client runs one query at a time (queueing several is deprecated).
  const reps = await rows(`SELECT * FROM ${s}.reps WHERE rep_id = ANY($1)`, [repIds]);
  const customers = await rows(`SELECT * FROM ${s}.customers WHERE customer_id = ANY($1)`, [customerIds]);
  const orders = await rows(`SELECT * FROM ${s}.order_versions WHERE order_id = ANY($1) AND superseded_at IS NULL`, [
    orderIds,
  ]);
  const requests = await rows(`SELECT * FROM ${s}.requests WHERE request_id = ANY($1)`, [requestIds]);
  const papers = await rows(
    `SELECT p.* FROM ${s}.papers p JOIN unnest($1::text[], $2::text[], $3::text[]) k(rep_id, week, kind) USING (rep_id, week, kind)`,
    [paperKeys.map((k) => k[0]), paperKeys.map((k) => k[1]), paperKeys.map((k) => k[2])],
  );
  const targets = await rows(
    `SELECT rep_id, month, max(version) AS version FROM ${s}.target_changes
       JOIN unnest($1::text[], $2::text[]) k(rep_id, month) USING (rep_id, month) GROUP BY 1, 2`,
    [targetKeys.map((k) => k[0]), targetKeys.map((k) => k[1])],
  );
  const storedOrders = new Map(orders.map((row) => [row.order_id as string, normaliseOrder(row)]));
  return {
    reps: new Map(reps.map((row) => [row.rep_id, dates(row, ['hired_on', 'left_on'])])),
    customers: new Map(customers.map((row) => [row.customer_id, dates(row, ['registered_on'])])),
    orders: new Map(storedOrders),
    requests: new Map(requests.map((row) => [row.request_id, dates(row, ['received_on'])])),
    papers: new Map(papers.map((row) => [`${row.rep_id}|${row.week}|${row.kind}`, dates(row, ['due_on'])])),
    targetVersions: new Map(targets.map((row) => [`${row.rep_id}|${row.month}`, Number(row.version)])),
    // Stored versions the segment superseded: written back with their superseded_at.
    supersededOrders: () => [...storedOrders.values()].filter((row) => row.superseded_at !== null),
  };
}

function normaliseOrder(row: Row): Row {
  return { ...dates(row, ['placed_on']), placed_at: (row.placed_at as Date).toISOString() };
}

function dates(row: Row, columns: string[]): Row {
  for (const column of columns)
    if (row[column] instanceof Date) row[column] = (row[column] as Date).toISOString().slice(0, 10);
  return row;
}

const lastHolidaysAt = (events: Event[]) =>
  (events.findLast((e) => e.type === 'HolidaysSet') as Event).metadata.recordedAt;

/** The holidays as a timeline: the current set is superseded at the instant the new one is recorded. */
async function versionHolidays(client: ClientBase, s: string, days: string[], recordedAt: string): Promise<void> {
  await client.query(`UPDATE ${s}.holidays SET superseded_at = $1 WHERE superseded_at IS NULL`, [recordedAt]);
  await insert(
    client,
    `${s}.holidays`,
    days.map((day) => ({ day, recorded_at: recordedAt, superseded_at: null })),
  );
}

/**
 * Splits the months' targets over their working days, from scratch: a month's rows change at every
 * target version and every holiday change after its first version, each interval using the amount
 * and the holidays in force then. Only the stored facts decide the result, not the order in which
 * their events arrived — which, fed from a partitioned topic, differs across streams.
 */
async function splitTargets(client: ClientBase, s: string, months: RepMonth[] | 'all'): Promise<RepDay[]> {
  if (months !== 'all' && months.length === 0) return [];
  const keys = months === 'all' ? null : [months.map((m) => m.repId), months.map((m) => m.month)];
  const { rows: versions } = await client.query(
    `SELECT rep_id, month, amount, recorded_at, position FROM ${s}.target_changes
     ${keys ? 'JOIN unnest($1::text[], $2::text[]) k(rep_id, month) USING (rep_id, month)' : ''}
     ORDER BY rep_id, month, version`,
    keys ?? [],
  );
  const { rows: holidayRows } = await client.query(`SELECT day, recorded_at, superseded_at FROM ${s}.holidays`);
  const holidayChanges = [...new Set(holidayRows.map((row) => (row.recorded_at as Date).getTime()))].sort(
    (a, b) => a - b,
  );
  const holidaysAt = (t: number) =>
    holidayRows
      .filter(
        (row) => row.recorded_at.getTime() <= t && (row.superseded_at === null || row.superseded_at.getTime() > t),
      )
      .map((row) => String(row.day));

  const byMonth = new Map<string, Row[]>();
  for (const version of versions) {
    const key = `${version.rep_id}|${version.month}`;
    byMonth.set(key, [...(byMonth.get(key) ?? []), version]);
  }
  const rows: Row[] = [];
  const touched: RepDay[] = [];
  for (const monthVersions of byMonth.values()) {
    const { rep_id: repId, month } = monthVersions[0] as { rep_id: string; month: string };
    const first = (monthVersions[0]?.recorded_at as Date).getTime();
    const instants = [
      ...new Set([
        ...monthVersions.map((v) => (v.recorded_at as Date).getTime()),
        ...holidayChanges.filter((t) => t > first),
      ]),
    ].sort((a, b) => a - b);
    instants.forEach((t, i) => {
      const version = monthVersions.findLast((v) => (v.recorded_at as Date).getTime() <= t) as Row;
      const next = instants[i + 1];
      for (const share of monthBreakdown(month, version.amount as string, 'day', holidaysAt(t))) {
        rows.push({
          rep_id: repId,
          day: share.period,
          amount: share.amount,
          recorded_at: new Date(t).toISOString(),
          superseded_at: next === undefined ? null : new Date(next).toISOString(),
          position: version.position,
        });
      }
    });
    for (const day of daysOf(periodRange('month', month))) touched.push({ repId, day });
  }
  if (keys)
    await client.query(
      `DELETE FROM ${s}.target_days t USING unnest($1::text[], $2::text[]) k(rep_id, month)
       WHERE t.rep_id = k.rep_id AND to_char(t.day, 'YYYY-MM') = k.month`,
      keys,
    );
  else await client.query(`DELETE FROM ${s}.target_days`);
  await insert(client, `${s}.target_days`, rows);
  return touched;
}

interface FirstOrder {
  customerId: string;
  repId: string | null;
  day: string | null;
  placedAt: string | null;
  orderId: string | null;
}

/** Each customer's earliest live order: it decides `newCustomers` and which visits are to existing customers. */
async function firstOrders(client: ClientBase, s: string, customers: Set<string>): Promise<FirstOrder[]> {
  if (customers.size === 0) return [];
  const { rows } = await client.query(
    `SELECT c AS customer_id, f.* FROM unnest($1::text[]) c LEFT JOIN LATERAL (
       SELECT rep_id, placed_on, placed_at, order_id FROM ${s}.order_versions
       WHERE customer_id = c AND superseded_at IS NULL AND NOT cancelled
       ORDER BY placed_at, order_id COLLATE "C" LIMIT 1) f ON true`,
    [[...customers]],
  );
  return rows.map((row) => ({
    customerId: row.customer_id,
    repId: row.rep_id,
    day: row.placed_on ? String(row.placed_on) : null,
    placedAt: row.placed_at ? (row.placed_at as Date).toISOString() : null,
    orderId: row.order_id,
  }));
}

/**
 * Where a customer's first order moved, the days of the old and new first order change, and so
 * does every visit of theirs between the two instants (it was or was not to an existing customer).
 */
async function firstOrderShifts(client: ClientBase, s: string, before: FirstOrder[]): Promise<RepDay[]> {
  if (before.length === 0) return [];
  const after = new Map(
    (await firstOrders(client, s, new Set(before.map((b) => b.customerId)))).map((a) => [a.customerId, a]),
  );
  const shifted: { customerId: string; from: string | null; to: string | null }[] = [];
  const days: RepDay[] = [];
  for (const old of before) {
    const now = after.get(old.customerId) as FirstOrder;
    if (old.orderId === now.orderId) continue;
    for (const first of [old, now]) if (first.repId && first.day) days.push({ repId: first.repId, day: first.day });
    const instants = [old.placedAt, now.placedAt];
    shifted.push({
      customerId: old.customerId,
      from: instants.includes(null) ? (instants.find((i) => i !== null) ?? null) : (instants.sort()[0] as string),
      to: instants.includes(null) ? null : (instants.sort()[1] as string),
    });
  }
  if (shifted.length === 0) return days;
  const { rows } = await client.query(
    `SELECT DISTINCT v.rep_id, v.occurred_on FROM ${s}.visits v
     JOIN unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) k(customer_id, from_at, to_at)
       ON v.customer_id = k.customer_id AND v.occurred_at > k.from_at AND (k.to_at IS NULL OR v.occurred_at <= k.to_at)`,
    [shifted.map((x) => x.customerId), shifted.map((x) => x.from), shifted.map((x) => x.to)],
  );
  return [...days, ...rows.map((row) => ({ repId: row.rep_id as string, day: String(row.occurred_on) }))];
}

async function insert(client: ClientBase, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1)`, [
    JSON.stringify(rows),
  ]);
}

/** Writes whole rows: inserted, or replacing the stored row with the same key. */
async function upsert(client: ClientBase, table: string, key: string[], rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as Row).filter((column) => !key.includes(column));
  await client.query(
    `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1)
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}
