import { randomUUID } from 'node:crypto';
import type { Actor, JsonObject } from '@salesledger/domain/event';
import { netAmount, sumMoney } from '@salesledger/domain/money';
import type { HistoryEvent } from './sales-history';
import { prng } from './workload';

/**
 * A large organisation's log up to one instant, for the alert benchmark: `reps` reps in teams of
 * `repsPerTeam`, each with `customersPerRep` customers and a monthly target, then every working
 * day of the month that holds `at` (and of `historyMonths` months before it) until `at`: visits,
 * orders (some placed a few days back, some amended or cancelled later), customer requests (most
 * answered within their SLA, some late, some not yet; `CustomerRequestSlaMissed` when the SLA
 * closes unanswered), weekly plans and reports (most on time, some late, a few never, with the
 * scheduler's `Weekly…Overdue` when one is missing at its due time), customers marked lost or
 * lapsed, target revisions, a few reps hired, moved to another team or leaving during the month.
 *
 * Reps differ, so that every rule has reps it holds for and reps it does not: each has a pace
 * (sold ÷ target, drawn around 1.0), a chance of visiting on a working day, and some stop visiting
 * a few working days before `at`. Events after `at` are not written: what is still to come (an
 * answer, a late paper) is simply missing, as it would be at that instant.
 *
 * Deterministic for a seed, except event, correlation and causation ids (random UUIDs);
 * `recordedAt` increases strictly through the log. Event data has the shapes of the published
 * contracts (libs/contracts), which the bench checks after loading.
 */

export interface OrganisationShape {
  readonly reps: number;
  readonly repsPerTeam: number;
  readonly customersPerRep: number;
  /** The instant the alerts are evaluated at; the log ends there. */
  readonly at: string;
  /** Whole months of activity before the month of `at`. */
  readonly historyMonths: number;
  readonly seed: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Shares that shape the month; each rule gets reps it holds for. */
const P = {
  visitMin: 0.5, // chance of visiting on a working day, per rep, uniform in [visitMin, visitMax]
  visitMax: 0.95,
  secondVisit: 0.1,
  dryRep: 0.07, // stops visiting 1–8 working days before `at`
  visitRecordedLater: 0.2, // logged hours after it happened
  order: 0.8, // chance of an order on a working day
  backdated: 0.12, // placedAt 1–3 days before it was entered
  amend: 0.05,
  cancel: 0.03,
  paceMean: 1.05, // sold ÷ target, normal
  paceSd: 0.15,
  noTarget: 0.02, // per month
  targetRevised: 0.03, // in the month of `at`
  request: 0.1, // per working day
  answeredInSla: 0.8,
  answeredLate: 0.1, // the rest is not answered (yet)
  paperOnTime: 0.89,
  paperLate: 0.08, // the rest is never submitted
  lossesSome: 0.2, // 1–2 customers lost in a month
  lossesMany: 0.04, // 3–4 in a month: the lost-customers rule holds
  lapsed: 0.3, // of losses: CustomerLapsed rather than CustomerMarkedLost
  hiredInMonth: 0.005,
  movedInMonth: 0.005,
  leftInMonth: 0.003,
} as const;

const CATALOG = [
  { sku: 'CRM-SEAT-PRO', category: 'software', cents: 4_900 },
  { sku: 'CRM-SEAT-STD', category: 'software', cents: 2_900 },
  { sku: 'ONBOARD-PKG', category: 'service', cents: 150_000 },
  { sku: 'SUPPORT-PLUS', category: 'service', cents: 60_000 },
  { sku: 'SCANNER-X2', category: 'hardware', cents: 32_500 },
  { sku: 'KIOSK-15', category: 'hardware', cents: 189_900 },
  { sku: 'DATA-EXPORT', category: 'software', cents: 12_000 },
] as const;
const DISCOUNTS = [0, 0, 0, 0.05, 0.1] as const;
const VISIT_OUTCOMES = ['interested', 'follow-up agreed', 'no decision', 'order expected'] as const;

const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isWeekday = (ms: number) => {
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};
/** Midnight UTC of the first day of the month `offset` months from the month of `ms`. */
const monthStart = (ms: number, offset = 0) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
};
const monthOf = (ms: number) => iso(ms).slice(0, 7);

