import { startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

type Operation = { summary?: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };

/** The published document describes every operation; the e2e specs check every answer against it (api-app). */
describe('the OpenAPI document', () => {
  let api: ApiUnderTest;
  let doc: { paths: Record<string, Record<string, Operation>>; components: any };

  beforeAll(async () => {
    api = await startApi(postgresServers()[0]!);
    doc = (await api.call('GET', '/docs/openapi.json')).body;
  });
  afterAll(() => api.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );

  it('gives every operation a summary and a 2xx answer with a schema', () => {
    const undescribed = operations().filter(({ operation }) => {
      const ok = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
      const hasSchema = ok && (ok[0] === '204' || Object.values(ok[1].content ?? {}).some((c) => c.schema));
      return !operation.summary || !hasSchema;
    });
    expect(undescribed.map(({ route }) => route)).toEqual([]);
    expect(operations().length).toBeGreaterThan(60);
  });

  it('describes the 4xx answers of every /v1 operation with the shared error schema', () => {
    const missing = operations().filter(
      ({ route, operation }) =>
        route.includes(' /v1') &&
        !['400', '401'].every(
          (status) =>
            JSON.stringify(operation.responses[status]?.content?.['application/json']?.schema) ===
            JSON.stringify({ $ref: '#/components/schemas/ErrorResponse' }),
        ),
    );
    expect(missing.map(({ route }) => route)).toEqual([]);
  });

  it('declares the bearer token as opaque, not a JWT, and the import kinds', () => {
    expect(JSON.stringify(doc.components.securitySchemes)).not.toMatch(/JWT/i);
    const upload = doc.paths['/v1/imports/{kind}']!.post as any;
    expect(upload.parameters.find((p: { name: string }) => p.name === 'kind').schema.enum).toEqual([
      'customers',
      'visits',
      'orders',
    ]);
  });

  it('catches an answer that does not match its schema', async () => {
    await api.call('GET', '/v1/me');
    expect(api.documented.checked).toBeGreaterThan(0);
    api.documented.check('GET', '/v1/teams', 200, { items: [{ id: 7 }], nextCursor: null });
    expect(api.documented.problems).toEqual([expect.stringContaining('GET /v1/teams 200')]);
    api.documented.problems.length = 0;
  });
});
