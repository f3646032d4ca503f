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

/** A distinct ISO week for every n, so no two cells of the matrix submit the same paper. */
const uniqueWeek = (n: number) => `${2030 + Math.floor(n / 52)}-W${String((n % 52) + 1).padStart(2, '0')}`;

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
        amount: '10000.00',
        version: 1,
      });
      await expectStatus(api.call('PUT', path, tokens.manager, { amount: 12500.5, reason: 'new key account' }), 200);

      const history = await expectStatus(api.call('GET', `${path}/history`, tokens.analyst), 200);
      expect(history).toEqual([
        {
          version: 1,
          amount: '10000.00',
          previousAmount: null,
          reason: 'annual plan',
          actor: { userId: 'u-director', role: 'director' },
          approver: null,
          recordedAt: expect.any(String),
        },
        {
          version: 2,
          amount: '12500.50',
          previousAmount: '10000.00',
          reason: 'new key account',
          actor: { userId: 'u-manager', role: 'manager' },
          approver: null,
          recordedAt: expect.any(String),
        },
      ]);
      expect(await expectStatus(api.call('GET', path), 200)).toEqual({ amount: '12500.50', version: 2 });
      const firstKnown = encodeURIComponent(history[0].recordedAt);
      expect(await expectStatus(api.call('GET', `${path}?asOf=${firstKnown}`), 200)).toEqual({
        amount: '10000.00',
        version: 1,
      });
      await expectStatus(api.call('GET', `${path}?asOf=2000-01-01T00:00:00Z`), 404);
    });

    it("makes a manager's large change a proposal that appears in the history with proposer and approver", async () => {
      const path = '/v1/reps/rep-n1/targets/2026-08';
      await expectStatus(
        api.call('PUT', '/v1/settings/target-approval', tokens.director, { mode: 'above-threshold', threshold: 1000 }),
        200,
      );
      try {
        await expectStatus(api.call('PUT', path, tokens.director, { amount: 5000, reason: 'plan' }), 200);
        expect(
          await expectStatus(api.call('PUT', path, tokens.manager, { amount: 5500, reason: 'small' }), 200),
        ).toEqual({ amount: '5500.00', version: 2 });
        const proposal = await expectStatus(
          api.call('PUT', path, tokens.manager, { amount: 9000, reason: 'new account' }),
          202,
        );
        expect(proposal).toMatchObject({ status: 'pending', amount: '9000.00' });
        expect(await expectStatus(api.call('GET', path), 200)).toEqual({ amount: '5500.00', version: 2 });

        const approvalPath = `${path}/proposals/${proposal.proposalId}/approval`;
        await expectStatus(api.call('POST', approvalPath, tokens.manager), 403);
        expect(await expectStatus(api.call('POST', approvalPath, tokens.director), 200)).toMatchObject({
          status: 'approved',
          amount: '9000.00',
          version: 3,
        });
        await expectStatus(
          api.call('POST', `${path}/proposals/${proposal.proposalId}/rejection`, tokens.director, { reason: 'late' }),
          409,
        );

        const history = await expectStatus(api.call('GET', `${path}/history`), 200);
        expect(history[2]).toMatchObject({
          version: 3,
          amount: '9000.00',
          previousAmount: '5500.00',
          reason: 'new account',
          actor: { userId: 'u-manager' },
          approver: { userId: 'u-director', role: 'director' },
        });

        const rejected = await expectStatus(
          api.call('PUT', path, tokens.manager, { amount: 20000, reason: 'too much' }),
          202,
        );
        await expectStatus(
          api.call('POST', `${path}/proposals/${rejected.proposalId}/rejection`, tokens.director, { reason: 'no' }),
          200,
        );
        expect(await expectStatus(api.call('GET', path), 200)).toEqual({ amount: '9000.00', version: 3 });
      } finally {
        await expectStatus(api.call('PUT', '/v1/settings/target-approval', tokens.director, { mode: 'off' }), 200);
      }
    });

    it('splits a month target over weeks and working days, minus the company holidays', async () => {
      const path = '/v1/reps/rep-n2/targets/2026-12';
      await expectStatus(api.call('PUT', path, tokens.director, { amount: 2100, reason: 'plan' }), 200);
      const before = await expectStatus(api.call('GET', `${path}/breakdown?grain=week`, tokens.manager), 200);
      expect(before).toMatchObject({ month: '2026-12', amount: '2100.00', workingDays: 23 });
      await expectStatus(api.call('PUT', '/v1/settings/holidays', tokens.manager, { dates: ['2026-12-25'] }), 403);
      await expectStatus(
        api.call('PUT', '/v1/settings/holidays', tokens.director, { dates: ['2026-12-25', '2026-12-31'] }),
        200,
      );
      const days = await expectStatus(api.call('GET', `${path}/breakdown?grain=day`, tokens.manager), 200);
      expect(days.workingDays).toBe(21);
      expect(days.periods).toHaveLength(21);
      expect(days.periods.map((p: { period: string }) => p.period)).not.toContain('2026-12-25');
      expect(days.periods.every((p: { amount: string }) => p.amount === '100.00')).toBe(true);
      await expectStatus(api.call('GET', `${path}/breakdown?grain=quarter`), 400);
      await expectStatus(api.call('PUT', '/v1/settings/holidays', tokens.director, { dates: ['next friday'] }), 400);
      await expectStatus(api.call('PUT', '/v1/settings/holidays', tokens.director, { dates: [] }), 200);
    });

    it('sets a company plan, checking every level, and gives each planned rep their monthly targets', async () => {
      const plan = {
        amount: 120000,
        weights: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        reason: 'board approved',
        teams: [
          {
            teamId: 'north',
            amount: 80000,
            reps: [
              { repId: 'rep-n1', amount: 48000 },
              { repId: 'rep-n2', amount: 32000 },
            ],
          },
          { teamId: 'south', amount: 40000 },
        ],
      };
      await expectStatus(api.call('PUT', '/v1/company-plans/2031', tokens.manager, plan), 403);
      const broken = { ...plan, teams: [{ ...plan.teams[0], amount: 70000 }, plan.teams[1]] };
      const refused = await expectStatus(api.call('PUT', '/v1/company-plans/2031', tokens.director, broken), 400);
      expect(refused.fields.map((f: { field: string }) => f.field)).toEqual(
        expect.arrayContaining(['teams', 'teams.north.reps']),
      );
      const wrongTeam = {
        ...plan,
        teams: [plan.teams[0], { teamId: 'south', amount: 40000, reps: [{ repId: 'rep-n1', amount: 40000 }] }],
      };
      await expectStatus(api.call('PUT', '/v1/company-plans/2031', tokens.director, wrongTeam), 400);

      const set = await expectStatus(api.call('PUT', '/v1/company-plans/2031', tokens.director, plan), 200);
      expect(set).toMatchObject({ year: 2031, amount: '120000.00', version: 1, repMonthTargets: 24 });
      expect(await expectStatus(api.call('GET', '/v1/reps/rep-n1/targets/2031-05'), 200)).toEqual({
        amount: '4000.00',
        version: 1,
      });
      const history = await expectStatus(api.call('GET', '/v1/reps/rep-n2/targets/2031-12/history'), 200);
      expect(history).toEqual([
        expect.objectContaining({
          amount: '2666.66',
          reason: 'company plan 2031 v1: board approved',
          actor: { userId: 'u-director', role: 'director' },
        }),
      ]);

      const before = await api.eventCount();
      expect(await expectStatus(api.call('PUT', '/v1/company-plans/2031', tokens.director, plan), 200)).toMatchObject({
        version: 1,
      });
      expect(await api.eventCount()).toBe(before);
      expect(await expectStatus(api.call('GET', '/v1/company-plans/2031', tokens.analyst), 200)).toMatchObject({
        version: 1,
        teams: { south: { amount: '40000.00' } },
      });
      await expectStatus(api.call('GET', '/v1/company-plans/2031', tokens.rep), 403);
      await expectStatus(api.call('GET', '/v1/company-plans/1999x'), 400);
    });

    it('splits a target by product category when asked, and keeps the split in the history', async () => {
      const path = '/v1/reps/rep-s1/targets/2026-09';
      const split = {
        amount: 1000,
        reason: 'by line',
        categories: [
          { category: 'tools', amount: 700 },
          { category: 'parts', amount: 300 },
        ],
      };
      expect(await expectStatus(api.call('PUT', path, tokens.director, split), 200)).toEqual({
        amount: '1000.00',
        version: 1,
        categories: { tools: '700.00', parts: '300.00' },
      });
      await expectStatus(
        api.call('PUT', path, tokens.director, { ...split, categories: [{ category: 'tools', amount: 1 }] }),
        400,
      );
      expect(await expectStatus(api.call('GET', path), 200)).toEqual({
        amount: '1000.00',
        version: 1,
        categories: { tools: '700.00', parts: '300.00' },
      });
      expect((await expectStatus(api.call('GET', `${path}/history`), 200))[0]).toMatchObject({
        categories: { tools: '700.00', parts: '300.00' },
      });
    });

    it('does not record a retried PUT twice', async () => {
      const path = '/v1/reps/rep-s1/targets/2026-04';
      await expectStatus(api.call('PUT', path, undefined, { amount: 500, reason: 'plan' }), 200);
      const before = await api.eventCount();
      expect(await expectStatus(api.call('PUT', path, undefined, { amount: 500, reason: 'plan' }), 200)).toEqual({
        amount: '500.00',
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

    it('amends an order: new lines, the same date; the same amendment again changes nothing', async () => {
      await expectStatus(
        api.call('POST', '/v1/orders', tokens.rep, order('order-amend', 'rep-n1', 'cust-rep-n1')),
        201,
      );
      const change = {
        reason: 'customer added a box',
        lines: [{ sku: 'A-1', category: 'tools', quantity: 4, unitPrice: 19.99, discount: 0.1 }],
      };
      const amended = await expectStatus(
        api.call('POST', '/v1/orders/order-amend/amendments', tokens.rep, change),
        200,
      );
      expect(amended).toMatchObject({
        netAmount: '71.96',
        placedAt: '2026-03-02T10:00:00Z',
        amendments: 1,
        status: 'placed',
      });
      expect(
        await expectStatus(api.call('POST', '/v1/orders/order-amend/amendments', tokens.rep, change), 200),
      ).toMatchObject({ amendments: 1 });
      await expectStatus(api.call('POST', '/v1/orders/order-amend/cancellation', tokens.rep, { reason: 'gone' }), 200);
      await expectStatus(api.call('POST', '/v1/orders/order-amend/amendments', tokens.rep, change), 409);
      await expectStatus(api.call('POST', '/v1/orders/order-amend/amendments', tokens.analyst, change), 403);
    });

    it('closes a visit follow-up once', async () => {
      const visitWithFollowUp = { ...visit('visit-follow', 'rep-n1', 'cust-rep-n1'), followUpOn: '2026-03-09' };
      await expectStatus(api.call('POST', '/v1/visits', tokens.rep, visitWithFollowUp), 201);
      expect(
        await expectStatus(
          api.call('POST', '/v1/visits/visit-follow/follow-up', tokens.rep, { outcome: 'completed', on: '2026-03-09' }),
          200,
        ),
      ).toMatchObject({
        followUp: 'completed',
      });
      await expectStatus(
        api.call('POST', '/v1/visits/visit-follow/follow-up', tokens.rep, { outcome: 'missed', on: '2026-03-10' }),
        409,
      );
      await expectStatus(
        api.call('POST', '/v1/visits/nothing/follow-up', tokens.rep, { outcome: 'missed', on: '2026-03-10' }),
        404,
      );
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

  describe('organisation and customer lifecycle', () => {
    it('moves a rep to another team, which moves who may manage them; a manager reaches only one of the two', async () => {
      await expectStatus(
        api.call('POST', '/v1/reps', undefined, { id: 'rep-move', name: 'm', email: 'm@example.com', teamId: 'north' }),
        201,
      );
      await expectStatus(
        api.call('PUT', '/v1/reps/rep-move/targets/2026-07', tokens.manager, { amount: 1, reason: 'x' }),
        200,
      );
      await expectStatus(api.call('POST', '/v1/reps/rep-move/move', tokens.manager, { teamId: 'south' }), 403);
      const moved = await expectStatus(
        api.call('POST', '/v1/reps/rep-move/move', tokens.director, { teamId: 'south' }),
        200,
      );
      expect(moved).toMatchObject({ teamId: 'south', status: 'active' });
      await expectStatus(
        api.call('PUT', '/v1/reps/rep-move/targets/2026-07', tokens.manager, { amount: 2, reason: 'y' }),
        403,
      );
      await expectStatus(api.call('POST', '/v1/reps/rep-move/move', undefined, { teamId: 'nowhere' }), 404);
    });

    it('records a departure once', async () => {
      await expectStatus(
        api.call('POST', '/v1/reps', undefined, { id: 'rep-gone', name: 'g', email: 'g@example.com', teamId: 'south' }),
        201,
      );
      const left = await expectStatus(
        api.call('POST', '/v1/reps/rep-gone/departure', undefined, { reason: 'resigned', leftOn: '2026-06-30' }),
        200,
      );
      expect(left).toMatchObject({ status: 'left' });
      await expectStatus(
        api.call('POST', '/v1/reps/rep-gone/departure', undefined, { reason: 'other', leftOn: '2026-06-30' }),
        409,
      );
      await expectStatus(api.call('POST', '/v1/reps/rep-gone/move', undefined, { teamId: 'north' }), 409);
    });

    it('reassigns a customer, flags a key account and marks it lost', async () => {
      await expectStatus(
        api.call('POST', '/v1/customers', tokens.rep, {
          id: 'cust-life',
          name: 'Life',
          repId: 'rep-n1',
          status: 'prospect',
        }),
        201,
      );
      expect(
        await expectStatus(
          api.call('POST', '/v1/customers/cust-life/reassignment', tokens.manager, {
            repId: 'rep-n2',
            reason: 'territory',
          }),
          200,
        ),
      ).toMatchObject({ repId: 'rep-n2' });
      await expectStatus(
        api.call('POST', '/v1/customers/cust-life/reassignment', tokens.manager, { repId: 'rep-s1', reason: 'x' }),
        403,
      );
      expect(
        await expectStatus(
          api.call('PUT', '/v1/customers/cust-life/key-account', tokens.director, { keyAccount: true }),
          200,
        ),
      ).toMatchObject({ keyAccount: true });
      expect(
        await expectStatus(
          api.call('POST', '/v1/customers/cust-life/loss', tokens.manager, {
            reason: 'competitor',
            lostOn: '2026-05-31',
          }),
          200,
        ),
      ).toMatchObject({ lost: true });
      await expectStatus(
        api.call('POST', '/v1/customers/cust-life/loss', tokens.manager, { reason: 'again', lostOn: '2026-06-01' }),
        409,
      );
      await expectStatus(
        api.call('POST', '/v1/customers/nobody/loss', undefined, { reason: 'x', lostOn: '2026-06-01' }),
        404,
      );
    });
  });

  describe('rep work', () => {
    it('takes a weekly plan and report once each, stamped with the server time', async () => {
      const plan = await expectStatus(
        api.call('PUT', '/v1/reps/rep-n1/plans/2026-W10', tokens.rep, { content: 'Acme, Globex' }),
        200,
      );
      expect(plan).toMatchObject({ repId: 'rep-n1', week: '2026-W10', dueAt: '2026-03-02T09:00:00.000Z', late: true });
      await expectStatus(
        api.call('PUT', '/v1/reps/rep-n1/plans/2026-W10', tokens.rep, { content: 'Acme, Globex' }),
        200,
      );
      await expectStatus(api.call('PUT', '/v1/reps/rep-n1/plans/2026-W10', tokens.rep, { content: 'changed' }), 409);
      await expectStatus(api.call('PUT', '/v1/reps/rep-n1/reports/2026-W10', tokens.rep, { content: 'done' }), 200);
      await expectStatus(api.call('PUT', '/v1/reps/rep-n1/plans/2026-W99', tokens.rep, { content: 'x' }), 400);
      await expectStatus(api.call('PUT', '/v1/reps/rep-n2/plans/2026-W10', tokens.rep, { content: 'x' }), 403);
    });

    it("judges lateness by the company's cadence", async () => {
      const due = { plan: { weekday: 2, hour: 12 }, report: { weekday: 5, hour: 18 } };
      await expectStatus(api.call('PUT', '/v1/settings/papers-due', tokens.manager, due), 403);
      await expectStatus(
        api.call('PUT', '/v1/settings/papers-due', tokens.director, { ...due, plan: { weekday: 8, hour: 12 } }),
        400,
      );
      expect(await expectStatus(api.call('PUT', '/v1/settings/papers-due', tokens.director, due), 200)).toMatchObject({
        papersDue: due,
      });
      try {
        const plan = await expectStatus(
          api.call('PUT', '/v1/reps/rep-n1/plans/2026-W11', tokens.rep, { content: 'x' }),
          200,
        );
        expect(plan).toMatchObject({ dueAt: '2026-03-10T12:00:00.000Z' });
      } finally {
        await expectStatus(
          api.call('PUT', '/v1/settings/papers-due', tokens.director, {
            plan: { weekday: 1, hour: 9 },
            report: { weekday: 5, hour: 18 },
          }),
          200,
        );
      }
    });

    it('records a review with a discipline score of 1 to 5; a rep cannot review', async () => {
      const review = { id: 'review-1', repId: 'rep-n2', period: '2026-03', score: 4, notes: 'steady' };
      expect(await expectStatus(api.call('POST', '/v1/reviews', tokens.manager, review), 201)).toEqual(review);
      await expectStatus(api.call('POST', '/v1/reviews', tokens.manager, { ...review, id: 'review-2', score: 6 }), 400);
      await expectStatus(api.call('POST', '/v1/reviews', tokens.rep, { ...review, id: 'review-3' }), 403);
    });

    it('answers a customer request and says whether it was within the SLA', async () => {
      const received = await expectStatus(
        api.call('POST', '/v1/customer-requests', tokens.rep, {
          id: 'req-1',
          customerId: 'cust-rep-n1',
          subject: 'quote',
          receivedAt: '2026-03-02T09:00:00Z',
        }),
        201,
      );
      expect(received).toMatchObject({
        repId: 'rep-n1',
        slaHours: 24,
        dueAt: '2026-03-03T09:00:00.000Z',
        answered: false,
      });
      const answered = await expectStatus(
        api.call('POST', '/v1/customer-requests/req-1/answer', tokens.rep, { answeredAt: '2026-03-03T10:00:00Z' }),
        200,
      );
      expect(answered).toMatchObject({ answered: true });
      await expectStatus(
        api.call('POST', '/v1/customer-requests/req-1/answer', tokens.rep, { answeredAt: '2026-03-03T11:00:00Z' }),
        409,
      );
      await expectStatus(
        api.call('POST', '/v1/customer-requests/none/answer', tokens.rep, { answeredAt: '2026-03-03T11:00:00Z' }),
        404,
      );
    });
  });

  describe('who may do what (role x ownership)', () => {
    type Ownership = 'own' | 'same team' | 'other team';
    type Rule = Record<Ownership, 'ok' | 403>;
    const repOf: Record<Ownership, string> = { own: 'rep-n1', 'same team': 'rep-n2', 'other team': 'rep-s1' };
    const teamOf = (repId: string) => (repId === 'rep-s1' ? 'south' : 'north');
    const everyone: Rule = { own: 'ok', 'same team': 'ok', 'other team': 'ok' };
    const nobody: Rule = { own: 403, 'same team': 403, 'other team': 403 };
    const team: Rule = { own: 'ok', 'same team': 'ok', 'other team': 403 };
    const self: Rule = { own: 'ok', 'same team': 403, 'other team': 403 };
    /** What each role may do with a rep's data, by kind of route. */
    const rules = {
      repWork: { admin: everyone, director: everyone, manager: team, rep: self, analyst: nobody },
      management: { admin: everyone, director: everyone, manager: team, rep: nobody, analyst: nobody },
      /** Into the other team: a manager reaches only one of the two teams. */
      moving: { admin: everyone, director: everyone, manager: nobody, rep: nobody, analyst: nobody },
      reading: { admin: everyone, director: everyone, manager: team, rep: self, analyst: everyone },
    };
    let n = 0;
    const created = async (path: string, body: unknown) => expectStatus(api.call('POST', path, undefined, body), 201);
    type Request = [string, string, unknown?];
    const routes: Record<
      string,
      { ok: number; rule: keyof typeof rules; request: (repId: string) => Promise<Request> }
    > = {
      'PUT target': {
        ok: 200,
        rule: 'management',
        request: async (r) => ['PUT', `/v1/reps/${r}/targets/2026-06`, { amount: 100 + ++n, reason: 'matrix' }],
      },
      'GET target': { ok: 200, rule: 'reading', request: async (r) => ['GET', `/v1/reps/${r}/targets/2026-04`] },
      'GET history': {
        ok: 200,
        rule: 'reading',
        request: async (r) => ['GET', `/v1/reps/${r}/targets/2026-04/history`],
      },
      'GET breakdown': {
        ok: 200,
        rule: 'reading',
        request: async (r) => ['GET', `/v1/reps/${r}/targets/2026-04/breakdown?grain=week`],
      },
      'POST rep': {
        ok: 201,
        rule: 'management',
        request: async (r) => [
          'POST',
          '/v1/reps',
          { id: `r-${++n}`, name: 'r', email: 'r@example.com', teamId: teamOf(r) },
        ],
      },
      'POST rep move': {
        ok: 200,
        rule: 'moving',
        request: async (r) => {
          const id = `r-${++n}`;
          await created('/v1/reps', { id, name: 'r', email: 'r@example.com', teamId: teamOf(r) });
          return ['POST', `/v1/reps/${id}/move`, { teamId: teamOf(r) === 'north' ? 'south' : 'north' }];
        },
      },
      'POST rep departure': {
        ok: 200,
        rule: 'management',
        request: async (r) => {
          const id = `r-${++n}`;
          await created('/v1/reps', { id, name: 'r', email: 'r@example.com', teamId: teamOf(r) });
          return ['POST', `/v1/reps/${id}/departure`, { reason: 'matrix', leftOn: '2026-06-30' }];
        },
      },
      'POST customer': {
        ok: 201,
        rule: 'repWork',
        request: async (r) => ['POST', '/v1/customers', { id: `c-${++n}`, name: 'c', repId: r, status: 'prospect' }],
      },
      'PUT key account': {
        ok: 200,
        rule: 'repWork',
        request: async (r) => {
          const id = `c-${++n}`;
          await created('/v1/customers', { id, name: 'c', repId: r });
          return ['PUT', `/v1/customers/${id}/key-account`, { keyAccount: true }];
        },
      },
      'POST customer loss': {
        ok: 200,
        rule: 'repWork',
        request: async (r) => {
          const id = `c-${++n}`;
          await created('/v1/customers', { id, name: 'c', repId: r });
          return ['POST', `/v1/customers/${id}/loss`, { reason: 'matrix', lostOn: '2026-05-31' }];
        },
      },
      'POST visit': {
        ok: 201,
        rule: 'repWork',
        request: async (r) => ['POST', '/v1/visits', visit(`v-${++n}`, r, `cust-${r}`)],
      },
      'POST follow-up': {
        ok: 200,
        rule: 'repWork',
        request: async (r) => {
          const id = `v-${++n}`;
          await created('/v1/visits', { ...visit(id, r, `cust-${r}`), followUpOn: '2026-03-09' });
          return ['POST', `/v1/visits/${id}/follow-up`, { outcome: 'completed', on: '2026-03-09' }];
        },
      },
      'POST order': {
        ok: 201,
        rule: 'repWork',
        request: async (r) => ['POST', '/v1/orders', order(`o-${++n}`, r, `cust-${r}`)],
      },
      'POST amendment': {
        ok: 200,
        rule: 'repWork',
        request: async (r) => {
          const id = `o-${++n}`;
          await created('/v1/orders', order(id, r, `cust-${r}`));
          return [
            'POST',
            `/v1/orders/${id}/amendments`,
            { reason: 'matrix', lines: [{ sku: 'B', category: 'x', quantity: 1, unitPrice: 1 }] },
          ];
        },
      },
      'POST cancellation': {
        ok: 200,
        rule: 'repWork',
        request: async (r) => {
          const id = `o-${++n}`;
          await created('/v1/orders', order(id, r, `cust-${r}`));
          return ['POST', `/v1/orders/${id}/cancellation`, { reason: 'matrix' }];
        },
      },
      'PUT plan': {
        ok: 200,
        rule: 'repWork',
        request: async (r) => ['PUT', `/v1/reps/${r}/plans/${uniqueWeek(++n)}`, { content: 'plan' }],
      },
      'PUT report': {
        ok: 200,
        rule: 'repWork',
        request: async (r) => ['PUT', `/v1/reps/${r}/reports/${uniqueWeek(++n)}`, { content: 'report' }],
      },
      'POST review': {
        ok: 201,
        rule: 'management',
        request: async (r) => [
          'POST',
          '/v1/reviews',
          { id: `rv-${++n}`, repId: r, period: '2026-03', score: 3, notes: '' },
        ],
      },
      'POST request': {
        ok: 201,
        rule: 'repWork',
        request: async (r) => [
          'POST',
          '/v1/customer-requests',
          { id: `rq-${++n}`, customerId: `cust-${r}`, subject: 's', receivedAt: '2026-03-02T09:00:00Z' },
        ],
      },
      'POST request answer': {
        ok: 200,
        rule: 'repWork',
        request: async (r) => {
          const id = `rq-${++n}`;
          await created('/v1/customer-requests', {
            id,
            customerId: `cust-${r}`,
            subject: 's',
            receivedAt: '2026-03-02T09:00:00Z',
          });
          return ['POST', `/v1/customer-requests/${id}/answer`, { answeredAt: '2026-03-02T10:00:00Z' }];
        },
      },
    };
    const cases = Object.entries(routes).flatMap(([route, { ok, rule }]) =>
      Object.entries(rules[rule]).flatMap(([role, byOwner]) =>
        (Object.keys(byOwner) as Ownership[]).map(
          (owner) => [role, route, owner, byOwner[owner] === 'ok' ? ok : 403] as const,
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
      const [method, path, body] = await routes[route]!.request(repOf[owner]);
      const before = await api.eventCount();
      const answer = await api.call(method, path, tokens[role], body);
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
      if (status === 403) expect(await api.eventCount()).toBe(before);
    });

    /** Organisation-wide routes: no owner, only the role counts. */
    const orgRoutes: [string, number, Record<string, 'ok' | 403>, () => Request][] = [
      [
        'POST user',
        201,
        { admin: 'ok', director: 'ok', manager: 403, rep: 403, analyst: 403 },
        () => ['POST', '/v1/users', { id: `u-${++n}`, name: 'u', email: 'u@example.com', role: 'analyst' }],
      ],
      [
        'POST director user',
        201,
        { admin: 'ok', director: 403, manager: 403, rep: 403, analyst: 403 },
        () => ['POST', '/v1/users', { id: `u-${++n}`, name: 'u', email: 'u@example.com', role: 'director' }],
      ],
      [
        'POST token',
        201,
        { admin: 'ok', director: 'ok', manager: 403, rep: 403, analyst: 403 },
        () => ['POST', '/v1/users/u-analyst/tokens'],
      ],
      [
        'POST director token',
        201,
        { admin: 'ok', director: 403, manager: 403, rep: 403, analyst: 403 },
        () => ['POST', '/v1/users/u-director/tokens'],
      ],
      [
        'POST team',
        201,
        { admin: 'ok', director: 'ok', manager: 403, rep: 403, analyst: 403 },
        () => ['POST', '/v1/teams', { id: `t-${++n}`, name: 't' }],
      ],
      [
        'PUT holidays',
        200,
        { admin: 'ok', director: 'ok', manager: 403, rep: 403, analyst: 403 },
        () => ['PUT', '/v1/settings/holidays', { dates: [] }],
      ],
      [
        'PUT papers due',
        200,
        { admin: 'ok', director: 'ok', manager: 403, rep: 403, analyst: 403 },
        () => ['PUT', '/v1/settings/papers-due', { plan: { weekday: 1, hour: 9 }, report: { weekday: 5, hour: 18 } }],
      ],
      [
        'PUT approval policy',
        200,
        { admin: 'ok', director: 'ok', manager: 403, rep: 403, analyst: 403 },
        () => ['PUT', '/v1/settings/target-approval', { mode: 'off' }],
      ],
      [
        'GET company plan',
        404,
        { admin: 'ok', director: 'ok', manager: 'ok', rep: 403, analyst: 'ok' },
        () => ['GET', '/v1/company-plans/2040'],
      ],
    ];
    it.each(
      orgRoutes.flatMap(([route, ok, byRole, request]) =>
        Object.entries(byRole).map(([role, cell]) => [role, route, cell === 'ok' ? ok : 403, request] as const),
      ),
    )('%s: %s -> %s', async (role, _route, status, request) => {
      const [method, path, body] = request();
      expect((await api.call(method, path, tokens[role], body)).status).toBe(status);
    });
  });
});
