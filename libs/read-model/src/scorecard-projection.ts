import type { ClientBase, Pool } from 'pg';
import type { RecordedEvent } from '@salesledger/domain/event';
import { periodRange, type Grain } from '@salesledger/domain/scorecards/grains';
import { evolveCustomers } from './customers.evolver';
import { recomputeRepDays } from './day-figures';
import { firstOrdersToWatch, firstOrderShifts } from './first-orders';
import { evolveOrders } from './orders.evolver';
import { evolveOrganisation } from './organisation.evolver';
import { evolvePaperwork } from './paperwork.evolver';
import { isSalesEvent, type Recorded, type SalesEvent } from './scorecard-events';
import type { Projection } from './projection-runner';
import { touch, type Batch } from './scorecard-rows';
import { materializeScorecards, scorecardKeys, type ScorecardKeys } from './scorecard-table';
import { writeBatch } from './scorecard-writer';
import { splitTargets } from './target-split';
import { evolveCalendar, evolveTargets } from './targets.evolver';
import { loadBatch } from './touched-rows';
import { evolveVisits } from './visits.evolver';

/**
 * The sales read model: facts (orders, visits, customers, targets, papers, requests, reviews) and
 * the per-rep figures and scorecards computed from them. A segment of the log is folded in memory
 * by one evolver per fact family over the rows it touches, then written by one writer, one
 * statement per table; then the (rep, day) figures and scorecards it made stale are marked, to be
 * recomputed from the facts — so the result never depends on how the log was cut into batches.
 */
export async function applyScorecardEvents(
  client: ClientBase,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  let segment: Recorded<SalesEvent>[] = [];
  for (const event of events) {
    if (!isSalesEvent(event)) continue;
    segment.push(event);
    // The rest of the batch must see a new calendar or template in the stored rows.
    if (event.type === 'HolidaysSet' || event.type === 'ScorecardTemplateSet') {
      await applySegment(client, schema, segment);
      segment = [];
    }
  }
  if (segment.length > 0) await applySegment(client, schema, segment);
}

