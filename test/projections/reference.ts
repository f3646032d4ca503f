import Big from 'big.js';
import { DateTime } from 'luxon';
import type { RecordedEvent } from '@salesledger/domain/event';
import { monthBreakdown } from '@salesledger/domain/periods';

/**
 * The test oracle: every KPI of DESIGN §4 computed the plain way, straight from the list of
 * events, with none of the projection's tables, SQL or batching. Projected scorecards must match it.
 */
export interface ReferencePeriod {
  grain: string;
  period: string;
  start: string; // inclusive
  end: string; // exclusive
  previous: { start: string; end: string };
  yearAgo: { start: string; end: string } | null;
}

const dayOf = (instant: string) => new Date(instant).toISOString().slice(0, 10);
const inRange = (day: string, r: { start: string; end: string }) => day >= r.start && day < r.end;
const half = (value: Big, places: number) => Number(value.round(places, Big.roundHalfUp));

export function referenceScorecard(all: RecordedEvent[], repId: string, p: ReferencePeriod, asOf: string, now: string) {
  const events = all.filter((e) => e.metadata.recordedAt <= asOf);
  const d = (e: RecordedEvent) => e.data as any;
  const sid = (e: RecordedEvent, prefix: string) => e.streamId.slice(prefix.length);

  const orders = new Map<
    string,
    { rep: string; customer: string; placedAt: string; net: string; cancelled: boolean }
  >();
  let holidays: string[] = [];
  const targets = new Map<string, string>(); // rep|month -> amount
  let weights = { attainment: 0.5, discipline: 0.2, planCompletionRate: 0.15, requestResponseRate: 0.15 };
  let templateVersion = 0;
  for (const e of events) {
    if (e.type === 'OrderPlaced')
      orders.set(d(e).id, {
        rep: d(e).repId,
        customer: d(e).customerId,
        placedAt: d(e).placedAt,
        net: d(e).netAmount,
        cancelled: false,
      });
    if (e.type === 'OrderAmended') (orders.get(sid(e, 'order-')) as any).net = d(e).netAmount;
    if (e.type === 'OrderCancelled') (orders.get(sid(e, 'order-')) as any).cancelled = true;
    if (e.type === 'HolidaysSet') holidays = d(e).dates;
    if (e.type === 'TargetSet') targets.set(`${d(e).repId}|${d(e).month}`, d(e).amount);
    if (e.type === 'ScorecardTemplateSet') {
      weights = d(e).weights;
      templateVersion = d(e).version;
    }
  }
  const live = [...orders.entries()].filter(([, o]) => !o.cancelled);
  const firstOrder = new Map<string, { id: string; placedAt: string; rep: string }>();
  for (const [id, o] of live) {
    const current = firstOrder.get(o.customer);
    if (!current || o.placedAt < current.placedAt || (o.placedAt === current.placedAt && id < current.id))
      firstOrder.set(o.customer, { id, placedAt: o.placedAt, rep: o.rep });
  }

  const actualIn = (r: { start: string; end: string }) =>
    live
      .filter(([, o]) => o.rep === repId && inRange(dayOf(o.placedAt), r))
      .reduce((s, [, o]) => s.plus(o.net), new Big(0));

  const targetIn = (r: { start: string; end: string }) => {
    let sum = new Big(0);
    for (const [key, amount] of targets) {
      const [rep, month] = key.split('|') as [string, string];
      if (rep !== repId) continue;
      for (const share of monthBreakdown(month, amount, 'day', holidays))
        if (inRange(share.period, r)) sum = sum.plus(share.amount);
    }
    return sum;
  };

  const actual = actualIn(p);
  const target = targetIn(p);
  const ordersCount = live.filter(([, o]) => o.rep === repId && inRange(dayOf(o.placedAt), p)).length;
  const newCustomers = [...firstOrder.values()].filter((f) => f.rep === repId && inRange(dayOf(f.placedAt), p)).length;
  const prospects = events.filter(
    (e) =>
      e.type === 'CustomerRegistered' &&
      d(e).status === 'prospect' &&
      d(e).repId === repId &&
      inRange(dayOf(e.metadata.recordedAt), p),
  ).length;
  const visits = events.filter(
    (e) => e.type === 'VisitLogged' && d(e).repId === repId && inRange(dayOf(d(e).occurredAt), p),
  );
  const existing = visits.filter((v) =>
    live.some(([, o]) => o.customer === d(v).customerId && o.placedAt < d(v).occurredAt),
  );
  const lost = events.filter(
    (e) =>
      (e.type === 'CustomerMarkedLost' || e.type === 'CustomerLapsed') &&
      d(e).repId === repId &&
      inRange(e.type === 'CustomerLapsed' ? d(e).lapsedOn : d(e).lostOn, p),
  ).length;

  const papers = new Map<string, { due: string; submitted?: boolean; late?: boolean; overdue?: boolean }>();
  for (const e of events.filter(
    (e) => /^Weekly(Plan|Report)(Submitted|Overdue)$/.test(e.type) && d(e).repId === repId,
  )) {
    const key = `${d(e).week}|${e.type.includes('Plan')}`;
    const paper = papers.get(key) ?? { due: dayOf(d(e).dueAt) };
    if (e.type.endsWith('Overdue')) paper.overdue = true;
    else Object.assign(paper, { submitted: true, late: d(e).late });
    papers.set(key, paper);
  }
  const duePapers = [...papers.values()].filter((x) => inRange(x.due, p));
  const onTime = duePapers.filter((x) => x.submitted && !x.late).length;

  const requests = new Map<
    string,
    { rep: string; received: string; minutes?: number; within?: boolean; missed?: boolean }
  >();
  for (const e of events) {
    if (e.type === 'CustomerRequestReceived')
      requests.set(d(e).id, { rep: d(e).repId, received: dayOf(d(e).receivedAt) });
    if (e.type === 'CustomerRequestAnswered')
      Object.assign(requests.get(sid(e, 'request-')) as object, {
        minutes: d(e).responseMinutes,
        within: d(e).withinSla,
      });
    if (e.type === 'CustomerRequestSlaMissed')
      Object.assign(requests.get(sid(e, 'request-')) as object, { missed: true });
  }
  const mine = [...requests.values()].filter((r) => r.rep === repId && inRange(r.received, p));
  const closed = mine.filter((r) => r.minutes !== undefined || r.missed);
  const within = mine.filter((r) => r.within).length;
  const minutes = mine
    .filter((r) => r.minutes !== undefined)
    .map((r) => r.minutes as number)
    .sort((a, b) => a - b);
  const median =
    minutes.length === 0
      ? null
      : minutes.length % 2
        ? (minutes[(minutes.length - 1) / 2] as number)
        : ((minutes[minutes.length / 2 - 1] as number) + (minutes[minutes.length / 2] as number)) / 2;

  const monthly = ['month', 'quarter', 'year'].includes(p.grain);
  const reviews = monthly
    ? events.filter((e) => e.type === 'ReviewRecorded' && d(e).repId === repId && inRange(`${d(e).period}-01`, p))
    : [];
  const discipline = reviews.length
    ? half(reviews.reduce((s, r) => s.plus(d(r).score), new Big(0)).div(reviews.length), 4)
    : null;

  const working = (from: string, to: string) => {
    let n = 0;
    for (let day = DateTime.fromISO(from, { zone: 'utc' }); day.toISODate()! < to; day = day.plus({ days: 1 }))
      if (day.weekday <= 5 && !holidays.includes(day.toISODate()!)) n++;
    return n;
  };
  const today = now.slice(0, 10);
  const total = working(p.start, p.end);
  const elapsed = working(p.start, today < p.start ? p.start : today > p.end ? p.end : today);
  const expected = elapsed === 0 ? new Big(0) : target.times(elapsed).div(total).round(2, Big.roundHalfUp);
  const ratio = (a: Big, b: Big) => (b.eq(0) ? null : half(a.div(b), 4));
  const previous = actualIn(p.previous);
  const yearAgo = p.yearAgo ? actualIn(p.yearAgo) : null;
  const attainment = ratio(actual, target);
  const planRate = duePapers.length ? half(new Big(onTime).div(duePapers.length), 4) : null;
  const responseRate = closed.length ? half(new Big(within).div(closed.length), 4) : null;
  const parts: [number | null, number][] = [
    [attainment === null ? null : Math.min(attainment, 1), weights.attainment],
    [discipline === null ? null : (discipline - 1) / 4, weights.discipline],
    [planRate, weights.planCompletionRate],
    [responseRate, weights.requestResponseRate],
  ];
  let weighted = new Big(0);
  let weightSum = new Big(0);
  for (const [value, weight] of parts)
    if (value !== null && weight !== 0) {
      weighted = weighted.plus(new Big(value).times(weight));
      weightSum = weightSum.plus(weight);
    }
  return {
    target: Number(target),
    actual: Number(actual),
    attainment,
    expectedToDate: Number(expected),
    pace: elapsed === 0 ? null : ratio(actual, expected),
    orders: ordersCount,
    newCustomers,
    prospectsDeveloped: prospects,
    salesVisits: visits.length,
    existingCustomerVisits: existing.length,
    lostCustomers: lost,
    growthRate: previous.eq(0) ? null : half(actual.minus(previous).div(previous), 4),
    yoyGrowth: yearAgo === null || yearAgo.eq(0) ? null : half(actual.minus(yearAgo).div(yearAgo), 4),
    discipline,
    planCompletionRate: planRate,
    requestResponseRate: responseRate,
    medianResponseMinutes: median,
    compositeScore: weightSum.eq(0) ? null : half(weighted.times(100).div(weightSum), 1),
    templateVersion,
  };
}
