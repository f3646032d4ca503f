import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import type { RecordedEvent } from '@salesledger/domain/event';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { migrateOutbound, migrateReadModel } from '@salesledger/read-model/migrate';
import { projectorLag } from '@salesledger/platform/projection-lag';
import { outboundPosition } from '@salesledger/read-model/outbound-checkpoints';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { RELAY } from '@salesledger/transport/relay';
import { kafkaNames, topicSpecs, type KafkaNames } from '@salesledger/transport/topics';
import { cliEnv } from '../support/cli';
import { readTopic, type TopicMessage } from '../support/kafka';
import { createDatabase, type PostgresServer } from '../support/postgres-servers';
import { appendHistory } from '../projections/store-history';
import { dumpTables } from '../projections/tables';

const DIST = resolve(__dirname, '../../dist/apps');
export type App = 'relay' | 'projector' | 'alert-worker';

/** A database with a log, its read-model and outbound schemas, Kafka topics under a prefix of its own. */
export class KafkaWorld {
  readonly names: KafkaNames;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  private readonly children = new Set<ChildProcess>();
  private references = 0;

  private constructor(
    readonly database: { url: string; drop: () => Promise<void> },
    readonly brokers: string[],
    readonly prefix: string,
  ) {
    this.names = kafkaNames(prefix);
    this.pool = new Pool({ connectionString: database.url, max: 6 });
    this.store = new PostgresEventStore(this.pool, { pollIntervalMs: 10 });
  }

  static async create(server: PostgresServer, brokers: string[], prefix: string): Promise<KafkaWorld> {
    const database = await createDatabase(server);
    await migrateEventStore(database.url);
    await migrateReadModel(database.url);
    await migrateOutbound(database.url);
    const world = new KafkaWorld(database, brokers, prefix);
    const transport = new KafkaTransport(brokers, 'salesledger-test');
    await transport.ensureTopics(topicSpecs(world.names));
    await transport.close();
    return world;
  }

  /** One of the apps as its own process, with this world's database, broker and topics. */
  spawn(app: App): ChildProcess {
    const env = cliEnv({
      EVENT_STORE_URL: this.database.url,
      KAFKA_BROKERS: this.brokers.join(','),
      SALESLEDGER_KAFKA_PREFIX: this.prefix,
      LOG_LEVEL: 'error',
      // The histories start in 2025: looking for overdue papers today would append thousands of
      // facts while the specs wait for the log to stop growing.
      SALESLEDGER_TIME_FACTS_SECONDS: '0',
    });
    const child = spawn(process.execPath, [`${DIST}/${app}/src/main.js`], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  async kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await exited;
  }

  async head(): Promise<number> {
    return (await this.store.head())?.position ?? 0;
  }

  /** The highest position the relay has published (0 before it starts). */
  relayed(): Promise<number> {
    return outboundPosition(this.pool, RELAY);
  }

  /** Events the projections have applied so far (all projections together). */
  async projectedEvents(): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT coalesce(sum(events_applied), 0) AS n FROM read_model.projection_checkpoints`,
    );
    return Number(rows[0].n);
  }

  /** Messages of the events topic the projector groups have not committed. */
  async projectorLag(): Promise<number> {
    const transport = new KafkaTransport(this.brokers, 'salesledger-test');
    try {
      return await projectorLag({ transport, names: this.names });
    } finally {
      await transport.close();
    }
  }

  /** Waits until the log stops growing, the relay has published all of it and every projector group committed it. */
  async settled(timeoutMs = 240_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietSince = 0;
    let lastHead = -1;
    while (Date.now() < deadline) {
      const head = await this.head();
      const done = head === lastHead && (await this.relayed()) === head && (await this.projectorLag()) === 0;
      if (!done) quietSince = 0;
      else if (quietSince === 0) quietSince = Date.now();
      // Quiet for a while: a relay or projector may still be finishing a batch.
      else if (Date.now() - quietSince > 3000) return;
      lastHead = head;
      await sleep(250);
    }
    throw new Error(
      `not settled: head ${await this.head()}, relayed ${await this.relayed()}, lag ${await this.projectorLag()}`,
    );
  }

  /**
   * Settles, then stops the apps; should the log have grown in between, a relay and a projector run
   * again until the log, the topic and the read model agree with nothing running.
   */
  async settledAndStopped(apps: ChildProcess[]): Promise<void> {
    for (let round = 0; round < 5; round++) {
      await this.settled();
      const head = await this.head();
      for (const app of apps) await this.kill(app);
      if ((await this.head()) === head && (await this.relayed()) === head && (await this.projectorLag()) === 0) return;
      apps = [this.spawn('relay'), this.spawn('projector')];
    }
    throw new Error('the log kept growing after the apps had settled');
  }

  /** What one uninterrupted pass of every projection over the log makes, in a schema of its own. */
  async referenceTables(): Promise<Record<string, unknown[]>> {
    const schema = `rm_reference_${++this.references}`;
    await migrateReadModel(this.database.url, schema);
    for (const projection of PROJECTIONS)
      await new ProjectionRunner(this.store, this.pool, projection, { schema, batchSize: 500 }).catchUp();
    return dumpTables(this.pool, schema, ['projection_checkpoints']);
  }

  servedTables(): Promise<Record<string, unknown[]>> {
    return dumpTables(this.pool, 'read_model', ['projection_checkpoints']);
  }

  /** Every message of a topic from the beginning, as a plain consumer (a BI team's) reads it. */
  readTopic(topic: string): Promise<TopicMessage[]> {
    return readTopic(this.brokers, topic, `${this.prefix}.reader.${++this.references}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.kill(child, 'SIGKILL')));
    await this.pool.end();
    await this.database.drop();
  }
}

export async function appendLog(world: KafkaWorld, events: RecordedEvent[]): Promise<void> {
  await appendHistory(world.store, events);
}

/** Polls until `check` holds (or fails with what it last saw). */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  { timeoutMs = 120_000, everyMs = 200 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await sleep(everyMs);
    last = await probe();
  }
  return last;
}