/** Hands an event to the evolver of its family. */
export function evolveSales(batch: Batch, event: Recorded<SalesEvent>): void {
  switch (event.type) {
    case 'TeamCreated':
    case 'TeamManagerAssigned':
    case 'RepHired':
    case 'RepMovedTeam':
    case 'RepLeft':
      return evolveOrganisation(batch, event);
    case 'CustomerRegistered':
    case 'CustomerReassigned':
    case 'KeyAccountFlagChanged':
    case 'CustomerMarkedLost':
    case 'CustomerLapsed':
      return evolveCustomers(batch, event);
    case 'OrderPlaced':
    case 'OrderAmended':
    case 'OrderCancelled':
      return evolveOrders(batch, event);
    case 'VisitLogged':
    case 'FollowUpCompleted':
    case 'FollowUpMissed':
      return evolveVisits(batch, event);
    case 'TargetSet':
    case 'TargetRevised':
    case 'TargetProposed':
    case 'TargetProposalApproved':
    case 'TargetProposalRejected':
      return evolveTargets(batch, event);
    case 'WeeklyPlanSubmitted':
    case 'WeeklyReportSubmitted':
    case 'WeeklyPlanOverdue':
    case 'WeeklyReportOverdue':
    case 'CustomerRequestReceived':
    case 'CustomerRequestAnswered':
    case 'CustomerRequestSlaMissed':
    case 'ReviewRecorded':
      return evolvePaperwork(batch, event);
    case 'TargetApprovalPolicySet':
    case 'HolidaysSet':
    case 'PapersDueSet':
    case 'AlertSettingsSet':
    case 'ScorecardTemplateSet':
      return evolveCalendar(batch, event);
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

async function applySegment(client: ClientBase, s: string, events: Recorded<SalesEvent>[]): Promise<void> {
  const batch = await loadBatch(client, s, events);
  for (const event of events) evolveSales(batch, event);
  const firstOrdersBefore = await firstOrdersToWatch(client, s, batch.orderCustomers);
  await writeBatch(client, s, batch);
  const months = batch.holidays ? 'all' : [...batch.targetMonths.values()];
  for (const key of await splitTargets(client, s, months)) touch(batch, key.repId, key.day);
  for (const key of await firstOrderShifts(client, s, firstOrdersBefore)) touch(batch, key.repId, key.day);
  const keys = [...batch.dirty.values()];
  if (keys.length > 0)
    await client.query(
      `INSERT INTO ${s}.pending_days SELECT DISTINCT * FROM unnest($1::text[], $2::date[]) ON CONFLICT DO NOTHING`,
      [keys.map((k) => k.repId), keys.map((k) => k.day)],
    );
  if (batch.templates.length > 0 || batch.holidays)
    await client.query(`INSERT INTO ${s}.pending_everything VALUES ($1) ON CONFLICT DO NOTHING`, [
      (events.at(-1) as RecordedEvent).position,
    ]);
}

/**
 * Derives the (rep, day) figures and the period sums that the facts applied since the last call made
 * stale, from the facts themselves, so deriving after every batch or once after many gives the same
 * tables; and leaves the keys of the stored scorecards they move for `settleScorecards`. Everything
 * the API's scorecards read is whole when this returns.
 */
export async function deriveFigures(client: ClientBase, s: string): Promise<void> {
  const { rows } = await client.query<{ rep_id: string; day: string }>(
    `DELETE FROM ${s}.pending_days RETURNING rep_id, day`,
  );
  const days = rows.map((row) => ({ repId: row.rep_id, day: String(row.day) }));
  await recomputeRepDays(client, s, days);
  const keys = [...scorecardKeys(days).values()];
  if (keys.length > 0)
    await client.query(`INSERT INTO ${s}.pending_scorecards SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [
      keys.map((k) => k.repId),
      keys.map((k) => k.range.grain),
      keys.map((k) => k.range.period),
    ]);
}

/**
 * Recomputes the stored scorecards (what BI, the leaderboard and the scorecards feed read) that
 * derived figures left pending, from the period sums as they stand. One settler at a time per
 * schema; it only removes the pending keys it read, so a batch committing meanwhile keeps its own.
 */
export async function settleScorecards(client: ClientBase, s: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${s}.settle`]);
  const { rows } = await client.query<{ rep_id: string; grain: Grain; period: string }>(
    `DELETE FROM ${s}.pending_scorecards RETURNING rep_id, grain, period`,
  );
  // With none stored yet (a rebuild's schema, a new read model) every scorecard is new, and computing
  // all of them takes only the periods that have figures, where the pending keys also hold the
  // periods after each, which a change compares with.
  const {
    rows: [answer],
  } = await client.query<{ everything: boolean }>(
    `WITH changed AS (DELETE FROM ${s}.pending_everything RETURNING 1)
     SELECT EXISTS (SELECT FROM changed) OR NOT EXISTS (SELECT FROM ${s}.scorecards) AS everything`,
  );
  const keys: ScorecardKeys = new Map();
  for (const row of rows)
    keys.set(`${row.rep_id}|${row.grain}|${row.period}`, {
      repId: row.rep_id,
      range: periodRange(row.grain, row.period),
    });
  await materializeScorecards(client, s, answer?.everything ? 'all' : keys);
}

/**
 * The stored scorecards waiting for `settleScorecards` (a key left by several batches counts once);
 * after a change of holidays or template, every stored scorecard (at least 1) until it is settled.
 */
export async function unsettledScorecards(db: Pool | ClientBase, s: string): Promise<number> {
  const { rows } = await db.query<{ keys: number }>(
    `SELECT CASE WHEN EXISTS (SELECT FROM ${s}.pending_everything)
      THEN greatest((SELECT count(*) FROM ${s}.scorecards), 1)
      ELSE (SELECT count(*) FROM (SELECT DISTINCT rep_id, grain, period FROM ${s}.pending_scorecards) k) END::int AS keys`,
  );
  return rows[0]?.keys ?? 0;
}

/** The sales read model as the projector runs it: facts applied per batch, figures derived, scorecards settled. */
export const scorecardsProjection: Projection = {
  name: 'scorecards',
  applies: isSalesEvent,
  apply: applyScorecardEvents,
  derive: deriveFigures,
  settle: settleScorecards,
  unsettled: unsettledScorecards,
};
