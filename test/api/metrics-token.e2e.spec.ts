import { Writable } from 'node:stream';
import { createLogger } from '@salesledger/platform/logger';
import { metricsAllowed } from '@salesledger/platform/metrics-token';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

describe.each(postgresServers())('GET /metrics behind METRICS_TOKEN on $name', (server) => {
  let api: ApiUnderTest;
  let base: string;

  beforeAll(async () => {
    api = await startApi(server, { METRICS_TOKEN });
    base = await api.app.getUrl();
  });
  afterAll(() => api.close());

  const scrape = (authorization?: string) =>
    fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });

  it('answers the scraper that holds the token', async () => {
    const response = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('process_cpu_user_seconds_total');
  });

  it.each([
    ['no header', undefined],
    ['a wrong token', 'Bearer scrape-token-0123456789abcdeX'],
    ['a prefix of the token', `Bearer ${METRICS_TOKEN.slice(0, 10)}`],
    ['the admin token', 'Bearer test-admin-token-0123456789'],
    ['the token without the scheme', METRICS_TOKEN],
  ])('is 401 with %s, in the usual error shape', async (_, authorization) => {
    const response = await scrape(authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'GET /metrics needs the metrics token',
    });
  });

  it('leaves /health open', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('the metrics token', () => {
  it('is open when none is configured', () => {
    expect(metricsAllowed(undefined, undefined)).toBe(true);
    expect(metricsAllowed('x'.repeat(16), `Bearer ${'x'.repeat(16)}`)).toBe(true);
    expect(metricsAllowed('x'.repeat(16), 'Bearer ')).toBe(false);
  });

  it('never reaches a log line', () => {
    let written = '';
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((written += chunk.toString()), done()) });
    createLogger('info', 'json', sink as never).info(
      {
        metricsToken: METRICS_TOKEN,
        config: { metricsToken: METRICS_TOKEN },
        request: { headers: { authorization: `Bearer ${METRICS_TOKEN}` } },
      },
      'configured',
    );
    expect(written).toContain('configured');
    expect(written).not.toContain(METRICS_TOKEN);
  });
});
