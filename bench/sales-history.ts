import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Actor, JsonObject, NewEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { netAmount, sumMoney } from '@salesledger/domain/money';
import { concurrently, prng } from './workload';

/**
 * A year of a sales organisation's event log for the projection benchmark, generated as a
 * discrete-event simulation so that `recordedAt` increases through the log: the organisation is set
 * up in December 2025 (teams, reps, customers, every month's target for 2026), then through the
 * working hours of 2026 reps take orders, visit and receive customer requests, some orders are
 * amended or cancelled and most requests answered later, every rep files a weekly plan and report
 * and gets a monthly review, and a few customers change hands or are lost.
 *
 * Event data has the shapes the scorecard projection reads (see test/projections/history.ts).
 * Deterministic for a seed, except event, correlation and causation ids (random UUIDs).
 */

export interface HistoryShape {
  /** Events of the whole log, exactly: the simulation stops when it has written this many. */
  readonly events: number;
  readonly seed: number;
  readonly teams: number;
  readonly repsPerTeam: number;
  readonly customers: number;
}

export interface HistoryEvent {
  readonly streamId: string;
  readonly event: NewEvent;
}

export const YEAR = 2026;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SETUP_START = Date.UTC(YEAR - 1, 11, 1, 8);
/** Monday of ISO week 1 of 2026 (2025-12-29); 2026 has 53 ISO weeks. */
const WEEK_ONE = Date.UTC(YEAR - 1, 11, 29);
const WEEKS = 53;

/** What arrives during the working day, by weight; follow-ups (amendments, cancellations, answers) are scheduled from these. */
const ARRIVALS = [
  ['order', 45],
  ['visit', 35],
  ['request', 5],
  ['reassign', 0.1],
  ['lost', 0.05],
] as const;
type ArrivalKind = (typeof ARRIVALS)[number][0];
const P_AMEND = 3 / 45;
const P_CANCEL = 2 / 45;
const P_ANSWER = 0.8;
const P_PROSPECT = 0.3;

const CATALOG = [
  { sku: 'CRM-SEAT-PRO', category: 'software', cents: 4_900 },
  { sku: 'CRM-SEAT-STD', category: 'software', cents: 2_900 },
  { sku: 'ONBOARD-PKG', category: 'service', cents: 150_000 },
  { sku: 'SUPPORT-PLUS', category: 'service', cents: 60_000 },
  { sku: 'SCANNER-X2', category: 'hardware', cents: 32_500 },
  { sku: 'KIOSK-15', category: 'hardware', cents: 189_900 },
  { sku: 'DATA-EXPORT', category: 'software', cents: 12_000 },
] as const;
const DISCOUNTS = [0, 0, 0, 0.05, 0.1, 0.25] as const;
const VISIT_OUTCOMES = ['interested', 'follow-up agreed', 'no decision', 'order expected'] as const;

export const teamIds = (shape: HistoryShape) => Array.from({ length: shape.teams }, (_, t) => `t${t + 1}`);
export const repIds = (shape: HistoryShape) =>
  Array.from({ length: shape.teams * shape.repsPerTeam }, (_, r) => `r${String(r + 1).padStart(3, '0')}`);

/** Events written whatever the size of the log: set-up, weekly papers and monthly reviews. */
export function scheduledEvents(shape: HistoryShape): number {
  const reps = shape.teams * shape.repsPerTeam;
  return shape.teams + reps + shape.customers + reps * 12 + reps * WEEKS * 2 + reps * 12;
}

const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The weekdays of 2026, 08:00 UTC each, for spreading arrivals over working hours (10 a day). */
function workingDays(): number[] {
  const days: number[] = [];
  for (let ms = Date.UTC(YEAR, 0, 1, 8); ms < Date.UTC(YEAR + 1, 0, 1); ms += DAY) {
    const weekday = new Date(ms).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(ms);
  }
  return days;
}

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** A binary min-heap on (at, seq). */
class Agenda {
  private readonly items: Scheduled[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(at: number, run: () => void): void {
    const items = this.items;
    items.push({ at, seq: this.seq++, run });
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as Scheduled, items[parent] as Scheduled)) break;
      [items[i], items[parent]] = [items[parent] as Scheduled, items[i] as Scheduled];
      i = parent;
    }
  }

  pop(): Scheduled | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < items.length && before(items[l] as Scheduled, items[min] as Scheduled)) min = l;
        if (r < items.length && before(items[r] as Scheduled, items[min] as Scheduled)) min = r;
        if (min === i) break;
        [items[i], items[min]] = [items[min] as Scheduled, items[i] as Scheduled];
        i = min;
      }
    }
    return top;
  }
}

