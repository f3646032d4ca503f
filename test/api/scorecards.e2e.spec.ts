import pino from 'pino';
import { startProjector } from '@salesledger/projector/projector';
import type { Stop } from '@salesledger/platform/service';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

const KPIS = [
  'target',
  'actual',
  'attainment',
  'expectedToDate',
  'pace',
  'orders',
  'newCustomers',
  'prospectsDeveloped',
  'salesVisits',
  'existingCustomerVisits',
  'lostCustomers',
  'growthRate',
  'yoyGrowth',
  'discipline',
  'planCompletionRate',
  'requestResponseRate',
  'medianResponseMinutes',
  'compositeScore',
];

const order = (id: string, placedAt: string, unitPrice: number) => ({
  id,
  repId: 'rep-a',
  customerId: 'cust-1',
  placedAt,
  lines: [{ sku: 'A-1', category: 'tools', quantity: 2, unitPrice }],
});

describe.each(postgresServers())('scorecard routes on $name', (server) => {
  let api: ApiUnderTest;
  let stopProjector: Stop;
  const tokens: Record<string, string> = {};

  async function ok(response: Promise<{ status: number; body: any }>, status = 200) {
    const { status: actual, body } = await response;
    if (actual !== status) throw new Error(`expected ${status}, got ${actual}: ${JSON.stringify(body)}`);
    return body;
  }

  /** The projection is asynchronous: poll until the scorecard shows what was just written. */
  async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const value = await read();
      if (until(value) || attempt > 200) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const scorecard = (grain: string, period: string, token?: string, extra = '') =>
    ok(api.call('GET', `/v1/reps/rep-a/scorecard?grain=${grain}&period=${period}${extra}`, token));

  beforeAll(async () => {
    api = await startApi(server);
    stopProjector = await startProjector(api.runtime, pino({ level: 'silent' }));
    const post = (path: string, body: unknown) => ok(api.call('POST', path, undefined, body), 201);
    await post('/v1/teams', { id: 'north', name: 'North' });
    await post('/v1/teams', { id: 'south', name: 'South' });
    await post('/v1/reps', { id: 'rep-a', name: 'Ada', email: 'ada@example.com', teamId: 'north' });
    await post('/v1/reps', { id: 'rep-b', name: 'Bo', email: 'bo@example.com', teamId: 'south' });
    await post('/v1/customers', { id: 'cust-1', name: 'Acme', repId: 'rep-a' });
    await post('/v1/customers', { id: 'cust-2', name: 'Initech', repId: 'rep-b', status: 'prospect' });
    for (const user of [
      { id: 'u-director', role: 'director' },
      { id: 'u-rep-b', role: 'rep', teamId: 'south', repId: 'rep-b' },
      { id: 'u-manager-s', role: 'manager', teamId: 'south' },
    ]) {
      await post('/v1/users', { name: user.id, email: `${user.id}@example.com`, ...user });
      tokens[user.role] = (await ok(api.call('POST', `/v1/users/${user.id}/tokens`), 201)).token;
    }
    await ok(api.call('PUT', '/v1/reps/rep-a/targets/2026-03', undefined, { amount: 2200, reason: 'plan' }));
    await post('/v1/orders', order('o-1', '2026-03-02T10:00:00Z', 100));
    await post('/v1/orders', order('o-2', '2026-03-10T10:00:00Z', 250));
    await post('/v1/orders', order('o-feb', '2026-02-16T10:00:00Z', 200));
    await post('/v1/visits', {
      id: 'v-1',
      repId: 'rep-a',
      customerId: 'cust-1',
      occurredAt: '2026-03-03T09:00:00Z',
      kind: 'existing-customer',
    });
  });
  afterAll(async () => {
    await stopProjector();
    await api.close();
  });

  it('answers every KPI of a rep for the month, exact to the cent', async () => {
    const card = await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.orders === 2 && c.salesVisits === 1,
    );
    expect(card).toMatchObject({
      repId: 'rep-a',
      grain: 'month',
      period: '2026-03',
      target: '2200.00',
      actual: '700.00',
      attainment: 0.3182,
      orders: 2,
      newCustomers: 0, // cust-1's first order was in February
      salesVisits: 1,
      existingCustomerVisits: 1,
      growthRate: 0.75, // 700 against February's 400
      yoyGrowth: null,
    });
    for (const kpi of KPIS) expect(card).toHaveProperty(kpi);
  });

  it('answers every grain, each with every KPI', async () => {
    for (const [grain, period] of [
      ['day', '2026-03-02'],
      ['week', '2026-W10'],
      ['month', '2026-03'],
      ['quarter', '2026-Q1'],
      ['year', '2026'],
    ]) {
      const card = await scorecard(grain!, period!);
      for (const kpi of KPIS) expect(card).toHaveProperty(kpi);
    }
    const year = await scorecard('year', '2026');
    expect(year).toMatchObject({ actual: '1100.00', orders: 3, newCustomers: 1, target: '2200.00' });
    const day = await scorecard('day', '2026-03-02');
    expect(day).toMatchObject({ actual: '200.00', target: '100.00' }); // March 2026 has 22 working days
  });

  it('follows a cancellation, and still shows what was known before it as of then', async () => {
    await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.orders === 2,
    );
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await ok(api.call('POST', '/v1/orders/o-2/cancellation', undefined, { reason: 'duplicate' }));
    const after = await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.orders === 1,
    );
    expect(after).toMatchObject({ actual: '200.00', orders: 1 });
    expect(await scorecard('month', '2026-03', undefined, `&asOf=${before}`)).toMatchObject({
      actual: '700.00',
      orders: 2,
    });
  });

  it('lists the orders and visits behind a figure, with their event positions', async () => {
    await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.orders === 1,
    );
    const orders = await ok(api.call('GET', '/v1/reps/rep-a/scorecard/orders?grain=month&period=2026-03'));
    expect(orders.items).toEqual([
      {
        orderId: 'o-1',
        customerId: 'cust-1',
        placedAt: expect.any(String),
        netAmount: '200.00',
        position: expect.any(Number),
      },
    ]);
    const newCustomers = await ok(api.call('GET', '/v1/reps/rep-a/scorecard/newCustomers?grain=month&period=2026-02'));
    expect(newCustomers.items).toEqual([expect.objectContaining({ customerId: 'cust-1', firstOrderId: 'o-feb' })]);
  });

  it('ranks reps and rolls teams up', async () => {
    await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.orders === 1,
    );
    const board = await ok(api.call('GET', '/v1/leaderboard?grain=month&period=2026-03'));
    expect(board.entries).toEqual([
      expect.objectContaining({ rank: 1, repId: 'rep-a', teamId: 'north', actual: '200.00' }),
    ]);
    const team = await ok(api.call('GET', '/v1/teams/north/scorecard?grain=year&period=2026'));
    expect(team).toMatchObject({ teamId: 'north', actual: '600.00', orders: 2 });
    const south = await ok(api.call('GET', '/v1/teams/south/scorecard?grain=year&period=2026', tokens.manager));
    expect(south).toMatchObject({ actual: '0.00' });
    expect(await ok(api.call('GET', '/v1/scorecard?grain=year&period=2026', tokens.director))).toMatchObject({
      actual: '600.00',
    });
  });

  it('weighs the composite score by the template a director sets', async () => {
    const before = await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.orders === 1,
    );
    expect(before.compositeScore).toBe(Math.round(Math.min(before.attainment, 1) * 100 * 10) / 10);
    await ok(
      api.call('PUT', '/v1/settings/scorecard-template', tokens.director, {
        weights: { attainment: 1, discipline: 0, planCompletionRate: 0, requestResponseRate: 0 },
      }),
    );
    const after = await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.templateVersion === 1,
    );
    expect(after.templateVersion).toBe(1);
    const refused = await api.call('PUT', '/v1/settings/scorecard-template', tokens.rep, {
      weights: { attainment: 1, discipline: 0, planCompletionRate: 0, requestResponseRate: 0 },
    });
    expect(refused.status).toBe(403);
  });

  it("refuses bad periods with field messages, unknown reps with 404, and other reps' cards with 403", async () => {
    const bad = await api.call('GET', '/v1/reps/rep-a/scorecard?grain=month&period=2026-13');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('period');
    expect((await api.call('GET', '/v1/reps/rep-a/scorecard?grain=fortnight&period=2026-03')).status).toBe(400);
    expect((await api.call('GET', '/v1/reps/rep-a/scorecard?grain=week&period=2026-W54')).status).toBe(400);
    expect((await api.call('GET', '/v1/reps/rep-a/scorecard?grain=month&period=2026-03&asOf=yesterday')).status).toBe(
      400,
    );
    expect((await api.call('GET', '/v1/reps/rep-a/scorecard/bananas?grain=month&period=2026-03')).status).toBe(400);
    expect((await api.call('GET', '/v1/reps/nobody/scorecard?grain=month&period=2026-03')).status).toBe(404);
    expect((await api.call('GET', '/v1/teams/nowhere/scorecard?grain=month&period=2026-03')).status).toBe(404);
    expect((await api.call('GET', '/v1/reps/rep-a/scorecard?grain=month&period=2026-03', tokens.rep)).status).toBe(403);
    expect((await api.call('GET', '/v1/reps/rep-b/scorecard?grain=month&period=2026-03', tokens.rep)).status).toBe(200);
    expect((await api.call('GET', '/v1/leaderboard?grain=month&period=2026-03', tokens.manager)).status).toBe(403);
    expect(
      (await api.call('GET', '/v1/leaderboard?grain=month&period=2026-03&teamId=south', tokens.manager)).status,
    ).toBe(200);
  });

  it('reports each projection in the admin route, /health and /metrics', async () => {
    await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.templateVersion === 1,
    );
    // The stored scorecards settle just after the checkpoint the API reads.
    const [status] = await eventually(
      () => ok(api.call('GET', '/v1/admin/projections')),
      ([s]) => s.unsettled === 0,
    );
    expect(status).toMatchObject({
      name: 'scorecards',
      state: 'running',
      lagEvents: 0,
      lagSeconds: 0,
      unsettled: 0,
      failure: null,
    });
    expect(status.position).toBeGreaterThan(0);
    expect((await api.call('GET', '/v1/admin/projections', tokens.rep)).status).toBe(403);
    const health = await api.call('GET', '/health', '');
    expect(health.body.info.projections.scorecards.state).toBe('running');
    const metrics = await fetch(`${await api.app.getUrl()}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/salesledger_projection_lag_events\{projection="scorecards"\} 0/);
    expect(metrics).toMatch(/salesledger_projection_failed\{projection="scorecards"\} 0/);
    expect(metrics).toMatch(/salesledger_projection_unsettled\{projection="scorecards"\} 0/);
  });
  it('draws the working-day pace of a rep, a team and the company, agreeing with their scorecards', async () => {
    const card = await eventually(
      () => scorecard('month', '2026-03'),
      (c) => c.orders === 1,
    );
    const pace = await ok(api.call('GET', '/v1/reps/rep-a/pace/2026-03'));
    expect(pace).toMatchObject({
      month: '2026-03',
      repId: 'rep-a',
      teamId: null,
      target: card.target,
      actual: card.actual,
      expectedToDate: card.expectedToDate,
      workingDays: 22,
      workingDaysElapsed: 22,
      projection: '200.00', // the month is over: the run rate is what was sold
    });
    expect(pace.days).toHaveLength(31);
    const day = (d: string) => pace.days.find((row: { day: string }) => row.day === d);
    expect(day('2026-03-02')).toMatchObject({ working: true, actual: '200.00', cumulativeActual: '200.00' });
    expect(day('2026-03-07')).toMatchObject({ working: false, target: '0.00' }); // a Saturday
    expect(pace.days.at(-1)).toMatchObject({
      day: '2026-03-31',
      cumulativeTarget: '2200.00',
      cumulativeActual: '200.00',
    });

    const team = await ok(api.call('GET', '/v1/teams/north/pace/2026-03'));
    expect(team).toMatchObject({ teamId: 'north', repId: null, target: '2200.00', actual: '200.00' });
    const company = await ok(api.call('GET', '/v1/pace/2026-03', tokens.director));
    const companyCard = await ok(api.call('GET', '/v1/scorecard?grain=month&period=2026-03', tokens.director));
    expect(company).toMatchObject({ target: companyCard.target, actual: companyCard.actual });

    const before = await ok(api.call('GET', '/v1/reps/rep-a/pace/2026-03?asOf=2026-01-01T00:00:00Z'));
    expect(before).toMatchObject({ target: '0.00', actual: '0.00' });
  });

  it('refuses pace outside reach (403), for unknown reps (404) and bad months (400)', async () => {
    expect((await api.call('GET', '/v1/reps/rep-a/pace/2026-03', tokens.rep)).status).toBe(403);
    expect((await api.call('GET', '/v1/teams/north/pace/2026-03', tokens.manager)).status).toBe(403);
    expect((await api.call('GET', '/v1/pace/2026-03', tokens.manager)).status).toBe(403);
    expect((await api.call('GET', '/v1/reps/nobody/pace/2026-03')).status).toBe(404);
    const bad = await api.call('GET', '/v1/reps/rep-a/pace/2026-13');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('month');
  });
});
