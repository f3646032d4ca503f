import fc from 'fast-check';
import { postgresServers } from '../support/postgres-servers';
import { ADMIN_TOKEN, startApi, type ApiUnderTest } from '../support/api-app';

/** Input past the edges: dates outside any calendar, empty objects and arrays where values go. */
const EDGES = ['0001-01-01', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '1899-12-31T23:59:59Z', {}, []];

/** JSON text (so `__proto__` stays a key): nested far too deep, or the valid body with prototype keys. */
const hostile = (valid: Record<string, unknown>) =>
  fc.constantFrom(
    `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    JSON.stringify(valid).replace(/^\{/, '{"__proto__":{"role":"admin","polluted":true},'),
    JSON.stringify(valid).replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},'),
  );

/** Bodies near the valid shape as well as arbitrary JSON, so validation is probed field by field. */
const nearly = (valid: Record<string, unknown>) =>
  fc.oneof(
    fc.jsonValue({ stringUnit: 'binary' }),
    hostile(valid),
    fc.record(
      Object.fromEntries(
        Object.keys(valid).map((key) => [
          key,
          fc.oneof(
            fc.constant(valid[key]),
            fc.jsonValue({ stringUnit: 'binary' }),
            fc.constantFrom('\u0000', 'x'.repeat(10_000), -1, 1e308, 3e-323, 1e21, 0.1 + 0.2, ...EDGES),
          ),
        ]),
      ),
      {
        requiredKeys: [],
      },
    ),
    fc
      .dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary' }))
      .map((extra) => ({ ...valid, ...extra })),
  );

/** A path segment, already encoded: mostly the valid one, else odd bytes (NUL, a lone surrogate, a bare %) or any text. */
const segment = (valid: string) =>
  fc.oneof(
    { arbitrary: fc.constant(valid), weight: 2 },
    {
      arbitrary: fc.constantFrom(
        '%00',
        'rep%00',
        '%ED%A0%80',
        '%',
        '..',
        'x'.repeat(500),
        '9999',
        '0001-01',
        '0000-W01',
      ),
      weight: 2,
    },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent), weight: 1 },
  );

/** An `asOf`: any text, or instants at and past the calendar's edges. */
const instant = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('0001-01-01', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z'),
);

describe.each(postgresServers())('every route under random input on $name', (server) => {
  let api: ApiUnderTest;

  beforeAll(async () => {
    api = await startApi(server);
    await api.call('POST', '/v1/teams', undefined, { id: 'north', name: 'North' });
    await api.call('POST', '/v1/reps', undefined, {
      id: 'rep-1',
      name: 'Ann',
      email: 'ann@example.com',
      teamId: 'north',
    });
    await api.call('POST', '/v1/customers', undefined, { id: 'cust-1', name: 'Acme', repId: 'rep-1' });
  });
  afterAll(() => api.close());

  const routes: [string, fc.Arbitrary<[string, string, unknown]>][] = [
    [
      'POST /v1/users',
      nearly({ id: 'u', name: 'n', email: 'a@b.co', role: 'rep', repId: 'rep-1' }).map((b) => ['POST', '/v1/users', b]),
    ],
    ['POST /v1/teams', nearly({ id: 't', name: 'n' }).map((b) => ['POST', '/v1/teams', b])],
    [
      'POST /v1/reps',
      nearly({ id: 'r', name: 'n', email: 'a@b.co', teamId: 'north' }).map((b) => ['POST', '/v1/reps', b]),
    ],
    ['POST /v1/customers', nearly({ id: 'c', name: 'n', repId: 'rep-1' }).map((b) => ['POST', '/v1/customers', b])],
    [
      'POST /v1/visits',
      nearly({
        id: 'v',
        repId: 'rep-1',
        customerId: 'cust-1',
        occurredAt: '2026-03-02T09:00:00Z',
        kind: 'follow-up',
      }).map((b) => ['POST', '/v1/visits', b]),
    ],
    [
      'POST /v1/orders',
      nearly({
        id: 'o',
        repId: 'rep-1',
        customerId: 'cust-1',
        placedAt: '2026-03-02T09:00:00Z',
        lines: [{ sku: 'a', category: 'b', quantity: 1, unitPrice: 1 }],
      }).map((b) => ['POST', '/v1/orders', b]),
    ],
    [
      'PUT target',
      fc
        .tuple(segment('rep-1'), segment('2026-03'), nearly({ amount: 1, reason: 'r' }))
        .map(([r, m, b]) => ['PUT', `/v1/reps/${r}/targets/${m}`, b]),
    ],
    [
      'GET target',
      fc
        .tuple(segment('rep-1'), segment('2026-03'), instant)
        .map(([r, m, q]) => ['GET', `/v1/reps/${r}/targets/${m}?asOf=${encodeURIComponent(q)}`, undefined]),
    ],
    [
      'GET scorecard',
      fc
        .tuple(segment('rep-1'), segment('month'), segment('2026-03'), instant)
        .map(([r, g, p, q]) => [
          'GET',
          `/v1/reps/${r}/scorecard?grain=${g}&period=${p}&asOf=${encodeURIComponent(q)}`,
          undefined,
        ]),
    ],
    [
      'GET scorecard drill-down and leaderboard',
      fc
        .tuple(segment('rep-1'), segment('orders'), segment('week'), segment('2026-W10'), fc.boolean())
        .map(([r, k, g, p, board]) => [
          'GET',
          board
            ? `/v1/leaderboard?grain=${g}&period=${p}&teamId=${r}`
            : `/v1/reps/${r}/scorecard/${k}?grain=${g}&period=${p}`,
          undefined,
        ]),
    ],
    [
      'PUT scorecard template',
      nearly({ weights: { attainment: 1, discipline: 0, planCompletionRate: 0, requestResponseRate: 0 } }).map((b) => [
        'PUT',
        '/v1/settings/scorecard-template',
        b,
      ]),
    ],
    [
      'GET history',
      fc
        .tuple(segment('rep-1'), segment('2026-03'))
        .map(([r, m]) => ['GET', `/v1/reps/${r}/targets/${m}/history`, undefined]),
    ],
    [
      'POST cancellation',
      fc
        .tuple(segment('order-1'), nearly({ reason: 'r' }))
        .map(([id, b]) => ['POST', `/v1/orders/${id}/cancellation`, b]),
    ],
    ['POST tokens', segment('u-1').map((id) => ['POST', `/v1/users/${id}/tokens`, undefined])],
    [
      'POST rep move',
      fc.tuple(segment('rep-1'), nearly({ teamId: 'north' })).map(([id, b]) => ['POST', `/v1/reps/${id}/move`, b]),
    ],
    [
      'POST rep departure',
      fc
        .tuple(segment('rep-1'), nearly({ reason: 'r', leftOn: '2026-06-30' }))
        .map(([id, b]) => ['POST', `/v1/reps/${id}/departure`, b]),
    ],
    [
      'POST customer reassignment',
      fc
        .tuple(segment('cust-1'), nearly({ repId: 'rep-1', reason: 'r' }))
        .map(([id, b]) => ['POST', `/v1/customers/${id}/reassignment`, b]),
    ],
    [
      'PUT key account',
      fc
        .tuple(segment('cust-1'), nearly({ keyAccount: true }))
        .map(([id, b]) => ['PUT', `/v1/customers/${id}/key-account`, b]),
    ],
    [
      'POST customer loss',
      fc
        .tuple(segment('cust-1'), nearly({ reason: 'r', lostOn: '2026-06-30' }))
        .map(([id, b]) => ['POST', `/v1/customers/${id}/loss`, b]),
    ],
    [
      'PUT plan',
      fc
        .tuple(segment('rep-1'), segment('2026-W10'), nearly({ content: 'c' }))
        .map(([r, w, b]) => ['PUT', `/v1/reps/${r}/plans/${w}`, b]),
    ],
    [
      'POST review',
      nearly({ id: 'rv', repId: 'rep-1', period: '2026-03', score: 3, notes: '' }).map((b) => [
        'POST',
        '/v1/reviews',
        b,
      ]),
    ],
    [
      'POST customer request',
      nearly({ id: 'rq', customerId: 'cust-1', subject: 's', receivedAt: '2026-03-02T09:00:00Z' }).map((b) => [
        'POST',
        '/v1/customer-requests',
        b,
      ]),
    ],
    [
      'POST request answer',
      fc
        .tuple(segment('rq'), nearly({ answeredAt: '2026-03-02T10:00:00Z' }))
        .map(([id, b]) => ['POST', `/v1/customer-requests/${id}/answer`, b]),
    ],
    [
      'POST proposal decision',
      fc
        .tuple(
          segment('rep-1'),
          segment('2026-03'),
          segment('p-1'),
          fc.constantFrom('approval', 'rejection'),
          nearly({ reason: 'r' }),
        )
        .map(([r, m, p, d, b]) => ['POST', `/v1/reps/${r}/targets/${m}/proposals/${p}/${d}`, b]),
    ],
    [
      'PUT approval policy',
      nearly({ mode: 'above-threshold', threshold: 100 }).map((b) => ['PUT', '/v1/settings/target-approval', b]),
    ],
    [
      'POST order amendment',
      fc
        .tuple(
          segment('order-1'),
          nearly({ reason: 'r', lines: [{ sku: 'a', category: 'b', quantity: 1, unitPrice: 1 }] }),
        )
        .map(([id, b]) => ['POST', `/v1/orders/${id}/amendments`, b]),
    ],
    [
      'POST visit follow-up',
      fc
        .tuple(segment('v-1'), nearly({ outcome: 'completed', on: '2026-03-09' }))
        .map(([id, b]) => ['POST', `/v1/visits/${id}/follow-up`, b]),
    ],
    ['PUT holidays', nearly({ dates: ['2026-12-25'] }).map((b) => ['PUT', '/v1/settings/holidays', b])],
    [
      'GET breakdown',
      fc
        .tuple(
          segment('rep-1'),
          segment('2026-03'),
          fc.constantFrom('week', 'day', 'year', ''),
          fc.string({ unit: 'grapheme' }),
        )
        .map(([r, m, g, q]) => [
          'GET',
          `/v1/reps/${r}/targets/${m}/breakdown?grain=${g}&asOf=${encodeURIComponent(q)}`,
          undefined,
        ]),
    ],
    [
      'PUT company plan',
      fc
        .tuple(
          segment('2031'),
          nearly({ amount: 100, weights: Array(12).fill(1), reason: 'r', teams: [{ teamId: 'north', amount: 100 }] }),
        )
        .map(([y, b]) => ['PUT', `/v1/company-plans/${y}`, b]),
    ],
    [
      'PUT papers due',
      nearly({ plan: { weekday: 1, hour: 9 }, report: { weekday: 5, hour: 18 } }).map((b) => [
        'PUT',
        '/v1/settings/papers-due',
        b,
      ]),
    ],
    [
      'GET alerts',
      fc
        .tuple(
          fc.constantFrom('open', 'acknowledged', 'resolved', 'escalated', ''),
          segment('rep-1'),
          fc.constantFrom('no-recent-visit', 'pace', '%00'),
          fc.string({ unit: 'grapheme' }),
        )
        .map(([s, r, rule, l]) => [
          'GET',
          `/v1/alerts?status=${s}&repId=${r}&rule=${rule}&limit=${encodeURIComponent(l)}`,
          undefined,
        ]),
    ],
    [
      'POST alert acknowledgement',
      fc
        .tuple(segment('al-1'), nearly({ note: 'on it' }))
        .map(([id, b]) => ['POST', `/v1/alerts/${id}/acknowledgement`, b]),
    ],
    ['raw bodies', fc.string({ unit: 'binary' }).map((text) => ['POST', '/v1/orders', text])],
  ];

  it.each(routes)('%s never answers 5xx, and a refusal appends nothing', async (_, requests) => {
    await fc.assert(
      fc.asyncProperty(requests, async ([method, path, body]) => {
        const before = await api.eventCount();
        const { status } = await api.call(method, path, undefined, body);
        expect(status).toBeLessThan(500);
        if (status >= 400) expect(await api.eventCount()).toBe(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 80 },
    );
  });

  it.each([
    ['year', '9999'],
    ['year', '0001'],
    ['day', '0001-01-01'],
    ['week', '2999-W53'],
    ['quarter', '1899-Q4'],
  ])('refuses a %s period outside the supported calendar (%s) with a 400', async (grain, period) => {
    const answer = await api.call('GET', `/v1/reps/rep-1/scorecard?grain=${grain}&period=${period}`);
    expect(answer).toMatchObject({ status: 400, body: { fields: [{ field: 'period' }] } });
  });

  it('refuses JSON nested thousands deep with a 400 before it is read', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    expect(await api.call('POST', '/v1/teams', undefined, deep)).toMatchObject({
      status: 400,
      body: { fields: [{ field: 'body', message: expect.stringContaining('deeper') }] },
    });
  });

  it('POST /v1/imports never answers 5xx to any CSV, header or mapping', async () => {
    const csvCell = fc.oneof(
      fc.constantFrom(
        'rep-1',
        'cust-1',
        '2026-03-02T09:00:00Z',
        'follow-up',
        '',
        '"',
        'a"b',
        '"open',
        '\u0000',
        'x,y,z',
      ),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
    const headers: Record<string, string> = {
      visits: 'id,repId,customerId,occurredAt,kind',
      customers: 'id,name,repId',
      orders: 'id,repId,customerId,placedAt,sku,category,quantity,unitPrice',
      invoices: 'a,b',
      prototypes: 'id,__proto__,constructor,repId,name',
    };
    const upload = fc
      .tuple(
        fc.constantFrom('visits', 'customers', 'orders', 'invoices', 'prototypes'),
        fc.boolean(),
        fc.array(
          fc.array(csvCell, { maxLength: 9 }).map((cells) => cells.join(',')),
          { maxLength: 5 },
        ),
      )
      .map(([kind, rightHeader, rows]) => ({
        kind: kind === 'prototypes' ? 'customers' : kind,
        body: [rightHeader ? headers[kind] : 'a,b', ...rows].join('\n'),
      }));
    await fc.assert(
      fc.asyncProperty(
        upload,
        fc.oneof(fc.constant(''), fc.string({ unit: 'grapheme', maxLength: 20 })),
        async ({ kind, body }, map) => {
          const response = await fetch(
            `${await api.app.getUrl()}/v1/imports/${kind}${map ? `?map=${encodeURIComponent(map)}` : ''}`,
            {
              method: 'POST',
              headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
              body,
            },
          );
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('leaves nothing running after an import it refuses', async () => {
    // Each refused request once left its progress heartbeat ticking for the life of the process.
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${await api.app.getUrl()}/v1/imports/visits?map=no-equals-sign`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
        body: 'id,repId,customerId,occurredAt,kind',
      });
      expect(response.status).toBe(400);
    }
    // Connection pools keep a timer per idle client (ten at most each), hence the margin.
    expect(timers() - before).toBeLessThan(20);
  });
});
