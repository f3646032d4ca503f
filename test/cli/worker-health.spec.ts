import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliEnv } from '../support/cli';
import { createDatabase, postgresServers } from '../support/postgres-servers';

const APPS = resolve(__dirname, '../../dist/apps');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

describe.each(postgresServers())('a worker on $name', (server) => {
  it.each(['projector', 'alert-worker'])(
    '%s answers GET /health on HEALTH_PORT for probes, and stops on SIGTERM',
    async (app) => {
      const database = await createDatabase(server);
      const port = await freePort();
      const child = spawn(process.execPath, [`${APPS}/${app}/src/main.js`], {
        env: cliEnv({ EVENT_STORE_URL: database.url, HEALTH_PORT: String(port), LOG_LEVEL: 'warn' }),
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const exited = new Promise<number | null>((done) => child.once('exit', done));
      try {
        let answer: Response | undefined;
        for (let i = 0; i < 150 && !answer; i++)
          answer = await fetch(`http://127.0.0.1:${port}/health`).catch(() => sleep(100).then(() => undefined));
        expect(answer?.status).toBe(200);
        expect(await answer?.json()).toEqual({ status: 'up', service: app });
        expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
        await database.drop();
      }
    },
    60_000,
  );

  it('serves /metrics on HEALTH_PORT only to the METRICS_TOKEN when one is set', async () => {
    const database = await createDatabase(server);
    const port = await freePort();
    const token = 'worker-scrape-token-0123456789';
    const child = spawn(process.execPath, [`${APPS}/projector/src/main.js`], {
      env: cliEnv({
        EVENT_STORE_URL: database.url,
        HEALTH_PORT: String(port),
        LOG_LEVEL: 'warn',
        METRICS_TOKEN: token,
      }),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      let open: Response | undefined;
      for (let i = 0; i < 150 && !open; i++)
        open = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => sleep(100).then(() => undefined));
      expect(open?.status).toBe(401);
      const wrong = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toContain('text/plain');
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
      await database.drop();
    }
  }, 60_000);
});