/** ISO week (`YYYY-Www`) of a Monday. */
function isoWeekOfMonday(monday: number): string {
  const thursday = new Date(monday + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const weekOne = Date.UTC(year, 0, 4);
  const weekOneMonday = weekOne - ((new Date(weekOne).getUTCDay() + 6) % 7) * DAY;
  return `${year}-W${pad(1 + Math.round((monday - weekOneMonday) / (7 * DAY)), 2)}`;
}

/** One company holiday a month: the first Wednesday on or after the 10th. */
function holidayOf(month: number): number {
  let ms = month + 9 * DAY;
  while (new Date(ms).getUTCDay() !== 3) ms += DAY;
  return ms;
}

export const repIdsOf = (shape: OrganisationShape): string[] => {
  const width = Math.max(5, String(shape.reps).length);
  return Array.from({ length: shape.reps }, (_, r) => `r${pad(r + 1, width)}`);
};

/** Events of the set-up (teams, reps, customers, targets, holidays), written before the first month. */
export function setUpEvents(shape: OrganisationShape): number {
  const teams = Math.ceil(shape.reps / shape.repsPerTeam);
  return teams + shape.reps * (1 + shape.customersPerRep + shape.historyMonths + 1) + 1;
}

interface Pending {
  readonly at: number;
  readonly streamId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly actor: Actor;
}

/** The log, event by event in the order to append it; memory stays small whatever its length. */
export function* alertOrganisation(shape: OrganisationShape): Generator<HistoryEvent> {
  const random = prng(shape.seed);
  const int = (n: number) => Math.floor(random() * n);
  const between = (min: number, max: number) => min + random() * (max - min);
  const choose = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  const end = Date.parse(shape.at);
  if (!Number.isFinite(end)) throw new Error(`not an instant: ${shape.at}`);
  const currentMonth = monthStart(end);
  const firstMonth = monthStart(end, -shape.historyMonths);
  const months = Array.from({ length: shape.historyMonths + 1 }, (_, i) => monthStart(firstMonth, i));
  const holidays = new Set(months.map((m) => dayOf(holidayOf(m))));
  const isWorkingDay = (ms: number) => isWeekday(ms) && !holidays.has(dayOf(ms));
  const lastDay = monthStart(end, 0) + Math.floor((end - currentMonth) / DAY) * DAY; // midnight of `at`'s day
  const workingDays: number[] = [];
  for (let ms = firstMonth; ms <= lastDay; ms += DAY) if (isWorkingDay(ms)) workingDays.push(ms);
  const workingDaysInMonth = new Map<number, number>();
  for (const m of months) {
    let n = 0;
    for (let ms = m; ms < monthStart(m, 1); ms += DAY) if (isWorkingDay(ms)) n++;
    workingDaysInMonth.set(m, n);
  }
  // Working days of the current month before `at`'s day: when in-month changes (hires, moves, ...) happen.
  const monthDaysSoFar = workingDays.filter((ms) => ms >= currentMonth && ms < lastDay);
  const pickMonthDay = () => (monthDaysSoFar.length > 0 ? choose(monthDaysSoFar) : lastDay);

  const reps = repIdsOf(shape);
  const teamCount = Math.ceil(shape.reps / shape.repsPerTeam);
  const teamWidth = Math.max(3, String(teamCount).length);
  const teams = Array.from({ length: teamCount }, (_, t) => `t${pad(t + 1, teamWidth)}`);
  const customerWidth = Math.max(6, String(shape.reps * shape.customersPerRep).length);
  const customerId = (rep: number, k: number) => `c${pad(rep * shape.customersPerRep + k + 1, customerWidth)}`;
  const admin: Actor = { userId: 'admin', role: 'admin' };
  const director: Actor = { userId: 'director-1', role: 'director' };
  const scheduler: Actor = { userId: 'scheduler', role: 'system' };
  const repActor = (r: number): Actor => ({ userId: reps[r] as string, role: 'rep' });
  const managerOf = (team: number): Actor => ({ userId: `manager-${teams[team]}`, role: 'manager' });

  // Who each rep is this month.
  const n = shape.reps;
  const team = Int32Array.from({ length: n }, (_, r) => Math.floor(r / shape.repsPerTeam));
  const pace = Float64Array.from({ length: n }, () => Math.max(0, P.paceMean + P.paceSd * normal()));
  const visitChance = Float64Array.from({ length: n }, () => between(P.visitMin, P.visitMax));
  const dryFrom = Float64Array.from({ length: n }, () => {
    if (random() >= P.dryRep || workingDays.length === 0) return Infinity;
    const back = 1 + int(8); // the last `back` working days before `at`'s day had no visit
    return workingDays[Math.max(0, workingDays.length - 1 - back)] as number;
  });
  const hiredOn = Float64Array.from({ length: n }, () => (random() < P.hiredInMonth ? pickMonthDay() : -Infinity));
  const leftOn = Float64Array.from({ length: n }, () => (random() < P.leftInMonth ? pickMonthDay() : Infinity));
  const movedOn = Float64Array.from({ length: n }, () => (random() < P.movedInMonth ? pickMonthDay() : Infinity));
  const lostCount = new Int32Array(n); // customers lost so far: c0, c1, ... go first
  /** The target of each rep for each month (null: none set). */
  const targets = months.map(() =>
    Array.from({ length: n }, () => (random() < P.noTarget ? null : 40_000 + int(80_000))),
  );
  const revisedOn = Float64Array.from({ length: n }, () => (random() < P.targetRevised ? pickMonthDay() : Infinity));
  const active = (r: number, day: number) => hiredOn[r]! <= day && day < leftOn[r]!;

  let clock = 0;
  let stopped = false;
  const buckets = new Map<number, Pending[]>(); // by midnight of the day the event happens
  const later = (at: number, streamId: string, type: string, data: JsonObject, actor: Actor) => {
    if (at > end) return; // not happened yet at `at`
    const day = Math.floor(at / DAY) * DAY;
    const bucket = buckets.get(day);
    const pending = { at, streamId, type, data, actor };
    if (bucket) bucket.push(pending);
    else buckets.set(day, [pending]);
  };
  const event = (p: Pending): HistoryEvent => {
    clock = Math.max(p.at, clock + 1);
    const correlationId = randomUUID();
    return {
      streamId: p.streamId,
      event: {
        eventId: randomUUID(),
        type: p.type,
        data: p.data,
        metadata: { actor: p.actor, correlationId, causationId: correlationId, recordedAt: iso(clock) },
      },
    };
  };
  const flush = function* (day: number): Generator<HistoryEvent> {
    const bucket = buckets.get(day) ?? [];
    buckets.delete(day);
    bucket.sort((a, b) => a.at - b.at);
    for (const p of bucket) {
      if (p.at > end) {
        stopped = true;
        return;
      }
      yield event(p);
    }
  };

  const hire = (r: number, at: number): Pending[] => [
    {
      at,
      streamId: `rep-${reps[r]}`,
      type: 'RepHired',
      data: {
        id: reps[r] as string,
        name: `Rep ${reps[r]}`,
        email: `${reps[r]}@example.com`,
        teamId: teams[team[r]!] as string,
      },
      actor: admin,
    },
    ...Array.from({ length: shape.customersPerRep }, (_, k) => ({
      at: at + (k + 1) * 1000,
      streamId: `customer-${customerId(r, k)}`,
      type: 'CustomerRegistered',
      data: {
        id: customerId(r, k),
        name: `Customer ${customerId(r, k).slice(1)}`,
        repId: reps[r] as string,
        status: k % 4 === 3 ? 'prospect' : 'customer',
      },
      actor: repActor(r),
    })),
  ];

  // Set-up, a second apart, ending an hour before the first month.
  const setUp: Pending[] = [];
  const setUpStart = firstMonth - HOUR - setUpEvents(shape) * 1000;
  let at = setUpStart;
  const next = () => (at += 1000);
  setUp.push({
    at: next(),
    streamId: 'company-settings',
    type: 'HolidaysSet',
    data: { dates: [...holidays].sort() },
    actor: director,
  });
  teams.forEach((id, t) =>
    setUp.push({
      at: next(),
      streamId: `team-${id}`,
      type: 'TeamCreated',
      data: { id, name: `Team ${t + 1}`, managerUserId: `manager-${id}` },
      actor: admin,
    }),
  );
  for (let r = 0; r < n; r++) {
    if (hiredOn[r] !== -Infinity) continue; // hired during the month, below
    for (const p of hire(r, 0)) setUp.push({ ...p, at: next() });
  }
  months.forEach((m, i) => {
    for (let r = 0; r < n; r++) {
      const amount = targets[i]![r];
      if (amount === null || amount === undefined || hiredOn[r] !== -Infinity) continue;
      setUp.push({
        at: next(),
        streamId: `target-${reps[r]}-${monthOf(m)}`,
        type: 'TargetSet',
        data: { repId: reps[r] as string, month: monthOf(m), amount: `${amount}.00`, reason: 'annual plan' },
        actor: director,
      });
    }
  });
  for (const p of setUp) yield event(p);

  /** Order lines worth about `amount`. */
  const priced = (amount: number) => {
    const count = 1 + int(3);
    const lines = Array.from({ length: count }, () => {
      const item = choose(CATALOG);
      const unitPrice = (item.cents / 100).toFixed(2);
      const discount = choose(DISCOUNTS);
      const quantity = Math.max(1, Math.round(amount / count / (item.cents / 100) / (1 - discount)));
      return {
        sku: item.sku,
        category: item.category,
        quantity,
        unitPrice,
        discount,
        netAmount: netAmount(quantity, unitPrice, discount),
      };
    });
    return { lines, netAmount: sumMoney(lines.map((line) => line.netAmount)) };
  };
  const counters = { order: 0, visit: 0, request: 0 };
  const within = (day: number) => day + 8 * HOUR + random() * 10 * HOUR; // working hours

  // Losses: per rep and month, how many, on which working days (up to `at` for the current month).
  const lossDays = new Map<number, number[]>(); // midnight → reps (one entry per loss)
  for (const m of months) {
    const days = workingDays.filter((ms) => ms >= m && ms < monthStart(m, 1));
    if (days.length === 0) continue;
    for (let r = 0; r < n; r++) {
      const x = random();
      const count = x < P.lossesMany ? 3 + int(2) : x < P.lossesMany + P.lossesSome ? 1 + int(2) : 0;
      for (let i = 0; i < count; i++) {
        const day = choose(days);
        lossDays.set(day, [...(lossDays.get(day) ?? []), r]);
      }
    }
  }

  for (let day = firstMonth; day <= lastDay && !stopped; day += DAY) {
    const month = monthStart(day);
    const monthIndex = months.indexOf(month);
    const working = isWorkingDay(day);
    // Papers of the week, scheduled on its Monday: the plan due Monday 09:00, the report Friday 18:00.
    if (new Date(day).getUTCDay() === 1) {
      const week = isoWeekOfMonday(day);
      for (let r = 0; r < n; r++) {
        if (!active(r, day)) continue;
        for (const [kind, dueAt] of [
          ['Plan', day + 9 * HOUR],
          ['Report', day + 4 * DAY + 18 * HOUR],
        ] as const) {
          if (dueAt >= leftOn[r]!) continue;
          const stream = `papers-${reps[r]}-${week}`;
          const x = random();
          const submittedAt =
            x < P.paperOnTime
              ? dueAt - between(5 * MINUTE, kind === 'Plan' ? 3 * HOUR : 8 * HOUR)
              : x < P.paperOnTime + P.paperLate
                ? dueAt + between(30 * MINUTE, 40 * HOUR)
                : undefined;
          if (submittedAt !== undefined)
            later(
              submittedAt,
              stream,
              `Weekly${kind}Submitted`,
              {
                repId: reps[r] as string,
                week,
                content: `${kind.toLowerCase()} for ${week}`,
                dueAt: iso(dueAt),
                submittedAt: iso(submittedAt),
                late: submittedAt > dueAt,
              },
              repActor(r),
            );
          if (submittedAt === undefined || submittedAt > dueAt)
            later(
              dueAt + 2 * MINUTE,
              stream,
              `Weekly${kind}Overdue`,
              { repId: reps[r] as string, week, dueAt: iso(dueAt) },
              scheduler,
            );
        }
      }
    }
    for (let r = 0; r < n; r++) {
      if (hiredOn[r] === day)
        for (const p of hire(r, day + 7 * HOUR + r)) later(p.at, p.streamId, p.type, p.data, p.actor);
      if (leftOn[r] === day)
        later(
          day + 7 * HOUR + 30 * MINUTE,
          `rep-${reps[r]}`,
          'RepLeft',
          { reason: 'resigned', leftOn: dayOf(day) },
          admin,
        );
      if (movedOn[r] === day && active(r, day) && teams.length > 1) {
        const to = (team[r]! + 1 + int(teams.length - 1)) % teams.length;
        later(
          day + 7 * HOUR + 45 * MINUTE,
          `rep-${reps[r]}`,
          'RepMovedTeam',
          { teamId: teams[to] as string, previousTeamId: teams[team[r]!] as string },
          managerOf(team[r]!),
        );
        team[r] = to;
      }
      if (revisedOn[r] === day && monthIndex >= 0) {
        const previous = targets[monthIndex]![r];
        if (previous !== null && previous !== undefined && hiredOn[r] === -Infinity) {
          const amount = Math.round(previous * between(0.8, 1.2));
          targets[monthIndex]![r] = amount;
          later(
            within(day),
            `target-${reps[r]}-${monthOf(month)}`,
            'TargetRevised',
            {
              repId: reps[r] as string,
              month: monthOf(month),
              amount: `${amount}.00`,
              previousAmount: `${previous}.00`,
              reason: 'territory change',
            },
            director,
          );
        }
      }
      if (!working || !active(r, day) || day === hiredOn[r]) continue;

      // Visits.
      if (day < dryFrom[r]! && random() < visitChance[r]!) {
        const visits = random() < P.secondVisit ? 2 : 1;
        for (let v = 0; v < visits; v++) {
          const occurredAt = within(day);
          const recordedAt =
            occurredAt + (random() < P.visitRecordedLater ? between(HOUR, 20 * HOUR) : between(MINUTE, 20 * MINUTE));
          const k = int(shape.customersPerRep);
          const id = `v${pad(++counters.visit, 8)}`;
          later(
            recordedAt,
            `visit-${id}`,
            'VisitLogged',
            {
              id,
              repId: reps[r] as string,
              customerId: customerId(r, k),
              occurredAt: iso(occurredAt),
              kind: k % 4 === 3 ? 'prospecting' : random() < 0.2 ? 'follow-up' : 'existing-customer',
              outcome: choose(VISIT_OUTCOMES),
            },
            repActor(r),
          );
        }
      }

      // Orders: enough, on average, to sell `pace` × the month's target.
      const target = monthIndex >= 0 ? targets[monthIndex]![r] : null;
      const daily = (target ?? 60_000) / (workingDaysInMonth.get(month) ?? 21);
      if (random() < P.order) {
        const enteredAt = within(day);
        const placedAt = random() < P.backdated ? enteredAt - between(DAY, 3 * DAY) : enteredAt;
        const id = `o${pad(++counters.order, 8)}`;
        const stream = `order-${id}`;
        const k = lostCount[r]! + int(Math.max(1, shape.customersPerRep - lostCount[r]!));
        const order = priced((daily * pace[r]! * between(0.75, 1.25)) / P.order);
        later(
          enteredAt,
          stream,
          'OrderPlaced',
          {
            id,
            repId: reps[r] as string,
            customerId: customerId(r, Math.min(k, shape.customersPerRep - 1)),
            placedAt: iso(placedAt),
            ...order,
          },
          repActor(r),
        );
        const amendAt = random() < P.amend ? enteredAt + between(HOUR, 4 * DAY) : undefined;
        if (amendAt !== undefined)
          later(
            amendAt,
            stream,
            'OrderAmended',
            {
              ...priced(Number(order.netAmount) * between(0.7, 1.3)),
              previousNetAmount: order.netAmount,
              reason: 'correction',
            },
            repActor(r),
          );
        if (random() < P.cancel)
          later(
            Math.max(enteredAt, amendAt ?? 0) + between(2 * HOUR, 7 * DAY),
            stream,
            'OrderCancelled',
            { reason: 'customer changed mind' },
            repActor(r),
          );
      }

      // Customer requests, 24 h SLA.
      if (random() < P.request) {
        const receivedAt = within(day);
        const dueAt = receivedAt + 24 * HOUR;
        const id = `q${pad(++counters.request, 7)}`;
        const stream = `request-${id}`;
        later(
          receivedAt,
          stream,
          'CustomerRequestReceived',
          {
            id,
            customerId: customerId(r, int(shape.customersPerRep)),
            repId: reps[r] as string,
            subject: choose(['quote', 'delivery date', 'invoice question', 'support']),
            receivedAt: iso(receivedAt),
            slaHours: 24,
            dueAt: iso(dueAt),
          },
          repActor(r),
        );
        const x = random();
        const minutes =
          x < P.answeredInSla
            ? 5 + int(24 * 60 - 10)
            : x < P.answeredInSla + P.answeredLate
              ? 24 * 60 + 30 + int(48 * 60)
              : undefined;
        if (minutes !== undefined)
          later(
            receivedAt + minutes * MINUTE,
            stream,
            'CustomerRequestAnswered',
            {
              answeredAt: iso(receivedAt + minutes * MINUTE),
              responseMinutes: minutes,
              withinSla: minutes <= 24 * 60,
            },
            repActor(r),
          );
        if (minutes === undefined || minutes > 24 * 60)
          later(dueAt + MINUTE, stream, 'CustomerRequestSlaMissed', { dueAt: iso(dueAt) }, scheduler);
      }
    }

    // Customers lost today.
    for (const r of lossDays.get(day) ?? []) {
      if (!active(r, day) || lostCount[r]! >= shape.customersPerRep) continue;
      const c = customerId(r, lostCount[r]!++);
      if (random() < P.lapsed)
        later(
          day + 2 * HOUR + r,
          `customer-${c}`,
          'CustomerLapsed',
          {
            lapsedOn: dayOf(day),
            lastOrderAt: iso(day - 180 * DAY),
            churnAfterDays: 180,
            repId: reps[r] as string,
          },
          scheduler,
        );
      else
        later(
          within(day),
          `customer-${c}`,
          'CustomerMarkedLost',
          { reason: 'moved to a competitor', lostOn: dayOf(day), repId: reps[r] as string },
          repActor(r),
        );
    }
    yield* flush(day);
  }
}
