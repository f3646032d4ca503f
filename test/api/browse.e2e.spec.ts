import pino from 'pino';
import { startProjector } from '@salesledger/projector/projector';
import type { Stop } from '@salesledger/platform/service';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

type Answer = { status: number; body: any };

describe.each(postgresServers())('browse routes on $name', (server) => {
  let api: ApiUnderTest;
  let stopProjector: Stop;
  const tokens: Record<string, string> = {};

  async function ok(response: Promise<Answer>, status = 200) {
    const { status: actual, body } = await response;
    if (actual !== status) throw new Error(`expected ${status}, got ${actual}: ${JSON.stringify(body)}`);
    return body;
  }
  const as = (role: string) => (method: string, path: string, body?: unknown) =>
    api.call(method, path, tokens[role], body);
  const director = as('director');
  const post = (path: string, body: unknown) => ok(director('POST', path, body), 201);

  /** Waits for every projection to reach the end of the log, by their checkpoints. */
  async function settled(): Promise<void> {
    let statuses: { lagEvents: number; state: string }[] = [];
    for (let attempt = 0; attempt < 400; attempt++) {
      statuses = await ok(api.call('GET', '/v1/admin/projections'));
      if (statuses.every((s) => s.state === 'running' && s.lagEvents === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`projections did not catch up: ${JSON.stringify(statuses)}`);
  }

  /** Every item of a list, page by page. */
  async function all(role: string, path: string, limit = 2): Promise<any[]> {
    const items: any[] = [];
    for (let cursor: string | null = null, pages = 0; pages < 500; pages++) {
      const separator = path.includes('?') ? '&' : '?';
      const page = await ok(as(role)('GET', `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`));
      items.push(...page.items);
      if (!(cursor = page.nextCursor)) return items;
    }
    throw new Error('too many pages');
  }
  const ids = (items: { id: string }[]) => items.map((item) => item.id).sort();

  beforeAll(async () => {
    api = await startApi(server);
    stopProjector = await startProjector(api.runtime, pino({ level: 'silent' }));
    const admin = (path: string, body: unknown) => ok(api.call('POST', path, undefined, body), 201);
    await admin('/v1/users', { id: 'dir', name: 'Dee', email: 'dee@example.com', role: 'director' });
    tokens.director = (await ok(api.call('POST', '/v1/users/dir/tokens'), 201)).token;

    // The director onboards a team with routes from /docs alone.
    for (const team of ['north', 'south']) await post('/v1/teams', { id: team, name: team.toUpperCase() });
    await post('/v1/users', { id: 'mgr-n', name: 'Mina', email: 'mina@example.com', role: 'manager', teamId: 'north' });
    await ok(director('PUT', '/v1/teams/north/manager', { managerUserId: 'mgr-n' }));
    for (const [id, teamId] of [
      ['rep-a', 'north'],
      ['rep-b', 'north'],
      ['rep-c', 'south'],
    ])
      await post('/v1/reps', { id, name: id, email: `${id}@example.com`, teamId });
    await post('/v1/users', { id: 'u-rep-a', name: 'Ana', email: 'ana@example.com', role: 'rep', repId: 'rep-a' });
    await post('/v1/users', { id: 'u-analyst', name: 'Al', email: 'al@example.com', role: 'analyst' });
    const users: [string, string][] = [
      ['manager', 'mgr-n'],
      ['rep', 'u-rep-a'],
      ['analyst', 'u-analyst'],
    ];
    for (const [role, userId] of users)
      tokens[role] = (await ok(director('POST', `/v1/users/${userId}/tokens`), 201)).token;

    await post('/v1/customers', { id: 'acme', name: 'Acme', repId: 'rep-a' });
    await post('/v1/customers', { id: 'initech', name: 'Initech', repId: 'rep-a', status: 'prospect' });
    await post('/v1/customers', { id: 'hooli', name: 'Hooli', repId: 'rep-b', status: 'prospect' });
    await post('/v1/customers', { id: 'umbrella', name: 'Umbrella', repId: 'rep-c' });
    const order = (id: string, repId: string, customerId: string, placedAt: string) => ({
      id,
      repId,
      customerId,
      placedAt,
      lines: [{ sku: 'A', category: 'tools', quantity: 2, unitPrice: '10.25' }],
    });
    await post('/v1/orders', order('o-1', 'rep-a', 'acme', '2026-03-02T10:00:00Z'));
    await post('/v1/orders', order('o-2', 'rep-b', 'hooli', '2026-03-12T10:00:00Z'));
    await post('/v1/orders', order('o-3', 'rep-c', 'umbrella', '2026-04-01T10:00:00Z'));
    await ok(
      director('POST', '/v1/orders/o-1/amendments', {
        lines: [{ sku: 'A', category: 'tools', quantity: 3, unitPrice: 10 }],
        reason: 'more',
      }),
    );
    await ok(director('POST', '/v1/customers/umbrella/loss', { reason: 'closed', lostOn: '2026-04-20' }));
    for (const [id, repId, customerId, day] of [
      ['v-1', 'rep-a', 'acme', '03'],
      ['v-2', 'rep-b', 'hooli', '04'],
      ['v-3', 'rep-c', 'umbrella', '05'],
    ])
      await post('/v1/visits', {
        id,
        repId,
        customerId,
        occurredAt: `2026-03-${day}T09:00:00Z`,
        kind: 'existing-customer',
      });
    await settled();
  });
  afterAll(async () => {
    await stopProjector();
    await api.close();
  });

  it('lets a director onboard: users, a team manager, tokens that work', async () => {
    expect(await ok(as('manager')('GET', '/v1/me'))).toMatchObject({
      userId: 'mgr-n',
      role: 'manager',
      teamId: 'north',
    });
    expect(await ok(director('GET', '/v1/teams/north'))).toEqual({
      id: 'north',
      name: 'NORTH',
      managerUserId: 'mgr-n',
    });
    const refused = await director('POST', '/v1/users', {
      id: 'd2',
      name: 'D',
      email: 'd@example.com',
      role: 'director',
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: 'Forbidden', message: expect.stringMatching(/admin.*director/) },
    });
    const byManager = await as('manager')('POST', '/v1/users', {
      id: 'r9',
      name: 'R',
      email: 'r@example.com',
      role: 'rep',
    });
    expect(byManager.status).toBe(403);
  });

  it('sets a team manager only to a manager of that team', async () => {
    const wrong = await director('PUT', '/v1/teams/south/manager', { managerUserId: 'mgr-n' });
    expect(wrong).toMatchObject({ status: 400, body: { fields: [{ field: 'managerUserId' }] } });
    expect((await director('PUT', '/v1/teams/south/manager', { managerUserId: 'nobody' })).status).toBe(404);
    expect((await director('PUT', '/v1/teams/nowhere/manager', { managerUserId: 'mgr-n' })).status).toBe(404);
    expect((await as('manager')('PUT', '/v1/teams/north/manager', { managerUserId: 'mgr-n' })).status).toBe(403);
  });

  it('lists users as far as the caller reaches, and reads one by id', async () => {
    expect(ids(await all('director', '/v1/users'))).toEqual(['dir', 'mgr-n', 'u-analyst', 'u-rep-a']);
    expect(ids(await all('manager', '/v1/users'))).toEqual(['mgr-n', 'u-rep-a']);
    expect(ids(await all('rep', '/v1/users'))).toEqual(['u-rep-a']);
    expect(await ok(as('manager')('GET', '/v1/users/u-rep-a'))).toMatchObject({
      role: 'rep',
      teamId: 'north',
      repId: 'rep-a',
    });
    expect((await as('rep')('GET', '/v1/users/mgr-n')).status).toBe(403);
    expect((await director('GET', '/v1/users/nobody')).status).toBe(404);
  });

  it('lists teams and reps within reach, with the team filter', async () => {
    expect(ids(await all('director', '/v1/teams'))).toEqual(['north', 'south']);
    expect(ids(await all('manager', '/v1/teams'))).toEqual(['north']);
    expect(ids(await all('rep', '/v1/teams'))).toEqual(['north']);
    expect((await as('manager')('GET', '/v1/teams/south')).status).toBe(403);
    expect(ids(await all('director', '/v1/reps?teamId=north'))).toEqual(['rep-a', 'rep-b']);
    expect(ids(await all('manager', '/v1/reps'))).toEqual(['rep-a', 'rep-b']);
    expect(ids(await all('manager', '/v1/reps?teamId=south'))).toEqual([]);
    expect(await ok(as('rep')('GET', '/v1/reps/rep-a'))).toMatchObject({
      id: 'rep-a',
      teamId: 'north',
      status: 'active',
    });
    expect((await as('rep')('GET', '/v1/reps/rep-b')).status).toBe(403);
    expect((await director('GET', '/v1/reps/nobody')).status).toBe(404);
  });

  it('lists customers by rep, team and status, where a prospect that ordered is a customer', async () => {
    expect(ids(await all('director', '/v1/customers?teamId=north'))).toEqual(['acme', 'hooli', 'initech']);
    expect(ids(await all('director', '/v1/customers?repId=rep-a'))).toEqual(['acme', 'initech']);
    expect(ids(await all('director', '/v1/customers?status=prospect'))).toEqual(['initech']);
    expect(ids(await all('director', '/v1/customers?status=customer'))).toEqual(['acme', 'hooli']);
    expect(ids(await all('analyst', '/v1/customers?status=lost'))).toEqual(['umbrella']);
    expect(ids(await all('rep', '/v1/customers'))).toEqual(['acme', 'initech']);
    expect(await ok(as('manager')('GET', '/v1/customers/hooli'))).toMatchObject({
      repId: 'rep-b',
      teamId: 'north',
      status: 'customer',
    });
    expect((await as('manager')('GET', '/v1/customers/umbrella')).status).toBe(403);
    expect((await director('GET', '/v1/customers/nobody')).status).toBe(404);
  });

  it('lists orders latest first with filters, and reads every version of one', async () => {
    const listed = await all('director', '/v1/orders', 10);
    expect(listed.map((o) => o.id)).toEqual(['o-3', 'o-2', 'o-1']);
    expect(listed[2]).toMatchObject({ netAmount: '30.00', version: 2, status: 'placed' });
    expect(ids(await all('director', '/v1/orders?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z'))).toEqual([
      'o-1',
      'o-2',
    ]);
    expect(ids(await all('director', '/v1/orders?customerId=hooli'))).toEqual(['o-2']);
    expect(ids(await all('manager', '/v1/orders'))).toEqual(['o-1', 'o-2']);
    expect(ids(await all('rep', '/v1/orders?repId=rep-b'))).toEqual([]);
    const order = await ok(as('rep')('GET', '/v1/orders/o-1'));
    expect(order.versions.map((v: any) => [v.version, v.netAmount])).toEqual([
      [1, '20.50'],
      [2, '30.00'],
    ]);
    expect(order.lines).toEqual([expect.objectContaining({ quantity: 3, unitPrice: '10.00', netAmount: '30.00' })]);
    expect((await as('rep')('GET', '/v1/orders/o-2')).status).toBe(403);
    expect((await director('GET', '/v1/orders/nope')).status).toBe(404);
  });

  it('lists visits within reach, by rep, customer and time', async () => {
    expect(ids(await all('director', '/v1/visits'))).toEqual(['v-1', 'v-2', 'v-3']);
    expect(ids(await all('manager', '/v1/visits'))).toEqual(['v-1', 'v-2']);
    expect(ids(await all('director', '/v1/visits?repId=rep-c'))).toEqual(['v-3']);
    expect(ids(await all('director', '/v1/visits?customerId=acme&from=2026-03-03T00:00:00Z'))).toEqual(['v-1']);
    expect(ids(await all('director', '/v1/visits?to=2026-03-04T00:00:00Z'))).toEqual(['v-1']);
  });

  it("gives an approver the queue of pending proposals, and the proposal's fate after a decision", async () => {
    await ok(director('PUT', '/v1/settings/target-approval', { mode: 'above-threshold', threshold: '100' }));
    await ok(director('PUT', '/v1/reps/rep-a/targets/2026-06', { amount: '1000.00', reason: 'plan' }));
    const proposed = await ok(
      as('manager')('PUT', '/v1/reps/rep-a/targets/2026-06', { amount: 5000.5, reason: 'big deal' }),
      202,
    );
    await settled();
    const queue = await ok(director('GET', '/v1/target-proposals?status=pending'));
    expect(queue).toEqual({
      items: [
        expect.objectContaining({
          proposalId: proposed.proposalId,
          repId: 'rep-a',
          month: '2026-06',
          amount: '5000.50',
          currentAmount: '1000.00',
          proposedBy: 'mgr-n',
          status: 'pending',
        }),
      ],
      nextCursor: null,
    });
    expect((await ok(as('rep')('GET', '/v1/target-proposals'))).items).toHaveLength(1);
    const { repId, month, proposalId } = queue.items[0];
    await ok(director('POST', `/v1/reps/${repId}/targets/${month}/proposals/${proposalId}/approval`));
    await settled();
    expect((await ok(director('GET', '/v1/target-proposals?status=pending'))).items).toEqual([]);
    expect((await ok(director('GET', '/v1/target-proposals?status=approved'))).items).toEqual([
      expect.objectContaining({ proposalId, decidedBy: 'dir', currentAmount: '5000.50' }),
    ]);
    await ok(director('PUT', '/v1/settings/target-approval', { mode: 'off' }));
  });

  it('pages without losing or repeating a customer while writers append', async () => {
    for (let i = 0; i < 30; i++) await post('/v1/customers', { id: `bulk-${i}`, name: `B${i}`, repId: 'rep-c' });
    await settled();
    const existing = ids(await all('director', '/v1/customers?repId=rep-c', 100));
    const seen: string[] = [];
    let cursor: string | null = null;
    let written = 0;
    do {
      const page: any = await ok(
        director('GET', `/v1/customers?repId=rep-c&limit=4${cursor ? `&cursor=${cursor}` : ''}`),
      );
      seen.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
      // A writer appends between pages: new customers may or may not show, old ones exactly once.
      await post('/v1/customers', { id: `late-${written++}`, name: 'L', repId: 'rep-c' });
    } while (cursor);
    const old = seen.filter((id) => existing.includes(id));
    expect(old.sort()).toEqual(existing);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a bad limit or cursor with field messages', async () => {
    expect(await director('GET', '/v1/customers?limit=0')).toMatchObject({
      status: 400,
      body: { fields: [{ field: 'limit' }] },
    });
    expect((await director('GET', '/v1/customers?limit=501')).status).toBe(400);
    expect((await director('GET', '/v1/customers?limit=two')).status).toBe(400);
    expect(await director('GET', '/v1/customers?cursor=bm9wZQ')).toMatchObject({
      status: 400,
      body: { fields: [{ field: 'cursor' }] },
    });
    expect((await director('GET', '/v1/customers?status=gone')).status).toBe(400);
    expect(await ok(director('GET', '/v1/teams'))).toMatchObject({ nextCursor: null });
  });
});
