import { postgresServers } from '../support/postgres-servers';
import { startApi, type ApiUnderTest } from '../support/api-app';

const order = (id: string, repId: string, customerId: string) => ({
  id,
  repId,
  customerId,
  placedAt: '2026-03-02T10:00:00Z',
  lines: [{ sku: 'A-1', category: 'tools', quantity: 3, unitPrice: 19.99, discount: 0.1 }],
});
const visit = (id: string, repId: string, customerId: string) => ({
  id,
  repId,
  customerId,
  occurredAt: '2026-03-02T09:00:00Z',
  kind: 'follow-up',
});

describe.each(postgresServers())('sales routes on $name', (server) => {
  let api: ApiUnderTest;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi(server);
    const admin = (path: string, body: unknown) => expectStatus(api.call('POST', path, undefined, body), 201);
    for (const team of ['north', 'south']) await admin('/v1/teams', { id: team, name: team });
    for (const [id, teamId] of [
      ['rep-n1', 'north'],
      ['rep-n2', 'north'],
      ['rep-s1', 'south'],
    ]) {
      await admin('/v1/reps', { id, name: id, email: `${id}@example.com`, teamId });
      await admin('/v1/customers', { id: `cust-${id}`, name: `Customer of ${id}`, repId: id });
    }
    const users = [
      { id: 'u-director', role: 'director' },
      { id: 'u-manager', role: 'manager', teamId: 'north' },
      { id: 'u-rep', role: 'rep', teamId: 'north', repId: 'rep-n1' },
      { id: 'u-analyst', role: 'analyst' },
    ];
    for (const user of users) {
      await admin('/v1/users', { name: user.id, email: `${user.id}@example.com`, ...user });
      tokens[user.role] = (await expectStatus(api.call('POST', `/v1/users/${user.id}/tokens`), 201)).token;
    }
    tokens.admin = undefined as unknown as string;
  });
  afterAll(() => api.close());

  async function expectStatus(response: Promise<{ status: number; body: any }>, status: number) {
    const { status: actual, body } = await response;
    if (actual !== status) throw new Error(`expected ${status}, got ${actual}: ${JSON.stringify(body)}`);
    return body;
  }

  describe('targets and their audit trail', () => {
    it('sets, revises, answers as of an instant, and lists every change with who and why', async () => {
      const path = '/v1/reps/rep-n2/targets/2026-04';
      expect(
        await expectStatus(api.call('PUT', path, tokens.director, { amount: 10000, reason: 'annual plan' }), 200),
      ).toEqual({
        amount: 10000,
        version: 1,
      });
      await expectStatus(api.call('PUT', path, tokens.manager, { amount: 12500.5, reason: 'new key account' }), 200);

      const history = await expectStatus(api.call('GET', `${path}/history`, tokens.analyst), 200);
      expect(history).toEqual([
        {
          version: 1,
          amount: 10000,
          previousAmount: null,
          reason: 'annual plan',
          actor: { userId: 'u-director', role: 'director' },
          recordedAt: expect.any(String),
        },
        {
          version: 2,
          amount: 12500.5,
          previousAmount: 10000,
          reason: 'new key account',
          actor: { userId: 'u-manager', role: 'manager' },
          recordedAt: expect.any(String),
        },
      ]);
      expect(await expectStatus(api.call('GET', path), 200)).toEqual({ amount: 12500.5, version: 2 });
      const firstKnown = encodeURIComponent(history[0].recordedAt);
      expect(await expectStatus(api.call('GET', `${path}?asOf=${firstKnown}`), 200)).toEqual({
        amount: 10000,
        version: 1,
      });
      await expectStatus(api.call('GET', `${path}?asOf=2000-01-01T00:00:00Z`), 404);
    });

    it('does not record a retried PUT twice', async () => {
      const path = '/v1/reps/rep-s1/targets/2026-04';
      await expectStatus(api.call('PUT', path, undefined, { amount: 500, reason: 'plan' }), 200);
      const before = await api.eventCount();
      expect(await expectStatus(api.call('PUT', path, undefined, { amount: 500, reason: 'plan' }), 200)).toEqual({
        amount: 500,
        version: 1,
      });
      expect(await api.eventCount()).toBe(before);
    });

    it.each([
      ['a month that does not exist', '/v1/reps/rep-n1/targets/2026-13', { amount: 1, reason: 'x' }, 400],
      ['a negative amount', '/v1/reps/rep-n1/targets/2026-05', { amount: -1, reason: 'x' }, 400],
      ['a missing reason', '/v1/reps/rep-n1/targets/2026-05', { amount: 1 }, 400],
      ['an unknown field', '/v1/reps/rep-n1/targets/2026-05', { amount: 1, reason: 'x', approvedBy: 'me' }, 400],
      ['an unknown rep', '/v1/reps/nobody/targets/2026-05', { amount: 1, reason: 'x' }, 404],
    ])('refuses %s and appends nothing', async (_, path, body, status) => {
      const before = await api.eventCount();
      const answer = await expectStatus(api.call('PUT', path, undefined, body), status);
      if (status === 400)
        expect(answer.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]));
      expect(await api.eventCount()).toBe(before);
    });

    it('answers 404 for a month with no target', async () => {
      await expectStatus(api.call('GET', '/v1/reps/rep-n1/targets/2030-01'), 404);
    });
  });

  describe('client-chosen ids', () => {
    it('answers a retried POST with the same result and appends nothing', async () => {
      const first = await expectStatus(
        api.call('POST', '/v1/visits', tokens.rep, visit('visit-retry', 'rep-n1', 'cust-rep-n1')),
        201,
      );
      const before = await api.eventCount();
      expect(
        await expectStatus(
          api.call('POST', '/v1/visits', tokens.rep, visit('visit-retry', 'rep-n1', 'cust-rep-n1')),
          201,
        ),
      ).toEqual(first);
      expect(await api.eventCount()).toBe(before);
    });

    it('answers 409 to a different request under a used id', async () => {
      await expectStatus(api.call('POST', '/v1/orders', tokens.rep, order('order-used', 'rep-n1', 'cust-rep-n1')), 201);
      const changed = { ...order('order-used', 'rep-n1', 'cust-rep-n1'), placedAt: '2026-03-03T10:00:00Z' };
      await expectStatus(api.call('POST', '/v1/orders', tokens.rep, changed), 409);
    });
  });

  describe('orders', () => {
    it('prices lines exactly and cancels once', async () => {
      const placed = await expectStatus(
        api.call('POST', '/v1/orders', tokens.rep, order('order-1', 'rep-n1', 'cust-rep-n1')),
        201,
      );
      expect(placed).toMatchObject({
        status: 'placed',
        netAmount: '53.97',
        lines: [{ unitPrice: '19.99', netAmount: '53.97' }],
      });
      const cancelled = await expectStatus(
        api.call('POST', '/v1/orders/order-1/cancellation', tokens.rep, { reason: 'duplicate' }),
        200,
      );
      expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { reason: 'duplicate' } });
      await expectStatus(api.call('POST', '/v1/orders/order-1/cancellation', tokens.rep, { reason: 'duplicate' }), 200);
      await expectStatus(api.call('POST', '/v1/orders/order-1/cancellation', tokens.rep, { reason: 'other' }), 409);
      await expectStatus(api.call('POST', '/v1/orders/nothing/cancellation', undefined, { reason: 'x' }), 404);
    });

    it.each([
      ['no lines', { lines: [] }],
      ['a quantity that is not a number', { lines: [{ sku: 'a', category: 'b', quantity: 'x', unitPrice: 1 }] }],
      ['a discount above 1', { lines: [{ sku: 'a', category: 'b', quantity: 1, unitPrice: 1, discount: 2 }] }],
      ['a date that is not ISO-8601', { placedAt: 'yesterday' }],
      ['an id with spaces', { id: 'order 2' }],
    ])('refuses %s with field messages', async (_, change) => {
      const before = await api.eventCount();
      const answer = await expectStatus(
        api.call('POST', '/v1/orders', undefined, { ...order('order-bad', 'rep-n1', 'cust-rep-n1'), ...change }),
        400,
      );
      expect(answer.fields.length).toBeGreaterThan(0);
      expect(await api.eventCount()).toBe(before);
    });

    it('answers 404 for an unknown customer', async () => {
      await expectStatus(api.call('POST', '/v1/orders', undefined, order('order-x', 'rep-n1', 'nobody')), 404);
    });
  });

  describe('who may do what (role x ownership)', () => {
    type Ownership = 'own' | 'same team' | 'other team';
    const repOf: Record<Ownership, string> = { own: 'rep-n1', 'same team': 'rep-n2', 'other team': 'rep-s1' };
    let n = 0;
    const routes: Record<string, (repId: string) => [string, string, unknown?]> = {
      'PUT target': (repId) => ['PUT', `/v1/reps/${repId}/targets/2026-06`, { amount: 100 + ++n, reason: 'matrix' }],
      'GET target': (repId) => ['GET', `/v1/reps/${repId}/targets/2026-04`],
      'POST customer': (repId) => ['POST', '/v1/customers', { id: `c-${++n}`, name: 'c', repId, status: 'prospect' }],
      'POST visit': (repId) => ['POST', '/v1/visits', visit(`v-${++n}`, repId, `cust-${repId}`)],
      'POST order': (repId) => ['POST', '/v1/orders', order(`o-${++n}`, repId, `cust-${repId}`)],
      'POST rep': (repId) => [
        'POST',
        '/v1/reps',
        { id: `r-${++n}`, name: 'r', email: 'r@example.com', teamId: repId === 'rep-s1' ? 'south' : 'north' },
      ],
    };
    const ok = {
      'PUT target': 200,
      'GET target': 200,
      'POST customer': 201,
      'POST visit': 201,
      'POST order': 201,
      'POST rep': 201,
    } as Record<string, number>;
    // Expected status per role and ownership; 'ok' is the route's success status.
    const allowed: Record<string, Record<string, Record<Ownership, 'ok' | 403>>> = {
      admin: Object.fromEntries(
        Object.keys(routes).map((r) => [r, { own: 'ok', 'same team': 'ok', 'other team': 'ok' }]),
      ),
      director: Object.fromEntries(
        Object.keys(routes).map((r) => [r, { own: 'ok', 'same team': 'ok', 'other team': 'ok' }]),
      ),
      manager: Object.fromEntries(
        Object.keys(routes).map((r) => [r, { own: 'ok', 'same team': 'ok', 'other team': 403 }]),
      ),
      rep: {
        'PUT target': { own: 403, 'same team': 403, 'other team': 403 },
        'GET target': { own: 'ok', 'same team': 403, 'other team': 403 },
        'POST customer': { own: 'ok', 'same team': 403, 'other team': 403 },
        'POST visit': { own: 'ok', 'same team': 403, 'other team': 403 },
        'POST order': { own: 'ok', 'same team': 403, 'other team': 403 },
        'POST rep': { own: 403, 'same team': 403, 'other team': 403 },
      },
      analyst: Object.fromEntries(
        Object.keys(routes).map((r) => [
          r,
          r === 'GET target'
            ? { own: 'ok', 'same team': 'ok', 'other team': 'ok' }
            : { own: 403, 'same team': 403, 'other team': 403 },
        ]),
      ),
    };
    const cases = Object.entries(allowed).flatMap(([role, byRoute]) =>
      Object.entries(byRoute).flatMap(([route, byOwner]) =>
        (Object.keys(byOwner) as Ownership[]).map(
          (owner) => [role, route, owner, byOwner[owner] === 'ok' ? ok[route] : 403] as const,
        ),
      ),
    );

    beforeAll(async () => {
      for (const repId of Object.values(repOf)) {
        await api.call('PUT', `/v1/reps/${repId}/targets/2026-04`, undefined, {
          amount: 1000,
          reason: 'matrix baseline',
        });
      }
    });

    it.each(cases)('%s: %s of the %s rep -> %s', async (role, route, owner, status) => {
      const [method, path, body] = routes[route]!(repOf[owner]);
      const before = await api.eventCount();
      const answer = await api.call(method, path, tokens[role], body);
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
      if (status === 403) expect(await api.eventCount()).toBe(before);
    });
  });
});
