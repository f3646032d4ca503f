import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { skipLoudly } from './postgres-servers';

/** Starts, stops and fetches the single-node broker that CI and developers run (KRaft, from Maven Central jars). */
const KAFKA_SH = join(__dirname, '..', '..', 'deploy', 'kafka', 'kafka.sh');
/** Where `kafka.sh start` puts the shared broker (its defaults); the only shared broker a spec may restart. */
const LOCAL_BROKERS = new Set(['127.0.0.1:9092', 'localhost:9092']);
/** Fetching the jars on a fresh machine, then a JVM boot on 2 busy cores: far beyond jest's default timeout. */
const SCRIPT_TIMEOUT_MS = 240_000;
const HOW = 'run `bash deploy/kafka/kafka.sh start` and set KAFKA_BROKERS=127.0.0.1:9092';

/** The brokers named by KAFKA_BROKERS, or undefined when Kafka is not configured. */
export function kafkaBrokers(): string[] | undefined {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  return brokers.length > 0 ? brokers : undefined;
}

/**
 * `describe` for specs that need Kafka: without KAFKA_BROKERS the suite is skipped loudly, and under
 * REQUIRE_INFRA=1 (CI) collecting it fails instead. With `restartable: true` the spec also needs the
 * broker to be the local one kafka.sh manages (see stopBroker), since it stops and starts it.
 */
export function describeWithKafka(
  name: string,
  body: (brokers: string[]) => void,
  { restartable = false }: { restartable?: boolean } = {},
): void {
  const brokers = kafkaBrokers();
  let missing: string | undefined;
  if (!brokers) missing = 'Kafka broker';
  else if (restartable && !isLocalBroker(brokers))
    missing = `local Kafka broker to restart (KAFKA_BROKERS=${brokers.join(',')})`;
  if (missing) {
    skipLoudly(missing, HOW);
    describe.skip(name, () => it(`needs a ${missing}`, () => undefined));
    return;
  }
  describe(name, () => body(brokers!));
}

/** True when the brokers are the single local one that `kafka.sh` starts by default. */
export function isLocalBroker(brokers = kafkaBrokers()): boolean {
  return brokers?.length === 1 && LOCAL_BROKERS.has(brokers[0]!);
}

/**
 * Stops the shared local broker (SIGTERM, SIGKILL after a timeout; waits for the exit), for fault
 * specs that take Kafka away mid-stream. Refuses a broker that kafka.sh does not manage: a spec must
 * never stop someone's real cluster. Other specs in the same jest run share this broker: a spec
 * that restarts it should use privateBroker() unless it runs alone.
 */
export async function stopBroker(): Promise<void> {
  assertLocal('stop');
  if (
    !(await kafkaSh(['status']).then(
      () => true,
      () => false,
    ))
  ) {
    throw new Error(
      `the broker at ${process.env.KAFKA_BROKERS} is not running under deploy/kafka/kafka.sh; refusing to stop it`,
    );
  }
  await kafkaSh(['stop']);
}

/** Starts the shared local broker again (its topics and committed offsets are kept) and waits until it serves. */
export async function startBroker(): Promise<void> {
  assertLocal('start');
  await kafkaSh(['start']);
}

export interface PrivateBroker {
  readonly brokers: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * A broker of the spec's own (free ports, a fresh data dir), started and ready: a fault spec can stop
 * and start it without disturbing the specs that share the CI broker. About 10 s to start and a
 * 512 MiB heap: for the few specs that restart Kafka. Call destroy() in afterAll.
 */
export async function privateBroker(): Promise<PrivateBroker> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dataDir = join(tmpdir(), `salesledger-kafka-${randomBytes(4).toString('hex')}`);
  const env = { KAFKA_DATA_DIR: dataDir, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort) };
  const broker: PrivateBroker = {
    brokers: [`127.0.0.1:${port}`],
    start: () => kafkaSh(['start'], env),
    stop: () => kafkaSh(['stop'], env),
    destroy: async () => {
      await kafkaSh(['stop'], env);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  await broker.start();
  return broker;
}

/**
 * A prefix for a spec's topics and consumer groups (`${prefix}.events`), unique per call, so specs
 * running at the same time, or earlier runs whose topics the broker kept, never collide.
 */
export function uniqueTopicPrefix(label = 'spec'): string {
  return `test.${label.replace(/[^a-zA-Z0-9-]/g, '-')}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Deletes a spec's topics (by its prefix) so a broker kept across runs does not pile them up. */
export async function deleteTopicsWithPrefix(brokers: string[], prefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'salesledger-test-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

export interface TopicMessage {
  readonly partition: number;
  readonly key: string;
  readonly value: string | null;
  readonly headers: Record<string, string>;
}

/**
 * Every message of a topic from the beginning (as many as its offsets hold, duplicates included), as
 * a plain consumer (a BI team's) reads it, in a group of the caller's naming.
 */
export async function readTopic(brokers: string[], topic: string, groupId: string): Promise<TopicMessage[]> {
  const kafka = new Kafka({ clientId: 'salesledger-test-reader', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = ends.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
  const messages: TopicMessage[] = [];
  if (expected === 0) return messages;
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`read only ${messages.length} of ${expected} in ${topic}`)), 120_000);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        messages.push({
          partition,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? null,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
        if (messages.length >= expected) {
          clearTimeout(timer);
          done();
        }
      },
    });
  });
  await consumer.disconnect();
  return messages;
}

function assertLocal(action: string): void {
  if (!isLocalBroker()) {
    throw new Error(
      `refusing to ${action} the Kafka broker at KAFKA_BROKERS=${process.env.KAFKA_BROKERS ?? ''}: only the local ` +
        `one deploy/kafka/kafka.sh manages (127.0.0.1:9092) may be restarted by a spec`,
    );
  }
}

function kafkaSh(args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [KAFKA_SH, ...args],
      { env: { ...process.env, ...env }, timeout: SCRIPT_TIMEOUT_MS },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`kafka.sh ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve();
      },
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