const before = (a: Scheduled, b: Scheduled) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** The log, event by event in the order to append it; memory stays small whatever its length. */
export function* salesHistory(shape: HistoryShape): Generator<HistoryEvent> {
  const random = prng(shape.seed);
  const int = (n: number) => Math.floor(random() * n);
  const between = (min: number, max: number) => min + random() * (max - min);
  const choose = <T>(items: readonly T[]): T => items[int(items.length)] as T;

  const teams = teamIds(shape);
  const reps = repIds(shape);
  const teamOf = (rep: number) => Math.floor(rep / shape.repsPerTeam);
  const repActor = (rep: number): Actor => ({ userId: reps[rep] as string, role: 'rep' });
  const managerOf = (team: number): Actor => ({ userId: `manager-${teams[team]}`, role: 'manager' });
  const director: Actor = { userId: 'director-1', role: 'director' };
  const admin: Actor = { userId: 'admin', role: 'admin' };

  let out: HistoryEvent[] = [];
  let written = 0;
  let clock = 0;
  const emit = (at: number, streamId: string, type: string, data: JsonObject, actor: Actor) => {
    clock = Math.max(at, clock + 1); // strictly increasing through the log
    const correlationId = randomUUID();
    out.push({
      streamId,
      event: {
        eventId: randomUUID(),
        type,
        data,
        metadata: { actor, correlationId, causationId: correlationId, recordedAt: iso(clock) },
      },
    });
  };
  function* drain(): Generator<HistoryEvent, boolean> {
    for (const event of out) {
      if (written >= shape.events) return false;
      written++;
      yield event;
    }
    out = [];
    return written < shape.events;
  }

  // Set-up, a minute apart through December 2025.
  let at = SETUP_START;
  teams.forEach((id, t) =>
    emit(
      (at += MINUTE),
      `team-${id}`,
      'TeamCreated',
      { id, name: `Team ${t + 1}`, managerUserId: `manager-${id}` },
      admin,
    ),
  );
  reps.forEach((id, r) =>
    emit(
      (at += MINUTE),
      `rep-${id}`,
      'RepHired',
      { id, name: `Rep ${id.slice(1)}`, email: `${id}@example.com`, teamId: teams[teamOf(r)] as string },
      admin,
    ),
  );
  const owner = new Int32Array(shape.customers);
  const prospect = new Uint8Array(shape.customers);
  /** Customers not lost, for picking; `slot` is each one's index in it (-1 once lost). */
  const active = Array.from({ length: shape.customers }, (_, c) => c);
  const slot = Int32Array.from(active);
  const customerId = (c: number) => `c${pad(c + 1, 5)}`;
  for (let c = 0; c < shape.customers; c++) {
    owner[c] = c % reps.length;
    prospect[c] = random() < P_PROSPECT ? 1 : 0;
    const id = customerId(c);
    emit(
      (at += MINUTE),
      `customer-${id}`,
      'CustomerRegistered',
      {
        id,
        name: `Customer ${pad(c + 1, 5)}`,
        repId: reps[owner[c] as number] as string,
        status: prospect[c] ? 'prospect' : 'customer',
      },
      repActor(owner[c] as number),
    );
  }
  for (const rep of reps) {
    const base = 40_000 + int(80_000); // a rep's monthly target, whole currency units
    for (let m = 1; m <= 12; m++) {
      const month = `${YEAR}-${pad(m)}`;
      const amount = `${base + int(20_000)}.00`;
      emit(
        (at += MINUTE),
        `target-${rep}-${month}`,
        'TargetSet',
        { repId: rep, month, amount, reason: 'annual plan' },
        director,
      );
    }
  }
  if (!(yield* drain())) return;

  const agenda = new Agenda();

  // Weekly papers: the plan due Monday 09:00, the report Friday 18:00; most on time.
  for (let w = 0; w < WEEKS; w++) {
    const monday = WEEK_ONE + w * 7 * DAY;
    const week = `${YEAR}-W${pad(w + 1)}`;
    reps.forEach((rep, r) => {
      for (const [kind, dueAt] of [
        ['Plan', monday + 9 * HOUR],
        ['Report', monday + 4 * DAY + 18 * HOUR],
      ] as const) {
        const late = random() < 0.1;
        const submittedAt = dueAt + (late ? between(10 * MINUTE, 30 * HOUR) : -between(5 * MINUTE, 6 * HOUR));
        agenda.push(submittedAt, () =>
          emit(
            submittedAt,
            `papers-${rep}-${week}`,
            `Weekly${kind}Submitted`,
            {
              repId: rep,
              week,
              content: `${kind.toLowerCase()} for ${week}`,
              dueAt: iso(dueAt),
              submittedAt: iso(submittedAt),
              late,
            },
            repActor(r),
          ),
        );
      }
    });
  }

  // Monthly reviews, by the team's manager, on the month's last day.
  let reviews = 0;
  for (let m = 1; m <= 12; m++) {
    const period = `${YEAR}-${pad(m)}`;
    const lastDay = Date.UTC(YEAR, m, 0, 15);
    reps.forEach((rep, r) => {
      const recordedAt = lastDay + r * 2 * MINUTE;
      agenda.push(recordedAt, () => {
        const id = `rv${pad(++reviews, 5)}`;
        emit(
          recordedAt,
          `review-${id}`,
          'ReviewRecorded',
          {
            id,
            repId: rep,
            period,
            score: choose([1, 2, 3, 3, 3, 4, 4, 4, 5, 5]),
            notes: '',
          },
          managerOf(teamOf(r)),
        );
      });
    });
  }

  // Arrivals are spaced so that, with their follow-ups, the log reaches `events` at the end of the
  // year; should chance leave it short, they go on into the new year until it does.
  const weightSum = ARRIVALS.reduce((sum, [, w]) => sum + w, 0);
  const weight = (kind: ArrivalKind) => (ARRIVALS.find(([k]) => k === kind)?.[1] ?? 0) / weightSum;
  const followUps = weight('order') * (P_AMEND + P_CANCEL) + weight('request') * P_ANSWER;
  const arrivals = Math.max(1, Math.round((shape.events - scheduledEvents(shape)) / (1 + followUps)));
  const days = workingDays();
  const arrivalAt = (i: number) => {
    const f = ((i + random()) / arrivals) * days.length; // within slot [i, i + 1) of `arrivals`: increasing
    const day = Math.min(days.length - 1, Math.floor(f)); // past the last slot, on after the year's last working day
    return (days[day] as number) + (f - day) * 10 * HOUR;
  };

  const lines = () =>
    Array.from({ length: 1 + int(3) }, () => {
      const item = choose(CATALOG);
      const quantity = item.category === 'software' ? 1 + int(50) : 1 + int(4);
      const unitPrice = (item.cents / 100).toFixed(2);
      const discount = choose(DISCOUNTS);
      return {
        sku: item.sku,
        category: item.category,
        quantity,
        unitPrice,
        discount,
        netAmount: netAmount(quantity, unitPrice, discount),
      };
    });
  const priced = () => {
    const l = lines();
    return { lines: l, netAmount: sumMoney(l.map((line) => line.netAmount)) };
  };
  const pickActive = () => active[int(active.length)] as number;
  const counters = { order: 0, visit: 0, request: 0 };

  const arrive = (now: number, kind: ArrivalKind) => {
    switch (kind) {
      case 'order': {
        const c = pickActive();
        const r = owner[c] as number;
        const id = `o${pad(++counters.order, 7)}`;
        // Most are entered as they happen, some a few days late.
        const placedAt = random() < 0.85 ? now : now - between(HOUR, 5 * DAY);
        const order = priced();
        const stream = `order-${id}`;
        emit(
          now,
          stream,
          'OrderPlaced',
          {
            id,
            repId: reps[r] as string,
            customerId: customerId(c),
            placedAt: iso(placedAt),
            ...order,
          },
          repActor(r),
        );
        prospect[c] = 0;
        const amendAt = random() < P_AMEND ? now + between(HOUR, 10 * DAY) : undefined;
        const cancelAt = random() < P_CANCEL ? Math.max(now, amendAt ?? now) + between(HOUR, 14 * DAY) : undefined;
        if (amendAt !== undefined)
          agenda.push(amendAt, () =>
            emit(
              amendAt,
              stream,
              'OrderAmended',
              { ...priced(), previousNetAmount: order.netAmount, reason: 'correction' },
              repActor(r),
            ),
          );
        if (cancelAt !== undefined)
          agenda.push(cancelAt, () =>
            emit(cancelAt, stream, 'OrderCancelled', { reason: 'customer changed mind' }, repActor(r)),
          );
        break;
      }
      case 'visit': {
        const c = pickActive();
        const r = owner[c] as number;
        const id = `v${pad(++counters.visit, 7)}`;
        const occurredAt = random() < 0.7 ? now : now - between(HOUR, 3 * DAY);
        const kindOfVisit = prospect[c] ? 'prospecting' : random() < 0.2 ? 'follow-up' : 'existing-customer';
        emit(
          now,
          `visit-${id}`,
          'VisitLogged',
          {
            id,
            repId: reps[r] as string,
            customerId: customerId(c),
            occurredAt: iso(occurredAt),
            kind: kindOfVisit,
            outcome: choose(VISIT_OUTCOMES),
          },
          repActor(r),
        );
        break;
      }
      case 'request': {
        const c = pickActive();
        const r = owner[c] as number;
        const id = `q${pad(++counters.request, 6)}`;
        const stream = `request-${id}`;
        const slaHours = 24;
        emit(
          now,
          stream,
          'CustomerRequestReceived',
          {
            id,
            customerId: customerId(c),
            repId: reps[r] as string,
            subject: choose(['quote', 'delivery date', 'invoice question', 'support']),
            receivedAt: iso(now),
            slaHours,
            dueAt: iso(now + slaHours * HOUR),
          },
          repActor(r),
        );
        if (random() < P_ANSWER) {
          const minutes = random() < 0.85 ? 5 + int(slaHours * 60 - 5) : slaHours * 60 + 1 + int(3000);
          const answeredAt = now + minutes * MINUTE;
          agenda.push(answeredAt, () =>
            emit(
              answeredAt,
              stream,
              'CustomerRequestAnswered',
              {
                answeredAt: iso(answeredAt),
                responseMinutes: minutes,
                withinSla: minutes <= slaHours * 60,
              },
              repActor(r),
            ),
          );
        }
        break;
      }
      case 'reassign': {
        const c = pickActive();
        const from = owner[c] as number;
        const team = teamOf(from);
        const to =
          team * shape.repsPerTeam +
          (((from % shape.repsPerTeam) + 1 + int(shape.repsPerTeam - 1)) % shape.repsPerTeam);
        if (to === from) break;
        owner[c] = to;
        emit(
          now,
          `customer-${customerId(c)}`,
          'CustomerReassigned',
          {
            repId: reps[to] as string,
            previousRepId: reps[from] as string,
            reason: 'territory',
          },
          managerOf(team),
        );
        break;
      }
      case 'lost': {
        if (active.length <= 1) break;
        const c = pickActive();
        const r = owner[c] as number;
        // Out of the pool of customers to pick: swap with the last.
        const i = slot[c] as number;
        const last = active[active.length - 1] as number;
        active[i] = last;
        slot[last] = i;
        active.pop();
        slot[c] = -1;
        emit(
          now,
          `customer-${customerId(c)}`,
          'CustomerMarkedLost',
          {
            reason: 'moved to a competitor',
            lostOn: iso(now).slice(0, 10),
            repId: reps[r] as string,
          },
          repActor(r),
        );
        break;
      }
    }
  };

  const kindFor = (x: number): ArrivalKind => {
    let acc = 0;
    for (const [kind, w] of ARRIVALS) {
      acc += w / weightSum;
      if (x < acc) return kind;
    }
    return 'order';
  };
  const scheduleArrival = (i: number) => {
    const when = arrivalAt(i);
    agenda.push(when, () => {
      arrive(when, kindFor(random()));
      scheduleArrival(i + 1);
    });
  };
  scheduleArrival(0);

  while (agenda.size > 0) {
    (agenda.pop() as Scheduled).run();
    if (!(yield* drain())) return;
  }
}

