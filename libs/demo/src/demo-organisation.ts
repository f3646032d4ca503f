import { Faker, en } from '@faker-js/faker';
import { DateTime } from 'luxon';
import { COMPANY_SETTINGS_STREAM } from '@salesledger/domain/company/company-settings.decider';
import type { DomainEvent } from '@salesledger/domain/decider';
import type { Actor, NewEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { netAmount, sumMoney, toMoney } from '@salesledger/domain/money';
import { streams } from '@salesledger/domain/streams';

export const DEMO_STREAM = 'demo-organisation';
const TEAMS = ['North', 'South', 'West'];
const REPS_PER_TEAM = 10;
const CUSTOMERS = 500;
const PARALLEL_APPENDS = 16;
/** Monthly weights, January first: a summer dip and a year-end peak. */
const SEASON = [0.8, 0.85, 1, 1, 1.05, 0.95, 0.7, 0.65, 1.05, 1.1, 1.25, 1.4];
const CATEGORIES = ['tools', 'fasteners', 'safety', 'electrical', 'plumbing'];

type Append = { streamId: string; events: NewEvent[] };

/**
 * Whether to seed: on an empty store, or to finish a seeding that was interrupted (its anchor date
 * is reused, and event ids are deterministic, so appends already made are answered, not repeated).
 */
export async function demoAnchor(store: EventStore, now: Date): Promise<Date | undefined> {
  const [started, finished] = await store.readStream(DEMO_STREAM);
  if (started) return finished ? undefined : new Date(String(started.data.anchor));
  return (await store.readAll(null, 1)).length === 0 ? now : undefined;
}

/** A director, 3 teams, 30 reps, 500 customers and a year of their work up to `anchor`. */
export async function seedDemoOrganisation(store: EventStore, anchor: Date, signal?: AbortSignal): Promise<number> {
  const faker = new Faker({ locale: [en], seed: 2026 });
  const seed: Actor = { userId: 'demo-seed', role: 'system' };
  const event = (type: string, data: DomainEvent['data'], at: DateTime, actor = seed): NewEvent => ({
    eventId: faker.string.uuid(),
    type,
    data,
    metadata: { actor, correlationId: DEMO_STREAM, causationId: DEMO_STREAM, recordedAt: at.toUTC().toISO() as string },
  });
  const end = DateTime.fromJSDate(anchor, { zone: 'utc' });
  const start = end.minus({ months: 11 }).startOf('month');
  await store.append(DEMO_STREAM, [event('DemoSeedingStarted', { anchor: anchor.toISOString() }, end)], 'any');
  let appended = 0;
  for (const batch of chunks(organisation(faker, event, start, end), PARALLEL_APPENDS)) {
    if (signal?.aborted) return appended;
    await Promise.all(batch.map(({ streamId, events }) => store.append(streamId, events, 'no-stream')));
    appended += batch.reduce((n, a) => n + a.events.length, 0);
  }
  await store.append(DEMO_STREAM, [event('DemoSeedingFinished', { events: appended }, end)], 'any');
  return appended;
}

type MakeEvent = (type: string, data: DomainEvent['data'], at: DateTime, actor?: Actor) => NewEvent;

const DIRECTOR: Actor = { userId: 'director', role: 'director' };
const managerOf = (teamId: string): Actor => ({ userId: `manager-${teamId}`, role: 'manager' });
/** What a rep sells in a month of weight 1, on average, with the order mix below (about 21 working days). */
const MONTHLY_SALES = 115_000;
/** A manager's change moving a target by more than this waits for the director (set on the demo's last day). */
const APPROVAL_THRESHOLD = '5000.00';

function* organisation(faker: Faker, event: MakeEvent, start: DateTime, end: DateTime): Generator<Append> {
  yield {
    streamId: streams.user('director'),
    events: [event('UserRegistered', person(faker, 'director', 'director'), start)],
  };
  const reps: { id: string; teamId: string }[] = [];
  for (const [t, name] of TEAMS.entries()) {
    const teamId = name.toLowerCase();
    yield {
      streamId: streams.user(`manager-${teamId}`),
      events: [event('UserRegistered', { ...person(faker, `manager-${teamId}`, 'manager'), teamId }, start)],
    };
    yield {
      streamId: streams.team(teamId),
      events: [event('TeamCreated', { id: teamId, name: `Team ${name}`, managerUserId: `manager-${teamId}` }, start)],
    };
    for (let r = 1; r <= REPS_PER_TEAM; r++) {
      const id = `rep-${String(t * REPS_PER_TEAM + r).padStart(2, '0')}`;
      const { name: repName, email } = person(faker, id, 'rep');
      reps.push({ id, teamId });
      yield { streamId: streams.rep(id), events: [event('RepHired', { id, name: repName, email, teamId }, start)] };
    }
  }
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({
    id: `cust-${String(i + 1).padStart(3, '0')}`,
    repId: faker.helpers.arrayElement(reps).id,
  }));
  for (const customer of customers) {
    const status = faker.datatype.boolean(0.3) ? 'prospect' : 'customer';
    yield {
      streamId: streams.customer(customer.id),
      events: [event('CustomerRegistered', { ...customer, name: faker.company.name(), status }, start)],
    };
  }
  for (const rep of reps)
    yield* repYear(
      faker,
      event,
      rep,
      customers.filter((c) => c.repId === rep.id),
      start,
      end,
    );
  // On the last day the director asks to approve large changes, and a manager at once proposes one
  // for next month: the approver's queue has something in it.
  const policyAt = end.minus({ hours: 2 });
  yield {
    streamId: COMPANY_SETTINGS_STREAM,
    events: [
      event('TargetApprovalPolicySet', { mode: 'above-threshold', threshold: APPROVAL_THRESHOLD }, policyAt, DIRECTOR),
    ],
  };
  const proposer = reps[1] as { id: string; teamId: string };
  const nextMonth = end.plus({ months: 1 }).toFormat('yyyy-MM');
  const proposal = {
    repId: proposer.id,
    month: nextMonth,
    amount: toMoney(Math.round(MONTHLY_SALES * (SEASON[end.plus({ months: 1 }).month - 1] as number)), 'amount'),
    reason: 'new distributor account from next month',
    proposalId: `proposal-${proposer.id}-${nextMonth}`,
    proposedBy: managerOf(proposer.teamId).userId,
  };
  yield {
    streamId: streams.target(proposer.id, nextMonth),
    events: [event('TargetProposed', proposal, end.minus({ hours: 1 }), managerOf(proposer.teamId))],
  };
}

