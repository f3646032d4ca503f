import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import { createApiApp } from '@salesledger/api/create-api-app';
import { loadConfig } from '@salesledger/platform/config';
import { openRuntime, type Runtime } from '@salesledger/platform/runtime';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { OpenApiResponses } from './openapi-responses';
import { createDatabase, type PostgresServer } from './postgres-servers';
import { logEvents } from './events';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface ApiUnderTest {
  readonly runtime: Runtime;
  readonly app: INestApplication;
  /** What the answers so far were checked against, and what did not match. */
  readonly documented: OpenApiResponses;
  call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Set-up as the admin: POSTs `body` and answers the created resource, or throws unless 201. */
  create(path: string, body: unknown): Promise<any>;
  /** Registers the user and answers a bearer token of theirs. */
  userWithToken(user: { id: string; role: string; teamId?: string; repId?: string }): Promise<string>;
  /** The read model catches up with the log, as the projector would, before a read. */
  project(): Promise<void>;
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/** The API on its own fresh database on `server`, listening on a free port. */
export async function startApi(server: PostgresServer, env: Record<string, string> = {}): Promise<ApiUnderTest> {
  const database = await createDatabase(server);
  const config = loadConfig({
    EVENT_STORE_URL: database.url,
    SALESLEDGER_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const runtime = await openRuntime(config, pino({ level: 'silent' }));
  const app = await createApiApp(runtime);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  // Every answer of every e2e spec is checked against the published document.
  const documented = new OpenApiResponses((await (await fetch(`${base}/docs/openapi.json`)).json()) as never);
  const call: ApiUnderTest['call'] = async (method, path, token = ADMIN_TOKEN, body) => {
    // The path as sent: the URL parser resolves dot segments (`/v1/reps/../scorecard` is `/v1/scorecard`).
    const url = new URL(`${base}${path}`);
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (response.headers.get('content-type')?.includes('json'))
      documented.check(method, `${url.pathname}${url.search}`, response.status, parsed);
    return { status: response.status, body: parsed };
  };
  const create = async (path: string, body: unknown) => {
    const { status, body: answer } = await call('POST', path, ADMIN_TOKEN, body);
    if (status !== 201) throw new Error(`${path}: ${status} ${JSON.stringify(answer)}`);
    return answer;
  };
  return {
    documented,
    runtime,
    app,
    call,
    create,
    userWithToken: async (user) => {
      await create('/v1/users', { name: user.id, email: `${user.id}@example.com`, ...user });
      return (await create(`/v1/users/${user.id}/tokens`, {})).token;
    },
    project: async () => {
      for (const projection of PROJECTIONS)
        await new ProjectionRunner(runtime.eventStore, runtime.readModel, projection).catchUp();
    },
    eventCount: async () => (await logEvents(runtime.eventStore)).length,
    close: async () => {
      await app.close();
      await runtime.close().catch(() => undefined);
      await database.drop();
      const problems = [...new Set(documented.problems)];
      if (problems.length > 0)
        throw new Error(`answers that /docs/openapi.json does not describe:\n${problems.slice(0, 50).join('\n')}`);
    },
  };
}
