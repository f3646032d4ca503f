import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { startEmbeddedPostgres } from '@salesledger/platform/embedded-postgres.server';
import { Pool } from 'pg';
import { cliEnv, runCli, startServer, tempDataDir, type RunningServer } from '../support/cli';
import { newEvents } from '../support/events';

describe('embedded mode (npm start with no services)', () => {
  let dataDir: string;
  let running: RunningServer[];

  beforeEach(async () => {
    dataDir = await tempDataDir();
    running = [];
  });
  afterEach(async () => {
    for (const server of running) server.child.kill('SIGKILL');
    if (existsSync(join(dataDir, 'postgres', 'data', 'PG_VERSION')))
      await (await startEmbeddedPostgres(dataDir)).stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => cliEnv({ SALESLEDGER_DATA_DIR: dataDir, ...extra });
  const start = async (extra?: Record<string, string>, args = ['--no-demo']) => {
    const server = await startServer(env(extra), args);
    running.push(server);
    return server;
  };
  const postmasterPid = () => join(dataDir, 'postgres', 'data', 'postmaster.pid');

  it('serves /health within 10 s on a fresh data dir, and SIGTERM stops it with its PostgreSQL', async () => {
    const began = Date.now();
    const server = await start();
    const health = await fetch(`${server.url}/health`);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', details: { eventStore: { status: 'up' } } });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('stopped cleanly');
    expect(existsSync(postmasterPid())).toBe(false);
  });

  it('prints a generated admin token, keeps it in the data dir and accepts it across restarts', async () => {
    const first = await start();
    const token = (await first.waitFor(/admin token \(also in [^)]+\): (\S+)/))[1] as string;
    expect(first.output()).not.toMatch(new RegExp(`"msg":"[^"]*${token}`));
    expect(token).toBeDefined();
    expect(await me(first.url)).toBe(401);
    expect(await me(first.url, 'wrong-token')).toBe(401);
    expect(await me(first.url, token)).toBe(200);
    first.child.kill('SIGTERM');
    await first.exited;

    const second = await start();
    expect(second.output()).not.toContain('admin token');
    expect(await me(second.url, token)).toBe(200);
  });

  it('accepts SALESLEDGER_BOOTSTRAP_TOKEN instead of generating one', async () => {
    const server = await start({ SALESLEDGER_BOOTSTRAP_TOKEN: 'a-long-enough-admin-token' });
    expect(await me(server.url, 'a-long-enough-admin-token')).toBe(200);
    expect(existsSync(join(dataDir, 'bootstrap-token'))).toBe(false);
  });

  it('comes back with its data after kill -9 left the embedded PostgreSQL running', async () => {
    const first = await start();
    const shared = await startEmbeddedPostgres(dataDir);
    expect(shared.owned).toBe(false);
    const store = new PostgresEventStore(new Pool({ connectionString: shared.url }));
    await store.append('rep-1', newEvents(5), 'no-stream');
    await store.close();

    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(postmasterPid())).toBe(true);

    const second = await start();
    expect((await fetch(`${second.url}/health`)).status).toBe(200);
    const audit = await runCli(['audit', 'verify'], env());
    expect(audit.stdout).toContain('checked 5 events in 1 streams: 0 problems');
    expect(audit.code).toBe(0);
    expect((await fetch(`${second.url}/health`)).status).toBe(200);
  });

  it('seeds the demo organisation into a fresh data dir, behind a live API, and only once', async () => {
    const server = await start({ SALESLEDGER_BOOTSTRAP_TOKEN: 'a-long-enough-admin-token' }, []);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await server.waitFor(/demo organisation ready: \d+ events/);
    const month = new Date().toISOString().slice(0, 7);
    const target = await fetch(`${server.url}/v1/reps/rep-01/targets/${month}`, {
      headers: { authorization: 'Bearer a-long-enough-admin-token' },
    });
    expect(target.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const again = await start({}, []);
    again.child.kill('SIGTERM');
    await again.exited;
    expect(again.output()).not.toContain('seeding the demo organisation');
  });

  it.each([
    ['a SIGTERM to npm (a supervisor)', 'npm'],
    ['Ctrl-C (SIGINT to the whole process group)', 'group'],
  ])('stops cleanly under `npm start` on %s', async (_, target) => {
    // --ignore-scripts skips prestart's rebuild: the suite runs on the dist that `npm test` built.
    const child = spawn('npm', ['start', '--ignore-scripts', '--', '--no-demo'], {
      cwd: resolve(__dirname, '../..'),
      env: { ...env(), PORT: '0' },
      detached: true,
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    await waitUntil(() => output.includes('listening on'));
    if (target === 'npm') child.kill('SIGTERM');
    else process.kill(-(child.pid as number), 'SIGINT');
    expect(await exited).toBe(0);
    await waitUntil(() => output.includes('stopped cleanly'));
    expect(output).not.toContain('exiting without waiting');
    expect(existsSync(postmasterPid())).toBe(false);
  });

  it('refuses a bad configuration with one message per bad value', async () => {
    const { code, stderr } = await runCli(
      ['start'],
      env({ PORT: 'abc', KAFKA_BROKERS: 'nohost', EVENT_STORE_URL: 'mysql://x' }),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('PORT must be a whole number from 0 to 65535');
    expect(stderr).toContain('KAFKA_BROKERS must be a comma-separated list of host:port');
    expect(stderr).toContain('EVENT_STORE_URL must be a postgres://... or esdb://... URL');
  });
});

async function me(url: string, token?: string): Promise<number> {
  const response = await fetch(`${url}/v1/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return response.status;
}

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 100));
  }
}