// ---------------------------------------------------------------------------------------------------
// Loading a generated log into a store (the projection, relay and alerts benchmarks)

const LOAD_CHUNK = 2000;

// A progress line on a terminal only; piped output stays just the report.
const progress = (text: string) => {
  if (process.stdout.isTTY) process.stdout.write(`\r${text.padEnd(72)}\r`);
};

const seconds = (since: number) => (performance.now() - since) / 1000;

export interface LoadResult {
  readonly events: number;
  readonly appends: number;
  readonly seconds: number;
  readonly byType: Record<string, number>;
  /** `recordedAt` of the last event of the log ('' if it was empty). */
  readonly lastRecordedAt: string;
}

/**
 * Appends the log in chunks: within a chunk each stream's events go in one append, `writers` appends
 * at a time; a chunk is written before the next starts, so the log keeps the generated order but
 * for the shuffle within a chunk (and every stream keeps its own order).
 */
export async function loadHistory(
  store: EventStore,
  history: Iterable<HistoryEvent>,
  writers: number,
): Promise<LoadResult> {
  const started = performance.now();
  const byType: Record<string, number> = {};
  let events = 0;
  let appends = 0;
  let lastRecordedAt = '';
  let chunk = new Map<string, NewEvent[]>();
  let inChunk = 0;
  const flush = async () => {
    const groups = [...chunk];
    chunk = new Map();
    inChunk = 0;
    await concurrently(writers, groups.length, async (_writer, task) => {
      const [streamId, streamEvents] = groups[task] as [string, NewEvent[]];
      await store.append(streamId, streamEvents, 'any');
    });
    appends += groups.length;
    progress(`loading: ${events.toLocaleString('en-US')} events, ${Math.round(events / seconds(started))} events/s`);
  };
  for (const { streamId, event } of history) {
    const group = chunk.get(streamId);
    if (group) group.push(event);
    else chunk.set(streamId, [event]);
    byType[event.type] = (byType[event.type] ?? 0) + 1;
    lastRecordedAt = event.metadata.recordedAt;
    events++;
    if (++inChunk >= LOAD_CHUNK) await flush();
  }
  if (inChunk > 0) await flush();
  return { events, appends, seconds: seconds(started), byType, lastRecordedAt };
}