/**
 * Two reps whose month goes wrong, so the lag alerts have something to say on a fresh demo: one
 * sells nothing since the month began, the other has visited no one for the last week.
 */
const LAGGING = { stoppedSelling: 'rep-04', stoppedVisiting: 'rep-17' };

function* repYear(
  faker: Faker,
  event: MakeEvent,
  rep: { id: string; teamId: string },
  customers: { id: string }[],
  start: DateTime,
  end: DateTime,
): Generator<Append> {
  // How well the rep does against the plan: targets are set so that attainment spreads from about
  // 40 % to 140 % across reps (the orders below are drawn alike for everyone).
  const form = faker.number.float({ min: 0.4, max: 1.4, fractionDigits: 2 });
  const base = Math.round(MONTHLY_SALES / form / 1000) * 1000;
  // Every third rep has the last two months' targets revised: by their manager, then by the director.
  const revised = Number(rep.id.slice(-2)) % 3 === 0;
  for (let month = start; month <= end; month = month.plus({ months: 1 })) {
    const key = month.toFormat('yyyy-MM');
    const amount = toMoney(Math.round(base * (SEASON[month.month - 1] as number)), 'amount');
    const events = [event('TargetSet', { repId: rep.id, month: key, amount, reason: 'annual plan' }, month)];
    if (revised && month >= end.minus({ months: 1 }).startOf('month')) {
      const byManager = toMoney(Math.round(Number(amount) * 0.9), 'amount');
      const byDirector = toMoney(Math.round(Number(amount) * 0.95), 'amount');
      const at = (days: number) => DateTime.min(month.plus({ days, hours: 9 }), end.minus({ hours: 3 }));
      const change = (to: string, from: string, reason: string) => ({
        repId: rep.id,
        month: key,
        amount: to,
        reason,
        previousAmount: from,
      });
      events.push(
        event(
          'TargetRevised',
          change(byManager, amount, 'a key account moved its orders to next quarter'),
          at(1),
          managerOf(rep.teamId),
        ),
        event('TargetRevised', change(byDirector, byManager, 'split the difference after the review'), at(2), DIRECTOR),
      );
    }
    yield { streamId: streams.target(rep.id, key), events };
    const score = faker.number.int({ min: 2, max: 5 });
    const review = { id: `review-${rep.id}-${key}`, repId: rep.id, period: key, score, notes: faker.lorem.sentence() };
    if (month.endOf('month') < end)
      yield { streamId: streams.review(review.id), events: [event('ReviewRecorded', review, month.endOf('month'))] };
  }
  const noOrdersFrom = rep.id === LAGGING.stoppedSelling ? end.startOf('month') : undefined;
  const noVisitsFrom = rep.id === LAGGING.stoppedVisiting ? end.minus({ days: 7 }).startOf('day') : undefined;
  for (let day = start; day <= end; day = day.plus({ days: 1 })) {
    if (day.weekday > 5 || customers.length === 0) continue;
    if (day.weekday === 1) yield* weeklyPapers(faker, event, rep.id, day);
    const weight = SEASON[day.month - 1] as number;
    const visits = noVisitsFrom && day >= noVisitsFrom ? 0 : faker.number.int({ min: 0, max: 3 });
    for (let v = visits; v > 0; v--) {
      const at = day.set({ hour: faker.number.int({ min: 8, max: 17 }) });
      const id = `visit-${rep.id}-${at.toFormat('yyyyMMddHH')}-${v}`;
      const kind = faker.helpers.arrayElement(['prospecting', 'existing-customer', 'follow-up']);
      const data = {
        id,
        repId: rep.id,
        customerId: faker.helpers.arrayElement(customers).id,
        occurredAt: at.toISO() as string,
        kind,
        outcome: 'met',
      };
      yield { streamId: streams.visit(id), events: [event('VisitLogged', data, at)] };
    }
    if (faker.datatype.boolean(Math.min(0.95, 0.55 * weight)) && !(noOrdersFrom && day >= noOrdersFrom))
      yield order(faker, event, rep.id, customers, day.set({ hour: 14 }));
    if (faker.datatype.boolean(0.3)) yield request(faker, event, rep.id, customers, day.set({ hour: 10 }));
  }
}

