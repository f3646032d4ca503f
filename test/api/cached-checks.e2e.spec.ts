import { startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

/**
 * Visits and orders skip the reads their checks do not need (a rep or customer known to exist is
 * not read again). A stale view must still never authorise what the current state forbids: here a
 * rep is moved to another team and their customer reassigned while commands race, after the
 * process has remembered both.
 */
describe.each(postgresServers())('cached command checks under racing changes on $name', (server) => {
  let api: ApiUnderTest;
  const tokens: Record<string, string> = {};
  let next = 0;

  beforeAll(async () => {
    api = await startApi(server);
    await api.create('/v1/teams', { id: 'north', name: 'North' });
    await api.create('/v1/teams', { id: 'south', name: 'South' });
    await api.create('/v1/reps', { id: 'rep-a', name: 'Ada', email: 'ada@example.com', teamId: 'north' });
    await api.create('/v1/reps', { id: 'rep-b', name: 'Bo', email: 'bo@example.com', teamId: 'south' });
    await api.create('/v1/customers', { id: 'c-1', name: 'Acme', repId: 'rep-a' });
    for (const user of [
      { id: 'u-north', role: 'manager', teamId: 'north' },
      { id: 'u-south', role: 'manager', teamId: 'south' },
      { id: 'u-director', role: 'director' },
      { id: 'u-rep-a', role: 'rep', teamId: 'north', repId: 'rep-a' },
    ]) {
      tokens[user.id] = await api.userWithToken(user);
    }
  });
  afterAll(() => api.close());

  type Attempt = { by: string; startedAt: number; status: number };
  const visit = async (by: string, kind: 'visit' | 'order'): Promise<Attempt> => {
    const startedAt = performance.now();
    const id = `${kind}-${++next}`;
    const at = '2026-03-02T09:00:00Z';
    const { status } =
      kind === 'visit'
        ? await api.call('POST', '/v1/visits', tokens[by], {
            id,
            repId: 'rep-a',
            customerId: 'c-1',
            occurredAt: at,
            kind: 'follow-up',
          })
        : await api.call('POST', '/v1/orders', tokens[by], {
            id,
            repId: 'rep-a',
            customerId: 'c-1',
            placedAt: at,
            lines: [{ sku: 'A', category: 'tools', quantity: 1, unitPrice: '10.00' }],
          });
    return { by, startedAt, status };
  };

  it("refuses the old team's manager every command sent after the move is acknowledged, and lets the new one in", async () => {
    // Every principal's path has seen rep-a and c-1: the process remembers both.
    for (const by of ['u-director', 'u-north', 'u-rep-a'])
      for (const kind of ['visit', 'order'] as const) expect((await visit(by, kind)).status).toBe(201);
    expect((await visit('u-south', 'visit')).status).toBe(403);

    const attempts: Attempt[] = [];
    let changedAt = Infinity;
    const lane = async (by: string, kind: 'visit' | 'order') => {
      for (let i = 0; i < 25; i++) attempts.push(await visit(by, kind));
    };
    const change = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The move last: nothing reads the rep's stream after it but the checks under test.
      const reassigned = await api.call('POST', '/v1/customers/c-1/reassignment', undefined, {
        repId: 'rep-b',
        reason: 'territory change',
      });
      const moved = await api.call('POST', '/v1/reps/rep-a/move', undefined, { teamId: 'south' });
      expect([moved.status, reassigned.status].every((status) => status >= 200 && status < 300)).toBe(true);
      changedAt = performance.now();
    };
    await Promise.all([
      lane('u-north', 'visit'),
      lane('u-north', 'order'),
      lane('u-south', 'visit'),
      lane('u-south', 'order'),
      lane('u-director', 'order'),
      lane('u-rep-a', 'visit'),
      change(),
    ]);

    const after = attempts.filter((attempt) => attempt.startedAt > changedAt);
    const statuses = (by: string) => [...new Set(after.filter((a) => a.by === by).map((a) => a.status))];
    expect(after.length).toBeGreaterThan(0);
    expect(statuses('u-north')).toEqual([403]);
    expect(statuses('u-south')).toEqual([201]);
    // Their reach does not turn on the team, nor on whose customer it is now.
    expect(statuses('u-director')).toEqual([201]);
    expect(statuses('u-rep-a')).toEqual([201]);
    // Before the change the other way round: nothing was refused that the state then allowed.
    const before = attempts.filter((attempt) => attempt.startedAt <= changedAt);
    expect(before.filter((a) => a.by === 'u-rep-a' || a.by === 'u-director').every((a) => a.status === 201)).toBe(true);
  }, 120_000);

  it('still answers 404 for a rep or customer that does not exist, however often asked', async () => {
    for (let i = 0; i < 3; i++) {
      const { status } = await api.call('POST', '/v1/visits', undefined, {
        id: `v-missing-${i}`,
        repId: 'rep-a',
        customerId: 'c-nobody',
        occurredAt: '2026-03-02T09:00:00Z',
        kind: 'follow-up',
      });
      expect(status).toBe(404);
      const noRep = await api.call('POST', '/v1/visits', undefined, {
        id: `v-missing-rep-${i}`,
        repId: 'rep-nobody',
        customerId: 'c-1',
        occurredAt: '2026-03-02T09:00:00Z',
        kind: 'follow-up',
      });
      expect(noRep.status).toBe(404);
    }
  });
});
