import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Client } from 'pg';
import { toIntegrationEvent } from '@salesledger/contracts/integration-event';
import { INTEGRATION_EVENT_SCHEMAS } from '@salesledger/contracts/integration-event-schemas';
import { startEmbeddedPostgres } from '@salesledger/platform/embedded-postgres.server';
import { cliEnv, runCli, startServer, tempDataDir, type RunningServer } from '../support/cli';
import { domainSamples } from '../support/domain-samples';
import { createDatabase } from '../support/postgres-servers';

describe('salesledger schemas export', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'salesledger-schemas-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes one JSON Schema per event type that a standalone validator accepts real messages with', async () => {
    const out = join(dir, 'schemas');
    const { code, stdout } = await runCli(['schemas', 'export', out], cliEnv({}));
    expect(code).toBe(0);
    expect(stdout).toContain(out);
    const types = Object.keys(INTEGRATION_EVENT_SCHEMAS);
    expect((await readdir(out)).sort()).toEqual([...types, 'envelope'].map((type) => `${type}.json`).sort());

    // A BI team's own validator, given only the files: each compiles alone and names its type.
    const ajv = addFormats(new Ajv2020({ strict: false }));
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    for (const type of [...types, 'envelope']) {
      const schema = JSON.parse(await readFile(join(out, `${type}.json`), 'utf8'));
      expect(schema.$id).toMatch(new RegExp(`/${type}\\.json$`));
      validators.set(type, ajv.compile(schema));
    }
    const messages = (await domainSamples()).map(toIntegrationEvent);
    expect(new Set(messages.map((message) => message.type)).size).toBeGreaterThan(30);
    for (const message of messages) {
      const validate = validators.get(message.type);
      expect({ type: message.type, valid: validate?.(message), errors: validate?.errors ?? null }).toEqual({
        type: message.type,
        valid: true,
        errors: null,
      });
      expect(validators.get('envelope')?.(message)).toBe(true);
      expect(validate?.({ ...message, data: { ...message.data, undocumented: 1 } })).toBe(false);
    }
  });
});

describe('salesledger db url --reporting, embedded mode', () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  beforeAll(async () => (dataDir = await tempDataDir()));
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    if (existsSync(join(dataDir, 'postgres', 'data', 'PG_VERSION')))
      await (await startEmbeddedPostgres(dataDir)).stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const env = () => cliEnv({ SALESLEDGER_DATA_DIR: dataDir, LOG_LEVEL: '' });

  it('says when no server runs on the data dir, rather than print an address that works for no one', async () => {
    const { code, stdout, stderr } = await runCli(['db', 'url', '--reporting'], env());
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`no server is running on ${dataDir}`);
  });

  it('prints a URL of the running server that reads the reporting views and nothing else', async () => {
    server = await startServer(env(), ['--no-demo']);
    const first = await runCli(['db', 'url', '--reporting'], env());
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const url = first.stdout.trim();
    expect(new URL(url).username).toBe('salesledger_reporting');
    expect((await readFile(join(dataDir, 'reporting-password'), 'utf8')).trim()).toBe(
      decodeURIComponent(new URL(url).password),
    );

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM reporting.scorecards');
      expect(rows).toEqual([{ n: 0 }]);
      await expect(client.query('SELECT 1 FROM read_model.scorecards')).rejects.toThrow(/permission denied/);
      await expect(client.query('SELECT 1 FROM event_store.events')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
    // The password is kept: a BI tool configured once goes on connecting while the server runs.
    expect((await runCli(['db', 'url', '--reporting'], env())).stdout.trim()).toBe(url);

    // Without --reporting: the owner's address, which reaches the read model itself.
    const owner = new Client({ connectionString: (await runCli(['db', 'url'], env())).stdout.trim() });
    await owner.connect();
    try {
      expect((await owner.query('SELECT count(*)::int AS n FROM read_model.scorecards')).rows).toEqual([{ n: 0 }]);
    } finally {
      await owner.end();
    }
  });
});

describe('salesledger db url --reporting, on your own PostgreSQL', () => {
  it('prints the read-model address as the reporting role, and how that role gets a password', async () => {
    const server = { name: 'embedded PostgreSQL', url: process.env.TEST_EMBEDDED_POSTGRES_URL as string };
    const database = await createDatabase(server);
    try {
      const { code, stdout, stderr } = await runCli(
        ['db', 'url', '--reporting'],
        cliEnv({ EVENT_STORE_URL: database.url, LOG_LEVEL: '' }),
      );
      expect(code).toBe(0);
      const printed = new URL(stdout.trim());
      const configured = new URL(database.url);
      expect({ user: printed.username, password: printed.password }).toEqual({
        user: 'salesledger_reporting',
        password: '',
      });
      expect(`${printed.host}${printed.pathname}`).toBe(`${configured.host}${configured.pathname}`);
      expect(stderr).toContain("ALTER ROLE salesledger_reporting LOGIN PASSWORD '...'");
    } finally {
      await database.drop();
    }
  });
});
