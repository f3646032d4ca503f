import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import pino from 'pino';
import { createApiApp } from '@salesledger/api/create-api-app';
import { handleCommand } from '@salesledger/domain/command-handler';
import { tokenDecider } from '@salesledger/domain/organisation/organisation.deciders';
import { streams } from '@salesledger/domain/streams';
import { createLogger } from '@salesledger/platform/logger';
import { startProjector } from '@salesledger/projector/projector';
import type { Stop } from '@salesledger/platform/service';
import { ADMIN_TOKEN, startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

type Answer = { status: number; body: any };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.each(postgresServers())('API tokens on $name', (server) => {
  let api: ApiUnderTest;
  let replica: INestApplication;
  let stopProjector: Stop;
  const logLines: string[] = [];
  /** Every log line of the API processes under test. */
  const sink = { write: (line: string) => void logLines.push(line) };
  const issued: string[] = [];

  async function ok(response: Promise<Answer>, status = 200) {
    const { status: actual, body } = await response;
    if (actual !== status) throw new Error(`expected ${status}, got ${actual}: ${JSON.stringify(body)}`);
    return body;
  }
  const post = (path: string, body?: unknown) => ok(api.call('POST', path, undefined, body ?? {}), 201);
  const me = async (token: string, base?: string) =>
    (await fetch(`${base ?? (await api.app.getUrl())}/v1/me`, { headers: { authorization: `Bearer ${token}` } }))
      .status;
  async function issue(userId: string, body: object = {}) {
    const answer = await post(`/v1/users/${userId}/tokens`, body);
    issued.push(answer.token);
    return answer as { tokenId: string; token: string };
  }
  async function settled(): Promise<void> {
    for (let attempt = 0; attempt < 400; attempt++) {
      const statuses: { lagEvents: number }[] = await ok(api.call('GET', '/v1/admin/projections'));
      if (statuses.every((s) => s.lagEvents === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  /** How long until the token is refused, polling every 50 ms for at most 3 s. */
  async function refusedAfter(token: string, base?: string): Promise<number> {
    const started = Date.now();
    while ((await me(token, base)) !== 401 && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 50));
    return Date.now() - started;
  }

  beforeAll(async () => {
    api = await startApi(server);
    stopProjector = await startProjector(api.runtime, pino({ level: 'silent' }));
    // A second API process on the same store: revocation must reach it too.
    replica = await createApiApp(api.runtime, createLogger('trace', 'json', sink));
    await replica.listen(0, '127.0.0.1');
    await post('/v1/teams', { id: 'north', name: 'North' });
    await post('/v1/users', { id: 'ana', name: 'Ana', email: 'ana@example.com', role: 'analyst' });
    await post('/v1/users', { id: 'mgr', name: 'Mo', email: 'mo@example.com', role: 'manager', teamId: 'north' });
    await post('/v1/users', { id: 'boss', name: 'Di', email: 'di@example.com', role: 'director' });
  });
  afterAll(async () => {
    await replica.close();
    await stopProjector();
    await api.close();
  });

  it('lists a token with its label, expiry and last use, never the secret or its hash', async () => {
    const { tokenId, token } = await issue('ana', { label: 'BI laptop', expiresInDays: 30 });
    expect(await me(token, await replica.getUrl())).toBe(200);
    await settled();
    const tokens = await ok(api.call('GET', '/v1/users/ana/tokens', token));
    expect(tokens).toEqual([
      {
        tokenId,
        label: 'BI laptop',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        lastUsedAt: expect.any(String),
        revokedAt: null,
      },
    ]);
    const days = (Date.parse(tokens[0].expiresAt) - Date.parse(tokens[0].createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 3);
    expect(JSON.stringify(tokens)).not.toContain(token);
    expect(JSON.stringify(tokens)).not.toContain(sha256(token));
  });

  it('revokes a token on every API process within a second, and only that token', async () => {
    const kept = await issue('ana');
    const revoked = await issue('ana');
    expect(await me(revoked.token, await replica.getUrl())).toBe(200);
    await settled();
    expect((await api.call('DELETE', `/v1/users/ana/tokens/${revoked.tokenId}`)).status).toBe(204);
    expect(await refusedAfter(revoked.token, await replica.getUrl())).toBeLessThan(1500);
    expect(await me(revoked.token)).toBe(401);
    expect(await me(kept.token)).toBe(200);
    await settled();
    const listed = await ok(api.call('GET', '/v1/users/ana/tokens'));
    expect(listed.find((t: any) => t.tokenId === revoked.tokenId).revokedAt).toEqual(expect.any(String));
    expect(listed.find((t: any) => t.tokenId === kept.tokenId).revokedAt).toBeNull();
  });

  it('lets a user list and revoke their own tokens, and no one else outside their reach', async () => {
    const own = await issue('mgr');
    const boss = await issue('boss');
    await settled();
    expect((await api.call('GET', '/v1/users/mgr/tokens', own.token)).status).toBe(200);
    expect((await api.call('GET', '/v1/users/boss/tokens', own.token)).status).toBe(403);
    expect((await api.call('DELETE', `/v1/users/boss/tokens/${boss.tokenId}`, own.token)).status).toBe(403);
    expect((await api.call('DELETE', `/v1/users/mgr/tokens/${boss.tokenId}`, own.token)).status).toBe(404);
    expect((await api.call('DELETE', `/v1/users/nobody/tokens/${boss.tokenId}`)).status).toBe(404);
    expect((await api.call('DELETE', `/v1/users/mgr/tokens/${own.tokenId}`, own.token)).status).toBe(204);
    expect(await refusedAfter(own.token)).toBeLessThan(1500);
  });

  it('deactivating a user refuses all of their tokens and issues no more', async () => {
    await post('/v1/users', { id: 'leaver', name: 'L', email: 'l@example.com', role: 'analyst' });
    const first = await issue('leaver');
    const second = await issue('leaver');
    expect(await ok(api.call('POST', '/v1/users/leaver/deactivation'))).toMatchObject({ id: 'leaver', active: false });
    expect(await refusedAfter(first.token)).toBeLessThan(1500);
    expect(await me(second.token)).toBe(401);
    expect((await api.call('POST', '/v1/users/leaver/tokens', undefined, {})).status).toBe(409);
    await settled();
    const listed = await ok(api.call('GET', '/v1/users/leaver/tokens'));
    expect(listed.map((t: any) => t.revokedAt)).toEqual([expect.any(String), expect.any(String)]);
    expect(await ok(api.call('GET', '/v1/users/leaver'))).toMatchObject({ active: false });
  });

  it('refuses an expired token', async () => {
    const token = 'sl_expired-token-for-the-spec';
    const context = {
      commandId: 'expired',
      actor: { userId: 'spec', role: 'admin' as const },
      correlationId: 'c',
      now: new Date(),
    };
    const data = { userId: 'ana', tokenId: 'tok_expired', expiresAt: new Date(Date.now() - 1000).toISOString() };
    await handleCommand(api.runtime.eventStore, streams.token(sha256(token)), tokenDecider, data, context);
    expect(await me(token)).toBe(401);
  });

  it('refuses bad token requests with field messages', async () => {
    const answer = await api.call('POST', '/v1/users/ana/tokens', undefined, { expiresInDays: 0, label: '' });
    expect(answer.status).toBe(400);
    expect(answer.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['expiresInDays', 'label']);
  });

  it('never writes a token or its hash in a log line, a metric or the health answer', async () => {
    const base = await replica.getUrl();
    const { token } = await issue('ana');
    const call = (path: string, bearer: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      });
    for (const bearer of [token, ADMIN_TOKEN, `${token}x`]) {
      await call('/v1/me', bearer);
      await call('/v1/users', bearer, { method: 'POST', body: '{"id":' }); // 400
      await call('/v1/users/nobody', bearer); // 404
      await call('/v1/teams', bearer, { method: 'POST', body: JSON.stringify({ id: 'north', name: 'Other' }) }); // 409
    }
    // A database outage: the reads of an API whose pool is gone answer 503 with Retry-After.
    const gone = new Pool({ connectionString: api.runtime.databaseUrl });
    await gone.end();
    const outage = await createApiApp({ ...api.runtime, readModel: gone }, createLogger('trace', 'json', sink));
    await outage.listen(0, '127.0.0.1');
    try {
      const answer = await fetch(`${await outage.getUrl()}/v1/users`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
    } finally {
      await outage.close();
    }
    const scraped = [await (await fetch(`${base}/metrics`)).text(), await (await fetch(`${base}/health`)).text()];
    const secrets = [...issued, ADMIN_TOKEN].flatMap((secret) => [secret, sha256(secret)]);
    expect(logLines.length).toBeGreaterThan(0);
    for (const text of [...logLines, ...scraped]) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
