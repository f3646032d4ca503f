import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { BIN, cliEnv, runCli, startServer, tempDataDir } from '../support/cli';
import { createDatabase } from '../support/postgres-servers';

// The suite's own embedded server: what is tested here is the CLI, not the database.
const embeddedServer = { name: 'embedded PostgreSQL', url: process.env.TEST_EMBEDDED_POSTGRES_URL as string };
const VERSION = (JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string })
  .version;
const ROUTE_DUMP = /RoutesResolver|RouterExplorer|Mapped \{/;

describe('the terminal', () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => (database = await createDatabase(embeddedServer)));
  afterAll(() => database.drop());
  const env = (extra: Record<string, string>) =>
    cliEnv({ EVENT_STORE_URL: database.url, SALESLEDGER_BOOTSTRAP_TOKEN: 'a-long-enough-admin-token', ...extra });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version'], cliEnv({}));
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(VERSION);
  });

  it('logs JSON lines when stderr is not a terminal, without Nest mapping every route at info', async () => {
    const server = await startServer(env({ LOG_LEVEL: 'info' }), ['--no-demo']);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lines = server.output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((line) => JSON.parse(line).msg)).toContain('stopped cleanly');
    expect(server.output()).not.toMatch(ROUTE_DUMP);
  });

  it('keeps the route mapping for LOG_LEVEL=debug', async () => {
    const server = await startServer(env({ LOG_LEVEL: 'debug' }), ['--no-demo']);
    server.child.kill('SIGTERM');
    await server.exited;
    const mapped = server
      .output()
      .split('\n')
      .filter((line) => line.includes('Mapped {/v1/me, GET}'));
    expect(mapped.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 20, context: 'RouterExplorer', app: 'api' }),
    ]);
  });

  it('logs readable lines into a pipe too when LOG_FORMAT=pretty says so', async () => {
    const server = await startServer(env({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }), ['--no-demo']);
    server.child.kill('SIGTERM');
    await server.exited;
    expect(server.output()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[salesledger\] listening on http/m);
    expect(server.output()).not.toMatch(/"level":/);
  });

  it('logs readable lines, not JSON, when stderr is a terminal', async () => {
    // `script` gives the server a pseudo-terminal, as a person's shell would.
    const child = spawn('script', ['-qec', `exec ${process.execPath} ${BIN} start --no-demo`, '/dev/null'], {
      env: { ...env({ LOG_LEVEL: 'info' }), PORT: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((done) => child.on('exit', done));
    try {
      await waitFor(() => /listening on http/.test(output));
      const plain = stripVTControlCharacters(output); // colours off, to read the words
      expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[salesledger\] listening on http:\/\/\S+/m);
      expect(plain).toMatch(/INFO: \[salesledger\/projector\] projector running/);
      expect(plain).not.toMatch(/"level":/);
      expect(plain).not.toMatch(ROUTE_DUMP);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('a command other than start, in embedded mode', () => {
  let dataDir: string;
  beforeAll(async () => (dataDir = await tempDataDir()));
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('prints its own output only, unless LOG_LEVEL asks for the runtime narration', async () => {
    const file = join(dataDir, 'customers.csv');
    await writeFile(file, 'id,name,repId\n');
    const env = (level: string) => cliEnv({ SALESLEDGER_DATA_DIR: dataDir, LOG_LEVEL: level });
    // The first run generates the admin token and says so: a warning, which shows at any level.
    const told = await runCli(['import', 'customers', file], env('info'));
    expect(
      told.stderr
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 30, msg: 'embedded PostgreSQL is up' }),
        expect.objectContaining({ level: 40, msg: expect.stringContaining('generated admin token') }),
      ]),
    );
    const quiet = await runCli(['import', 'customers', file], env(''));
    expect(quiet).toEqual({ code: 0, stdout: '0 rows: 0 new, 0 already present, 0 rejected\n', stderr: '' });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 100));
  }
}
