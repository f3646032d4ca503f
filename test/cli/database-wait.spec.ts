import { spawn } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { BIN, cliEnv } from '../support/cli';
import { createDatabase, postgresServers } from '../support/postgres-servers';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

describe('start-up waits for PostgreSQL', () => {
  it('retries with growing waits, then exits 1 naming the server but not the password', async () => {
    const port = await freePort(); // nothing listens here
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: cliEnv({
        DATABASE_URL: `postgres://sales:very-secret-pw@127.0.0.1:${port}/sales`,
        DATABASE_WAIT_SECONDS: '2',
        LOG_FORMAT: 'json',
        PORT: '0',
      }),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    const took = Date.now() - started;
    expect(code).toBe(1);
    expect(took).toBeGreaterThanOrEqual(2_000);
    expect(took).toBeLessThan(15_000);
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; waitMs?: number });
    const waits = lines.filter((line) => line.level === 40 && /not reachable/.test(line.msg));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]?.msg).toContain(`PostgreSQL at 127.0.0.1:${port}/sales is not reachable (ECONNREFUSED)`);
    expect(waits[0]?.waitMs).toBe(500);
    expect(waits[1]?.waitMs).toBe(1000);
    expect(lines.at(-1)).toMatchObject({
      level: 60,
      msg: expect.stringContaining(`PostgreSQL at 127.0.0.1:${port}/sales could not be reached within 2 s`),
    });
    expect(output).not.toContain('very-secret-pw');
  }, 30_000);
});

describe.each(postgresServers())('start-up on $name', (server) => {
  it('comes up once PostgreSQL does, within the wait', async () => {
    const database = await createDatabase(server);
    const target = new URL(database.url);
    // PostgreSQL "comes up" once the server has found it missing: a proxy on a port that listens only then.
    const port = await freePort();
    const url = Object.assign(new URL(database.url), { port: String(port), hostname: '127.0.0.1' }).toString();
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: cliEnv({
        EVENT_STORE_URL: url,
        DATABASE_URL: url,
        DATABASE_WAIT_SECONDS: '30',
        LOG_FORMAT: 'json',
        PORT: '0',
      }),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((done) => child.on('exit', done));
    let proxy: Server | undefined;
    try {
      await until(
        () => /is not reachable \(ECONNREFUSED\); retrying/.test(output),
        () => output,
      );
      proxy = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname || '127.0.0.1');
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      }).listen(port, '127.0.0.1');
      await until(
        () => /listening on http/.test(output),
        () => output,
      );
      expect(output).toContain(`PostgreSQL at 127.0.0.1:${port}${target.pathname} is up`);
      const base = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await new Promise((done) => (proxy ? proxy.close(done) : done(undefined)));
      await database.drop();
    }
  }, 90_000);
});

async function until(holds: () => boolean, output: () => string): Promise<void> {
  for (const started = Date.now(); !holds(); await new Promise((r) => setTimeout(r, 50)))
    if (Date.now() - started > 60_000) throw new Error(`not so after 60 s; the server wrote:\n${output()}`);
}
