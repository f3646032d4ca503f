import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { JsonObject, RecordedEvent } from '@salesledger/domain/event';

/**
 * Generated sales histories for the projection specs: a small organisation whose reps register
 * customers, take orders (amended, cancelled), visit, get targets and reviews, file papers and
 * answer requests — recorded in one order, dated in another (late entries, backdated orders).
 */
export const REPS = ['r1', 'r2', 'r3'] as const;
export const TEAMS = ['t1', 't2'] as const;
const START = Date.parse('2025-01-06T08:00:00Z');
const DAY = 86_400_000;

const pick = fc.nat({ max: 1000 });
const dayOffset = fc.integer({ min: -60, max: 420 });
const line = fc.record({
  quantity: fc.integer({ min: 1, max: 5 }),
  cents: fc.integer({ min: 1, max: 40_000 }),
  discount: fc.constantFrom(0, 0.1, 0.25),
  category: fc.constantFrom('hardware', 'service'),
});

const action = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('customer' as const), rep: pick, prospect: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reassign' as const), customer: pick, rep: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('lost' as const), customer: pick, day: dayOffset, lapsed: fc.boolean() }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      rep: pick,
      customer: pick,
      day: dayOffset,
      hour: fc.integer({ min: 0, max: 23 }),
      lines: fc.array(line, { minLength: 1, maxLength: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('amend' as const),
      order: pick,
      lines: fc.array(line, { minLength: 1, maxLength: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), order: pick }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('visit' as const),
      rep: pick,
      customer: pick,
      day: dayOffset,
      hour: fc.integer({ min: 0, max: 23 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('target' as const),
      rep: pick,
      month: fc.integer({ min: 0, max: 14 }),
      cents: fc.integer({ min: 0, max: 5_000_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('paper' as const),
      rep: pick,
      week: fc.integer({ min: 0, max: 60 }),
      plan: fc.boolean(),
      outcome: fc.constantFrom('on-time', 'late', 'overdue', 'overdue-then-late'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      rep: pick,
      customer: pick,
      day: dayOffset,
      minutes: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
      missed: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('review' as const),
      rep: pick,
      month: fc.integer({ min: 0, max: 14 }),
      score: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), rep: pick, team: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('holidays' as const), days: fc.uniqueArray(dayOffset, { maxLength: 6 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('template' as const),
      weights: fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5)),
    }),
  },
);

export const historyArbitrary = (maxLength = 150) => fc.array(action, { minLength: 20, maxLength, size: 'max' });

let templateVersions = 0;

/**
 * Histories of `count` small organisations in one log (thousands of events). Company-wide changes
 * (holidays, template), which re-derive every scorecard, come from the first two only: as rare as
 * in a real company; their template versions run on, as one company's do.
 */
export function organisationsLog(count: number, seed: number, maxLength = 150): RecordedEvent[] {
  return fc
    .sample(historyArbitrary(maxLength), { numRuns: count, seed })
    .flatMap((actions, i) => buildHistory(actions).filter((e) => i < 2 || !COMPANY_WIDE.includes(e.type)))
    .map((e) => (e.type === 'ScorecardTemplateSet' ? { ...e, data: { ...e.data, version: ++templateVersions } } : e));
}

const COMPANY_WIDE = ['HolidaysSet', 'ScorecardTemplateSet'];

type Action = ReturnType<typeof historyArbitrary> extends fc.Arbitrary<(infer A)[]> ? A : never;

const iso = (ms: number) => new Date(ms).toISOString();
const date = (offset: number) => iso(Date.parse('2025-01-01T00:00:00Z') + offset * DAY).slice(0, 10);
const month = (index: number) => `${2025 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** Turns generated actions into a valid event log, ids unique to this history. */
export function buildHistory(actions: Action[]): RecordedEvent[] {
  const run = randomUUID().slice(0, 8);
  const events: RecordedEvent[] = [];
  const revisions = new Map<string, number>();
  let clock = START;
  const emit = (stream: string, type: string, data: JsonObject, actor = 'director-1') => {
    clock += 1 + ((events.length * 7919) % 180) * 60_000; // minutes to hours apart, always forward
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    const position = events.length + 1;
    events.push({
      eventId: randomUUID(),
      streamId: stream,
      revision,
      position,
      checkpoint: String(position),
      hash: '',
      type,
      data,
      metadata: {
        actor: { userId: actor, role: 'director' },
        correlationId: randomUUID(),
        causationId: randomUUID(),
        recordedAt: iso(clock),
      },
    });
  };
  const reps = REPS.map((r) => `${r}-${run}`);
  const teams = TEAMS.map((t) => `${t}-${run}`);
  const repTeam = new Map<string, string>();
  for (const team of teams) emit(`team-${team}`, 'TeamCreated', { id: team, name: team });
  reps.forEach((rep, i) => {
    const team = teams[i % teams.length] as string;
    repTeam.set(rep, team);
    emit(`rep-${rep}`, 'RepHired', { id: rep, name: rep, email: `${rep}@example.com`, teamId: team });
  });
  const customers: { id: string; rep: string; lost: boolean }[] = [];
  const orders: { id: string; cancelled: boolean }[] = [];
  const papers = new Set<string>();
  const at = <T>(list: T[], index: number): T | undefined => list[index % Math.max(1, list.length)];
  const repAt = (index: number) => reps[index % reps.length] as string;
  const priced = (lines: { quantity: number; cents: number; discount: number; category: string }[]) => {
    const out = lines.map((l, i) => {
      const unitPrice = new Big(l.cents).div(100).toFixed(2);
      const net = new Big(unitPrice)
        .times(l.quantity)
        .times(1 - l.discount)
        .round(2, Big.roundHalfEven)
        .toFixed(2);
      return {
        sku: `sku-${i}`,
        category: l.category,
        quantity: l.quantity,
        unitPrice,
        discount: l.discount,
        netAmount: net,
      };
    });
    return { lines: out, netAmount: out.reduce((sum, l) => sum.plus(l.netAmount), new Big(0)).toFixed(2) };
  };

  for (const a of actions) {
    switch (a.kind) {
      case 'customer': {
        const id = `c${customers.length}-${run}`;
        const rep = repAt(a.rep);
        customers.push({ id, rep, lost: false });
        emit(`customer-${id}`, 'CustomerRegistered', {
          id,
          name: id,
          repId: rep,
          status: a.prospect ? 'prospect' : 'customer',
        });
        break;
      }
      case 'reassign': {
        const customer = at(customers, a.customer);
        const rep = repAt(a.rep);
        if (!customer || customer.rep === rep) break;
        emit(`customer-${customer.id}`, 'CustomerReassigned', {
          repId: rep,
          previousRepId: customer.rep,
          reason: 'territory',
        });
        customer.rep = rep;
        break;
      }
      case 'lost': {
        const customer = at(customers, a.customer);
        if (!customer || customer.lost) break;
        customer.lost = true;
        if (a.lapsed)
          emit(
            `customer-${customer.id}`,
            'CustomerLapsed',
            {
              lapsedOn: date(a.day),
              lastOrderAt: iso(Date.parse(date(a.day)) - 180 * DAY),
              churnAfterDays: 180,
              repId: customer.rep,
            },
            'system',
          );
        else
          emit(`customer-${customer.id}`, 'CustomerMarkedLost', {
            reason: 'moved away',
            lostOn: date(a.day),
            repId: customer.rep,
          });
        break;
      }
      case 'order': {
        const customer = at(customers, a.customer);
        if (!customer) break;
        const id = `o${orders.length}-${run}`;
        orders.push({ id, cancelled: false });
        const placedAt = iso(Date.parse(date(a.day)) + a.hour * 3_600_000);
        emit(`order-${id}`, 'OrderPlaced', {
          id,
          repId: repAt(a.rep),
          customerId: customer.id,
          placedAt,
          ...priced(a.lines),
        });
        break;
      }
      case 'amend': {
        const order = at(orders, a.order);
        if (!order || order.cancelled) break;
        emit(`order-${order.id}`, 'OrderAmended', {
          ...priced(a.lines),
          previousNetAmount: '0.00',
          reason: 'correction',
        });
        break;
      }
      case 'cancel': {
        const order = at(orders, a.order);
        if (!order || order.cancelled) break;
        order.cancelled = true;
        emit(`order-${order.id}`, 'OrderCancelled', { reason: 'customer changed mind' });
        break;
      }
      case 'visit': {
        const customer = at(customers, a.customer);
        if (!customer) break;
        const id = `v${events.length}-${run}`;
        const occurredAt = iso(Date.parse(date(a.day)) + a.hour * 3_600_000);
        emit(`visit-${id}`, 'VisitLogged', {
          id,
          repId: repAt(a.rep),
          customerId: customer.id,
          occurredAt,
          kind: 'existing-customer',
        });
        break;
      }
      case 'target': {
        const rep = repAt(a.rep);
        const m = month(a.month);
        emit(`target-${rep}-${m}`, 'TargetSet', {
          repId: rep,
          month: m,
          amount: new Big(a.cents).div(100).toFixed(2),
          reason: 'plan',
        });
        break;
      }
      case 'paper': {
        const rep = repAt(a.rep);
        const monday = Date.parse('2025-01-06T00:00:00Z') + a.week * 7 * DAY;
        const weekLabel = isoWeek(monday);
        const kind = a.plan ? 'Plan' : 'Report';
        const key = `${rep}|${weekLabel}|${kind}`;
        if (papers.has(key)) break;
        papers.add(key);
        const dueAt = iso(monday + (a.plan ? 9 * 3_600_000 : 4 * DAY + 18 * 3_600_000));
        const stream = `papers-${rep}-${weekLabel}`;
        if (a.outcome.startsWith('overdue'))
          emit(stream, `Weekly${kind}Overdue`, { repId: rep, week: weekLabel, dueAt }, 'system');
        if (a.outcome !== 'overdue') {
          const late = a.outcome !== 'on-time';
          const submittedAt = iso(Date.parse(dueAt) + (late ? 3_600_000 : -3_600_000));
          emit(stream, `Weekly${kind}Submitted`, {
            repId: rep,
            week: weekLabel,
            content: 'notes',
            dueAt,
            submittedAt,
            late,
          });
        }
        break;
      }
      case 'request': {
        const customer = at(customers, a.customer);
        if (!customer) break;
        const id = `q${events.length}-${run}`;
        const receivedAt = iso(Date.parse(date(a.day)) + 10 * 3_600_000);
        const dueAt = iso(Date.parse(receivedAt) + 24 * 3_600_000);
        const stream = `request-${id}`;
        emit(stream, 'CustomerRequestReceived', {
          id,
          customerId: customer.id,
          repId: repAt(a.rep),
          subject: 'quote',
          receivedAt,
          slaHours: 24,
          dueAt,
        });
        if (a.missed) emit(stream, 'CustomerRequestSlaMissed', { dueAt }, 'system');
        if (a.minutes !== undefined)
          emit(stream, 'CustomerRequestAnswered', {
            answeredAt: iso(Date.parse(receivedAt) + a.minutes * 60_000),
            responseMinutes: a.minutes,
            withinSla: a.minutes <= 24 * 60,
          });
        break;
      }
      case 'review': {
        const id = `rv${events.length}-${run}`;
        emit(`review-${id}`, 'ReviewRecorded', {
          id,
          repId: repAt(a.rep),
          period: month(a.month),
          score: a.score,
          notes: '',
        });
        break;
      }
      case 'move': {
        const rep = repAt(a.rep);
        const team = teams[a.team % teams.length] as string;
        if (repTeam.get(rep) === team) break;
        emit(`rep-${rep}`, 'RepMovedTeam', { teamId: team, previousTeamId: repTeam.get(rep) as string });
        repTeam.set(rep, team);
        break;
      }
      case 'holidays':
        emit('company-settings', 'HolidaysSet', { dates: [...new Set(a.days.map(date))].sort() });
        break;
      case 'template': {
        const [attainment, discipline, planCompletionRate, requestResponseRate] = a.weights;
        const version = events.filter((e) => e.type === 'ScorecardTemplateSet').length + 1;
        emit('scorecard-template', 'ScorecardTemplateSet', {
          version,
          weights: { attainment, discipline, planCompletionRate, requestResponseRate },
        });
        break;
      }
    }
  }
  return events;
}

const isoWeek = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("kkkk-'W'WW");