function order(faker: Faker, event: MakeEvent, repId: string, customers: { id: string }[], at: DateTime): Append {
  const id = `order-${repId}-${at.toFormat('yyyyMMdd')}`;
  const lines = Array.from({ length: faker.number.int({ min: 1, max: 4 }) }, () => {
    const line = {
      sku: `SKU-${faker.number.int({ min: 100, max: 119 })}`,
      category: faker.helpers.arrayElement(CATEGORIES),
      quantity: faker.number.int({ min: 1, max: 40 }),
      unitPrice: toMoney(faker.number.float({ min: 5, max: 400, fractionDigits: 2 }), 'unitPrice'),
      discount: faker.helpers.arrayElement([0, 0, 0.05, 0.1]),
    };
    return { ...line, netAmount: netAmount(line.quantity, line.unitPrice, line.discount) };
  });
  const data = {
    id,
    repId,
    customerId: faker.helpers.arrayElement(customers).id,
    placedAt: at.toISO() as string,
    lines,
    netAmount: sumMoney(lines.map((l) => l.netAmount)),
  };
  const events = [event('OrderPlaced', data, at)];
  if (faker.datatype.boolean(0.04))
    events.push(event('OrderCancelled', { reason: 'customer withdrew' }, at.plus({ days: 1 })));
  return { streamId: streams.order(id), events };
}

function request(faker: Faker, event: MakeEvent, repId: string, customers: { id: string }[], at: DateTime): Append {
  const id = `request-${repId}-${at.toFormat('yyyyMMdd')}`;
  const dueAt = at.plus({ hours: 24 });
  const received = {
    id,
    customerId: faker.helpers.arrayElement(customers).id,
    repId,
    subject: faker.commerce.productName(),
    receivedAt: at.toISO() as string,
    slaHours: 24,
    dueAt: dueAt.toISO() as string,
  };
  const answeredAt = at.plus({ hours: faker.number.int({ min: 1, max: 36 }) });
  const answered = {
    answeredAt: answeredAt.toISO() as string,
    responseMinutes: Math.round(answeredAt.diff(at, 'minutes').minutes),
    withinSla: answeredAt <= dueAt,
  };
  return {
    streamId: streams.customerRequest(id),
    events: [event('CustomerRequestReceived', received, at), event('CustomerRequestAnswered', answered, answeredAt)],
  };
}

function* weeklyPapers(faker: Faker, event: MakeEvent, repId: string, monday: DateTime): Generator<Append> {
  const week = monday.toFormat("kkkk-'W'WW");
  const events: NewEvent[] = [];
  for (const [type, due] of [
    ['WeeklyPlanSubmitted', monday.set({ hour: 9 })],
    ['WeeklyReportSubmitted', monday.plus({ days: 4 }).set({ hour: 18 })],
  ] as const) {
    if (faker.datatype.boolean(0.08)) continue;
    const submittedAt = due.plus({ hours: faker.number.int({ min: -20, max: 4 }) });
    events.push(
      event(
        type,
        {
          repId,
          week,
          content: faker.lorem.sentence(),
          dueAt: due.toISO() as string,
          submittedAt: submittedAt.toISO() as string,
          late: submittedAt > due,
        },
        submittedAt,
      ),
    );
  }
  if (events.length > 0) yield { streamId: streams.weeklyPapers(repId, week), events };
}

function person(faker: Faker, id: string, role: string) {
  const name = faker.person.fullName();
  return { id, name, email: `${id}@demo.salesledger.example`, role };
}

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
