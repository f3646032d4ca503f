import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Client, Pool } from 'pg';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { cliEnv, runCli } from '../support/cli';
import { newEvents } from '../support/events';
import { kafkaNames } from '@salesledger/transport/topics';
import { deleteTopicsWithPrefix, describeWithKafka, uniqueTopicPrefix } from '../support/kafka';
import { createDatabase, postgresServers, type PostgresServer } from '../support/postgres-servers';

interface HealthAnswer {
  status: string;
  service: string;
  problems?: { auditChain?: { kind: string; seq: number; detail: string } };
}

const WORKER = resolve(__dirname, '../../dist/apps/alert-worker/src/main.js');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(postgresServers())('the alert worker watching the audit chain on $name', (server) => {
  it('anchors the log, checks new events as they arrive, and turns /health degraded at a break', async () => {
    const database = await createDatabase(server);
    await migrateEventStore(database.url);
    const store = new PostgresEventStore(new Pool({ connectionString: database.url }));
    await store.append('order-1', newEvents(3), 'no-stream');
    const dataDir = await mkdtemp(join(tmpdir(), 'salesledger-watch-'));
    const port = await freePort();
    const env = cliEnv({ EVENT_STORE_URL: database.url, SALESLEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const child = spawn(process.execPath, [WORKER], {
      env: { ...env, HEALTH_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    const health = async () => (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as HealthAnswer;
    try {
      // The anchor made at start is one `audit verify --anchor` accepts.
      const anchorDir = join(dataDir, 'anchors');
      const [file] = await until(async () => {
        const files = await readdir(anchorDir);
        return files.length > 0 ? files : undefined;
      }, 'the first anchor');
      expect(JSON.parse(await readFile(join(anchorDir, file as string), 'utf8')).statement.seq).toBe(3);
      const verified = await runCli(['audit', 'verify', '--anchor', join(anchorDir, file as string)], env);
      expect(verified.code).toBe(0);
      expect(await health()).toEqual({ status: 'up', service: 'alert-worker' });

      // A new event is sealed and checked; then its log link is edited.
      await store.append('order-1', newEvents(1), 2);
      await until(async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return /salesledger_audit_verified_seq 4\b/.test(metrics) ? true : undefined;
      }, 'the new event to be verified');
      await store.append('order-1', newEvents(1), 3);
      await until(
        async () => ((await sql.query('SELECT 1 FROM event_store.log WHERE seq = 5')).rowCount ? true : undefined),
        'seal',
      );
      await sql.query(`UPDATE event_store.log SET chain = sha256('forged') WHERE seq = 5`);
      // Whether the worker checked entry 5 before or after the edit, the next entry shows the break.
      await store.append('order-1', newEvents(1), 4);
      const degraded = await until(async () => {
        const answer = await health();
        return answer.status === 'degraded' ? answer : undefined;
      }, 'a degraded health answer');
      expect(degraded.problems?.auditChain).toMatchObject({ kind: 'altered', seq: expect.any(Number) });
      expect([5, 6]).toContain(degraded.problems?.auditChain?.seq);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/salesledger_audit_chain_broken 1\b/);
    } finally {
      child.kill('SIGKILL');
      await sql.end();
      await store.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describeWithKafka('the alert worker in Kafka mode', (brokers) => {
  const [server] = postgresServers() as [PostgresServer];

  it('publishes its signed anchor to the audit topic', async () => {
    const database = await createDatabase(server);
    await migrateEventStore(database.url);
    const store = new PostgresEventStore(new Pool({ connectionString: database.url }));
    await store.append('order-1', newEvents(2), 'no-stream');
    await store.close();
    const dataDir = await mkdtemp(join(tmpdir(), 'salesledger-watch-'));
    const prefix = `${uniqueTopicPrefix('audit')}.`;
    const env = cliEnv({
      EVENT_STORE_URL: database.url,
      SALESLEDGER_DATA_DIR: dataDir,
      KAFKA_BROKERS: brokers.join(','),
      SALESLEDGER_KAFKA_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    });
    const child = spawn(process.execPath, [WORKER], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const consumer = new Kafka({ clientId: 'audit-spec', brokers, logLevel: logLevel.NOTHING }).consumer({
      groupId: `${prefix}reader`,
    });
    try {
      const topic = kafkaNames(prefix).audit;
      await until(async () => {
        const admin = new Kafka({ clientId: 'audit-spec', brokers, logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        const topics = await admin.listTopics().finally(() => admin.disconnect());
        return topics.includes(topic) ? true : undefined;
      }, 'the audit topic');
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<string>((done) => {
        void consumer.run({ eachMessage: async ({ message }) => done(String(message.value)) });
      });
      const anchor = JSON.parse(await received);
      expect(anchor.statement).toMatchObject({ format: 'salesledger-audit-anchor/1', seq: 2 });
      const file = join(dataDir, 'kafka-anchor.json');
      await writeFile(file, JSON.stringify(anchor));
      const { KAFKA_BROKERS: _brokers, ...plain } = env;
      expect((await runCli(['audit', 'verify', '--anchor', file], plain)).code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await consumer.disconnect();
      await deleteTopicsWithPrefix(brokers, prefix);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
