import { postgresServers } from '../support/postgres-servers';
import { ADMIN_TOKEN as TOKEN, startApi, type ApiUnderTest } from '../support/api-app';

describe.each(postgresServers())('HTTP API on $name', (server) => {
  let api: ApiUnderTest;
  let base: string;

  beforeAll(async () => {
    api = await startApi(server);
    base = await api.app.getUrl();
  });
  afterAll(() => api.close());

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const post = (path: string, body: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });

  it('GET /health reports the event store up, without a token', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', details: { eventStore: { status: 'up' } } });
  });

  it('GET /metrics serves Prometheus text, without a token', async () => {
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('process_cpu_user_seconds_total');
  });

  it('GET /docs serves the OpenAPI UI and document, with bearer auth declared', async () => {
    expect((await get('/docs')).status).toBe(200);
    const document = (await (await get('/docs/openapi.json')).json()) as { paths: object; components: object };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/v1/me']));
    expect(document.components).toMatchObject({ securitySchemes: { bearer: { scheme: 'bearer' } } });
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'not-the-token'],
  ])('answers 401 with a JSON error to %s', async (_, token) => {
    const response = await get('/v1/me', token);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('bearer token') });
  });

  it('accepts the bootstrap token as an admin', async () => {
    const response = await get('/v1/me', TOKEN);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: 'bootstrap-admin', role: 'admin' });
  });

  it('answers an unknown route with 404, malformed JSON with 400 and an oversized body with 413', async () => {
    expect((await get('/v1/nothing-here', TOKEN)).status).toBe(404);
    expect((await post('/v1/me', '{"broken": ')).status).toBe(400);
    expect((await post('/v1/me', JSON.stringify({ blob: 'x'.repeat(2_000_000) }))).status).toBe(413);
  });

  it('reports the event store down (503) once it is unreachable', async () => {
    await api.runtime.eventStore.close();
    const response = await get('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'error', details: { eventStore: { status: 'down' } } });
  });
});
