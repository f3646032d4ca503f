import { ADMIN_TOKEN, startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

const PER_MINUTE = 5;

describe.each(postgresServers())('per-token rate limiting on $name', (server) => {
  let api: ApiUnderTest;
  let base: string;
  let analystToken: string;

  beforeAll(async () => {
    api = await startApi(server, { RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) });
    base = await api.app.getUrl();
    const user = { id: 'u-analyst', name: 'Ana Lyst', email: 'ana@example.com', role: 'analyst' };
    // Two of the admin's five: the budget below starts from what is left.
    expect((await api.call('POST', '/v1/users', ADMIN_TOKEN, user)).status).toBe(201);
    const issued = await api.call('POST', '/v1/users/u-analyst/tokens', ADMIN_TOKEN, { label: 'limits' });
    expect(issued.status).toBe(201);
    analystToken = issued.body.token;
  });
  afterAll(() => api.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

  it('answers 429 with Retry-After once a token has spent its minute, and no more changes go in', async () => {
    for (let call = 3; call <= PER_MINUTE; call++) expect((await api.call('GET', '/v1/teams')).status).toBe(200);
    const events = await api.eventCount();
    const refused = await api.call('POST', '/v1/teams', ADMIN_TOKEN, { id: 'team-over', name: 'Over budget' });
    expect(refused).toEqual({
      status: 429,
      body: {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `more than ${PER_MINUTE} requests in a minute with this token: try again after Retry-After seconds`,
      },
    });
    const retryAfter = Number(
      (await get('/v1/teams', { authorization: `Bearer ${ADMIN_TOKEN}` })).headers.get('retry-after'),
    );
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await api.eventCount()).toBe(events);
  });

  it("keeps each token's budget its own", async () => {
    const answers = [];
    for (let call = 0; call < PER_MINUTE; call++) answers.push((await api.call('GET', '/v1/me', analystToken)).status);
    expect(answers).toEqual(Array(PER_MINUTE).fill(200));
    expect((await api.call('GET', '/v1/me', analystToken)).status).toBe(429);
  });

  it('budgets callers without a valid token by address, made-up tokens included', async () => {
    const statuses = [];
    for (let call = 0; call <= PER_MINUTE; call++)
      statuses.push((await get('/v1/me', call % 2 ? { authorization: `Bearer guess-${call}` } : {})).status);
    expect(statuses).toEqual([...Array(PER_MINUTE).fill(401), 429]);
  });

  it('never limits the health probe or the metrics scrape', async () => {
    for (let call = 0; call < 3 * PER_MINUTE; call++) {
      expect((await get('/health')).status).toBe(200);
      expect((await get('/metrics')).status).toBe(200);
    }
  });
});
