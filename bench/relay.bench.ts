/**
 * Relay benchmark: the event log to Kafka and back into the read model, on a real broker. Generates
 * an organisation's log (bench/sales-history.ts), appends it to a fresh database through our
 * PostgreSQL adapter, then measures in one process and one run:
 *   - relay throughput: `Relay.publishPending()` from an empty relay checkpoint until the checkpoint
 *     is at the head of the log (pages of 1000 to the events topic, idempotent producer, acks=all,
 *     sent through librdkafka as apps/relay sends them; and, for comparison, the same relay with
 *     kafkajs sending on a thread of its own, as before), events/s and MB/s, with where the time went
 *     (checkpoint SQL, the transport's send, the rest:
 *     reads a send did not hide and building the messages; the store read, which overlaps the sends,
 *     on its own line) from wrappers around the store, the pool and the transport;
 *   - three baselines with the same messages: KafkaTransport.publish and RdKafkaTransport.publish of
 *     the same pages built beforehand (kafkajs alone, librdkafka alone: no store), and the broker's
 *     own kafka-producer-perf-test
 *     (org.apache.kafka.tools.ProducerPerformance, `deploy/kafka/kafka.sh perf-test`) with as many
 *     records of the relay's average message size (key + value + headers), acks=all, idempotence on;
 *   - end-to-end latency: the read model is rebuilt from the log, the projector's consumer groups
 *     (apps/projector's consumeProjection for every projection, settlers included) start at
 *     the end of the events topic and the relay runs (Relay.start, with the scorecard feed, woken
 *     by the store's NOTIFY, as apps/relay); OrderPlaced events are appended at a steady rate, and
 *     each is timed from its append's completion until its order row is in
 *     read_model.order_versions (written in the same transaction as its scorecards). A plain
 *     kafkajs consumer on the topic times the Kafka leg.
 *
 *   npm run bench:relay
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL   postgres://... of a server to use (its user must be able to CREATE DATABASE);
 *                        by default a fresh embedded PostgreSQL is started in a temp dir and removed
 *   BENCH_KAFKA_BROKERS  host:port,... of the broker (default KAFKA_BROKERS, else 127.0.0.1:9092); it
 *                        must serve the perf tool too. Topics and groups are created under a unique
 *                        prefix (bench.relay.<id>.) and deleted at the end
 *   BENCH_EVENTS         events of the generated log                          (default 200000)
 *   BENCH_SEED           seed of the generated log                            (default 20260101)
 *   BENCH_LOAD_WRITERS   concurrent appends while loading the log             (default 8)
 *   BENCH_RATE           OrderPlaced appends per second in the live phase     (default 100)
 *   BENCH_LIVE_SECONDS   length of the live phase                             (default 20)
 *   BENCH_ROUNDS         rounds of the throughput contestants (relays, kafkajs and librdkafka alone, perf tool,
 *                        perf tool with large batches), taken in turn in an order that rotates
 *                        each round, so a burst of load from elsewhere does not land on one only
 *                        (default 3)
 *   BENCH_PROFILE        1: a V8 CPU profile of the relay pass, summarised by module and saved
 *                        next to the figures (slows the pass by a few per cent); the main thread
 *                        only, so the encoding on librdkafka's threads is not in it
 *
 * Prints one table and the ratios against the goals of the issue; exits 0 whether or not a goal is
 * met (a measurement, not a test). Raw figures also go to bench/results/ (git-ignored).
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Client, Pool } from 'pg';
import pino from 'pino';
import type { NewEvent, RecordedEventJson } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { withPgClient } from '@salesledger/postgres/client';
import { migrateOutbound, migrateReadModel } from '@salesledger/read-model/migrate';
import { openPool } from '@salesledger/postgres/pool';
import { listenForAppends } from '@salesledger/read-model/append-listener';
import { AppendWakeup } from '@salesledger/read-model/append-wakeup';
import type { Projection } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { rebuildReadModel } from '@salesledger/read-model/rebuild';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { loadRdKafka, RdKafkaTransport, relayTransport } from '@salesledger/transport/rdkafka.transport';
import { ThreadedKafkaTransport } from '@salesledger/transport/threaded-kafka.transport';
import { eventMessage, Relay } from '@salesledger/transport/relay';
import { ScorecardFeed } from '@salesledger/transport/scorecard-feed';
import { kafkaNames, topicSpecs, EVENT_PARTITIONS, type KafkaNames } from '@salesledger/transport/topics';
import {
  Transport,
  type ConsumeOptions,
  type Consumption,
  type OutgoingMessage,
  type TopicMessages,
  type TopicSpec,
} from '@salesledger/transport/transport.port';
import { consumeProjection } from '../apps/projector/src/projector';
import { projectorGroupId } from '@salesledger/platform/projection-lag';
import { fmt, intFromEnv, machineInfo, startServer, table, withDatabase } from './harness';
import { loadHistory, repIds, salesHistory, YEAR, type HistoryShape, type LoadResult } from './sales-history';
import { prng } from './workload';

const PAGE = 1000; // the relay's default page
const WATCH_MS = 5;
const WARMUP_EVENTS = 20;
const GOALS = { relayRate: 20_000, relayVsPerfTool: 0.5, endToEndP99Ms: 1000 };
/** The perf tool's "MB": 2^20 bytes. */
const MB = 2 ** 20;
const KAFKA_SH = resolve(__dirname, '..', '..', 'deploy', 'kafka', 'kafka.sh');

interface Config {
  readonly shape: HistoryShape;
  readonly brokers: string[];
  readonly loadWriters: number;
  readonly rate: number;
  readonly liveSeconds: number;
  readonly rounds: number;
  readonly profile: boolean;
}

function readConfig(): Config {
  const brokers = (process.env['BENCH_KAFKA_BROKERS'] || process.env['KAFKA_BROKERS'] || '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return {
    shape: {
      events: intFromEnv('BENCH_EVENTS', 200_000),
      seed: intFromEnv('BENCH_SEED', 20_260_101, 0),
      teams: 5,
      repsPerTeam: 20,
      customers: 5000,
    },
    brokers,
    loadWriters: intFromEnv('BENCH_LOAD_WRITERS', 8),
    rate: intFromEnv('BENCH_RATE', 100),
    liveSeconds: intFromEnv('BENCH_LIVE_SECONDS', 20),
    rounds: intFromEnv('BENCH_ROUNDS', 3),
    profile: process.env['BENCH_PROFILE'] === '1',
  };
}

// A progress line on a terminal only; piped output stays just the report.
const progress = (text: string) => {
  if (process.stdout.isTTY) process.stdout.write(`\r${text.padEnd(72)}\r`);
};

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Nearest-rank percentile of unsorted values. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

interface Latencies {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

const latencies = (values: readonly number[]): Latencies => ({
  count: values.length,
  p50: percentile(values, 50),
  p90: percentile(values, 90),
  p99: percentile(values, 99),
  max: values.length > 0 ? Math.max(...values) : NaN,
});

/** Bytes a message puts on the wire as record payload: key, value, header names and values. */
function messageBytes(message: OutgoingMessage): number {
  let bytes = Buffer.byteLength(message.key) + (message.value === null ? 0 : Buffer.byteLength(message.value));
  for (const [name, value] of Object.entries(message.headers ?? {}))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

// ---------------------------------------------------------------------------------------------------
// Baselines without Kafka: reading the log, building the messages

interface Prepared {
  readonly events: number;
  /** The same pages the relay publishes, built beforehand (for the kafkajs baseline). */
  readonly pages: OutgoingMessage[][];
  readonly readSeconds: number;
  readonly buildSeconds: number;
  readonly bytes: number;
  readonly keyBytes: number;
  readonly valueBytes: number;
  readonly headerBytes: number;
}

/** A catch-up read of the log in the relay's pages, then eventMessage over every page (timed apart). */
async function prepare(store: EventStore): Promise<Prepared> {
  const eventPages: RecordedEventJson[][] = [];
  let started = performance.now();
  for await (const page of store.pages(null, PAGE, 'json')) eventPages.push(page);
  const readSeconds = seconds(started);
  started = performance.now();
  const pages = eventPages.map((page) => page.map(eventMessage));
  const buildSeconds = seconds(started);
  let events = 0;
  let keyBytes = 0;
  let valueBytes = 0;
  let bytes = 0;
  for (const page of pages)
    for (const message of page) {
      events++;
      keyBytes += Buffer.byteLength(message.key);
      valueBytes += message.value === null ? 0 : Buffer.byteLength(message.value);
      bytes += messageBytes(message);
    }
  return {
    events,
    pages,
    readSeconds,
    buildSeconds,
    bytes,
    keyBytes,
    valueBytes,
    headerBytes: bytes - keyBytes - valueBytes,
  };
}

// ---------------------------------------------------------------------------------------------------
// The relay pass, instrumented

/** Sums the time spent in calls, by label. */
class Stopwatch {
  readonly ms: Record<string, number> = {};
  readonly calls: Record<string, number> = {};
  async time<T>(label: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.ms[label] = (this.ms[label] ?? 0) + performance.now() - started;
      this.calls[label] = (this.calls[label] ?? 0) + 1;
    }
  }
}

/** Times every publish of the transport it wraps. */
class TimedTransport extends Transport {
  constructor(
    private readonly inner: Transport,
    private readonly watch: Stopwatch,
  ) {
    super();
  }
  ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    return this.inner.ensureTopics(topics);
  }
  send(batches: readonly TopicMessages[]): Promise<void> {
    return this.watch.time('publish', () => this.inner.send(batches));
  }
  consume(options: ConsumeOptions): Promise<Consumption> {
    return this.inner.consume(options);
  }
  lag(groupId: string, topic: string): Promise<number> {
    return this.inner.lag(groupId, topic);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Wraps the store's readAllJson (the relay's read) and the pool's query (its checkpoint statements) with a stopwatch. */
function instrument(store: EventStore, pool: Pool, watch: Stopwatch): () => void {
  const readAllJson = store.readAllJson.bind(store);
  store.readAllJson = (from, limit) => watch.time('read', () => readAllJson(from, limit));
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) =>
    watch.time('checkpoint', () => query(...args));
  return () => {
    store.readAllJson = readAllJson;
    (pool as unknown as { query: unknown }).query = query;
  };
}

interface RelayResult {
  readonly events: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly mbPerSecond: number;
  readonly readMs: number;
  readonly checkpointMs: number;
  readonly publishMs: number;
  readonly publishCalls: number;
  readonly cpuUserSeconds: number;
  readonly cpuSystemSeconds: number;
  readonly checkpointAtHead: boolean;
  readonly eventsPublished: number;
  readonly topicMessages: number;
  readonly profile?: ProfileSummary;
}

interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  readonly byModule: Record<string, number>;
  readonly byStage: Record<string, number>;
  readonly topFunctions: { name: string; where: string; ms: number }[];
}

async function relayPass(
  store: EventStore,
  pool: Pool,
  transport: Transport,
  names: KafkaNames,
  prepared: Prepared,
  profileTo: string | undefined,
  admin: KafkaAdmin,
): Promise<RelayResult> {
  // Each round publishes the whole log again: from an empty relay checkpoint, as a first start does.
  await pool.query(`DELETE FROM outbound.relay_checkpoints WHERE name = 'events'`);
  const topicBefore = await admin.messages(names.events);
  const watch = new Stopwatch();
  const restore = instrument(store, pool, watch);
  const relay = new Relay(store, pool, new TimedTransport(transport, watch), names, { batchSize: PAGE });
  const profiler = profileTo ? await startProfile() : undefined;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let events: number;
  try {
    events = await relay.publishPending();
  } finally {
    restore();
  }
  const s = seconds(started);
  const used = process.cpuUsage(cpu);
  const profile = profiler && profileTo ? await profiler.stop(profileTo) : undefined;

  const head = await store.head();
  const { rows } = await pool.query(
    `SELECT position, events_published FROM outbound.relay_checkpoints WHERE name = 'events'`,
  );
  const topicMessages = (await admin.messages(names.events)) - topicBefore;
  return {
    events,
    seconds: s,
    perSecond: events / s,
    mbPerSecond: (prepared.bytes * (events / prepared.events)) / MB / s,
    readMs: watch.ms['read'] ?? 0,
    checkpointMs: watch.ms['checkpoint'] ?? 0,
    publishMs: watch.ms['publish'] ?? 0,
    publishCalls: watch.calls['publish'] ?? 0,
    cpuUserSeconds: used.user / 1e6,
    cpuSystemSeconds: used.system / 1e6,
    checkpointAtHead: Number(rows[0]?.position ?? -1) === head?.position,
    eventsPublished: Number(rows[0]?.events_published ?? 0),
    topicMessages,
    profile,
  };
}

/** A V8 CPU profile of this process, summarised by self time per module. */
async function startProfile(): Promise<{ stop(file: string): Promise<ProfileSummary> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolvePost, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolvePost(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      await writeFile(file, JSON.stringify(profile));
      return summariseProfile(profile, file);
    },
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * The relay's stage a sample belongs to: the nearest of its callers that is kafkajs, the message
 * builder or the PostgreSQL client (a Buffer copy made by kafkajs counts as kafkajs); GC and idle
 * stand alone, as the profiler reports them.
 */
function stageOf(chain: readonly { functionName: string; url: string }[]): string {
  const top = chain[0]?.functionName ?? '';
  if (top === '(garbage collector)') return 'GC';
  if (top === '(idle)') return 'idle (waiting on I/O)';
  if (top === '(program)') return 'V8/native (program)';
  for (const frame of chain) {
    if (frame.url.includes('node_modules/kafkajs/')) return 'kafkajs: encode, send, read the ack';
    if (['eventMessage', 'toIntegrationEvent', 'integrationEventHeaders'].includes(frame.functionName))
      return 'building messages (eventMessage)';
    if (/node_modules\/pg(-[a-z]+)?\//.test(frame.url) || frame.url.includes('/event-store/'))
      return 'PostgreSQL client: store read, checkpoint SQL';
  }
  return 'other';
}

function moduleOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle (waiting on I/O)';
  if (name === '(program)') return 'V8/native (program)';
  const nodeModule = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nodeModule) return nodeModule[1] as string;
  const ours = /dist\/(libs|apps|bench)\/([^/]+)/.exec(url);
  if (ours) return `@salesledger/${ours[2]}`;
  if (url.startsWith('node:') || (url === '' && name !== '')) return 'node core / builtins';
  return url === '' ? '(unknown)' : url;
}

function summariseProfile(profile: CpuProfile, file: string): ProfileSummary {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const chainOf = (id: number) => {
    const chain: { functionName: string; url: string }[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byNode.get(at)?.callFrame;
      if (frame) chain.push(frame);
    }
    return chain;
  };
  const byModule: Record<string, number> = {};
  const byStage: Record<string, number> = {};
  const byFunction = new Map<string, { name: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) continue;
    const module = moduleOf(frame.url, frame.functionName);
    byModule[module] = (byModule[module] ?? 0) + ms;
    const stage = stageOf(chainOf(id));
    byStage[stage] = (byStage[stage] ?? 0) + ms;
    const where = `${frame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName}@${where}`;
    const entry = byFunction.get(key) ?? { name: frame.functionName || '(anonymous)', where, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
  }
  const topFunctions = [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, 15);
  return { file, totalMs: (profile.endTime - profile.startTime) / 1000, byModule, byStage, topFunctions };
}

// ---------------------------------------------------------------------------------------------------
// Baselines with Kafka

interface Rate {
  readonly records: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly mbPerSecond: number;
}

/** KafkaTransport.publish of the relay's pages, built beforehand: kafkajs and the broker, no store. */
async function barePublish(transport: Transport, topic: string, prepared: Prepared): Promise<Rate> {
  const started = performance.now();
  for (const page of prepared.pages) await transport.publish(topic, page);
  const s = seconds(started);
  return {
    records: prepared.events,
    seconds: s,
    perSecond: prepared.events / s,
    mbPerSecond: prepared.bytes / MB / s,
  };
}

interface PerfToolResult extends Rate {
  readonly recordSize: number;
  readonly line: string;
  readonly avgLatencyMs: number;
  readonly command: string;
}

/** The broker's own producer benchmark, through deploy/kafka/kafka.sh perf-test. */
function perfTool(
  brokers: string[],
  topic: string,
  records: number,
  recordSize: number,
  extraProps: readonly string[] = [],
): Promise<PerfToolResult> {
  const args = [
    KAFKA_SH,
    'perf-test',
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--command-property',
    'acks=all',
    'enable.idempotence=true',
    `bootstrap.servers=${brokers.join(',')}`,
    ...extraProps,
  ];
  const command = `bash deploy/kafka/kafka.sh ${args.slice(1).join(' ')}`;
  return new Promise((resolveRun, reject) => {
    execFile('bash', args, { timeout: 600_000, maxBuffer: 16 * MB }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
      // The last line: "N records sent, R records/sec (M MB/sec), L ms avg latency, ..."
      const line = stdout.trim().split('\n').at(-1) ?? '';
      const match = /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency/.exec(
        line,
      );
      if (!match) return reject(new Error(`unexpected perf-test output:\n${stdout}\n${stderr}`));
      const sent = Number(match[1]);
      const perSecond = Number(match[2]);
      resolveRun({
        records: sent,
        seconds: sent / perSecond,
        perSecond,
        mbPerSecond: Number(match[3]),
        recordSize,
        line,
        avgLatencyMs: Number(match[4]),
        command,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Kafka administration of the bench's own topics and groups

interface KafkaAdmin {
  createTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Messages in the topic: the sum over partitions of high − low watermark. */
  messages(topic: string): Promise<number>;
  /** Commits the topic's current end offsets for the group, so a new member starts there. */
  startAtEnd(groupId: string, topic: string): Promise<void>;
  cleanUp(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

async function kafkaAdmin(brokers: string[]): Promise<KafkaAdmin> {
  const kafka = new Kafka({ clientId: 'salesledger-bench-admin', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  return {
    createTopics: async (topics) => {
      await admin.createTopics({
        waitForLeaders: true,
        topics: topics.map((t) => ({ topic: t.name, numPartitions: t.partitions })),
      });
    },
    messages: async (topic) =>
      (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0),
    startAtEnd: async (groupId, topic) => {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
      });
    },
    cleanUp: async (prefix) => {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (topics.length > 0) await admin.deleteTopics({ topics });
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
      return [...topics, ...groups];
    },
    close: () => admin.disconnect(),
  };
}

// ---------------------------------------------------------------------------------------------------
// End-to-end latency

interface LiveResult {
  readonly feedDrain: { scorecards: number; seconds: number };
  readonly rebuildSeconds: number;
  readonly warmupSeconds: number;
  readonly planned: number;
  readonly appended: number;
  readonly failed: number;
  readonly unseen: number;
  readonly seconds: number;
  readonly achievedRate: number;
  readonly append: Latencies;
  /** Append done → the order row is in the read model. */
  readonly endToEnd: Latencies;
  /** Append done → a plain consumer of the events topic received it (relay + broker + fetch). */
  readonly toConsumer: Latencies;
  readonly relayPublishes: { calls: number; meanMs: number; p99Ms: number; scorecardPublishes: number };
  readonly applyBatches: {
    count: number;
    /** Events handed to the scorecards handler, redeliveries included. */
    events: number;
    /** Of which applied (the rest were redeliveries, skipped by stream revision). */
    fresh: number;
    meanMs: number;
    p99Ms: number;
    applyMs: number;
    deriveMs: number;
  };
}

interface Pending {
  sentAt: number;
  appendedAt?: number;
  deliveredAt?: number;
  seenAt?: number;
}

/** The projection with its apply and derive timed; the rest (name, settle) as it is. */
function timedProjection(projection: Projection, watch: Stopwatch): Projection {
  return {
    ...projection,
    apply: (client, schema, events) => watch.time('apply', () => projection.apply(client, schema, events)),
    derive: (client, schema) => watch.time('derive', () => projection.derive(client, schema)),
  };
}

/** An OrderPlaced of a new order, dated in the last week of the history, for one of its reps. */
function liveOrder(
  id: string,
  reps: readonly string[],
  random: () => number,
  historyEnd: number,
  at: number,
): NewEvent {
  const rep = Math.floor(random() * reps.length);
  const quantity = 1 + Math.floor(random() * 10);
  const net = (quantity * 49).toFixed(2);
  const correlationId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'OrderPlaced',
    data: {
      id,
      repId: reps[rep] as string,
      customerId: `c${String(1 + rep + reps.length * Math.floor(random() * 50)).padStart(5, '0')}`,
      placedAt: new Date(historyEnd - random() * 7 * 86_400_000).toISOString(),
      lines: [{ sku: 'CRM-SEAT-PRO', category: 'software', quantity, unitPrice: '49.00', discount: 0, netAmount: net }],
      netAmount: net,
    },
    metadata: {
      actor: { userId: reps[rep] as string, role: 'rep' },
      correlationId,
      causationId: correlationId,
      recordedAt: new Date(at).toISOString(),
    },
  };
}

async function liveLatency(
  store: EventStore,
  readModel: Pool,
  url: string,
  config: Config,
  names: KafkaNames,
  admin: KafkaAdmin,
  lastRecordedAt: string,
  log: pino.Logger,
): Promise<LiveResult> {
  // The read model as a deployment has it: rebuilt from the log, so the projector groups start at the end of the topic.
  let started = performance.now();
  progress('rebuilding the read model for the live phase');
  await rebuildReadModel(store, readModel, url, { batchSize: 5000 });
  const rebuildSeconds = seconds(started);

  // Transport for the relay (producer) and one for the projector (consumers): separate processes in a deployment.
  const relaySender = relayTransport(config.brokers, 'salesledger-bench-relay', log);
  const projectorTransport = new KafkaTransport(config.brokers, 'salesledger-bench-projector', log);
  const relayWatch = new Stopwatch();
  const relayPublishMs: number[] = [];
  let scorecardPublishes = 0;
  const timedRelayTransport = new (class extends TimedTransport {
    override async send(batches: readonly TopicMessages[]): Promise<void> {
      const t = performance.now();
      await super.send(batches);
      if (batches.some(({ topic }) => topic === names.scorecards)) scorecardPublishes++;
      else relayPublishMs.push(performance.now() - t);
    }
  })(relaySender, relayWatch);
  const feed = new ScorecardFeed(readModel, timedRelayTransport, names.scorecards);

  // The rebuild marked every scorecard changed; the feed publishes that backlog once, before the live phase.
  started = performance.now();
  let drained = 0;
  for (let n = await feed.publishChanges(); n > 0; n = await feed.publishChanges()) drained += n;
  const feedDrain = { scorecards: drained, seconds: seconds(started) };
  scorecardPublishes = 0;

  const groups = PROJECTIONS.map((p) => projectorGroupId(names, p));
  const observerGroup = `${names.projectorGroup}.bench-observer`;
  for (const group of [...groups, observerGroup]) await admin.startAtEnd(group, names.events);

  const pending = new Map<string, Pending>();
  const applyMs: number[] = [];
  let appliedEvents = 0;
  let freshEvents = 0;
  const projectionWatch = new Stopwatch();
  // The projector's Kafka mode: one consumer group per projection, each with its settler.
  const consumptions: { stop(): Promise<void> }[] = [];
  for (const projection of PROJECTIONS) {
    const scorecards = projection.name === 'scorecards';
    consumptions.push(
      await consumeProjection(
        { transport: projectorTransport, names },
        readModel,
        scorecards ? timedProjection(projection, projectionWatch) : projection,
        log,
        (delivered, fresh, ms) => {
          if (!scorecards) return;
          applyMs.push(ms);
          appliedEvents += delivered;
          freshEvents += fresh;
        },
      ),
    );
  }

  // A plain consumer on the topic: when each event left Kafka for a consumer (no read-model work).
  const observerKafka = new Kafka({
    clientId: 'salesledger-bench-observer',
    brokers: config.brokers,
    logLevel: logLevel.NOTHING,
  });
  const observer = observerKafka.consumer({ groupId: observerGroup, allowAutoTopicCreation: false });
  const joined = new Promise<void>((resolveJoin) => observer.on(observer.events.GROUP_JOIN, () => resolveJoin()));
  await observer.connect();
  await observer.subscribe({ topics: [names.events], fromBeginning: true });
  await observer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      const p = pending.get(key.slice('order-'.length));
      if (p && p.deliveredAt === undefined) p.deliveredAt = performance.now();
    },
  });
  await joined;

  // As in apps/relay: woken by the store's NOTIFY after each append, polling only as the fallback.
  const wakeup = new AppendWakeup();
  const notifications = listenForAppends(url, wakeup, log);
  await notifications.listening;
  const relay = new Relay(store, readModel, timedRelayTransport, names, { log, wakeup }, feed);
  relay.start();

  // Polls the read model for the orders awaiting it, on a connection of its own.
  const watcher = new Client({ connectionString: url });
  await watcher.connect();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const awaiting = [...pending].filter(([, p]) => p.seenAt === undefined).map(([id]) => id);
      if (awaiting.length > 0) {
        const { rows } = await watcher.query<{ order_id: string }>(
          `SELECT DISTINCT order_id FROM read_model.order_versions WHERE order_id = ANY($1)`,
          [awaiting],
        );
        const now = performance.now();
        for (const row of rows) {
          const p = pending.get(row.order_id);
          if (p && p.seenAt === undefined) p.seenAt = now;
        }
      }
      await sleep(WATCH_MS);
    }
  })();

  const reps = repIds(config.shape);
  const random = prng(config.shape.seed + 1);
  const historyEnd = Date.parse(lastRecordedAt);
  const clockStart = performance.now();
  let failed = 0;
  const append = (id: string) => {
    const p: Pending = { sentAt: performance.now() };
    pending.set(id, p);
    const event = liveOrder(id, reps, random, historyEnd, historyEnd + (p.sentAt - clockStart));
    return store.append(`order-${id}`, [event], 'no-stream').then(
      () => {
        p.appendedAt = performance.now();
      },
      () => {
        failed++;
        pending.delete(id);
      },
    );
  };
  const settled = async (ids: readonly string[], timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    while (ids.some((id) => pending.get(id)?.seenAt === undefined) && performance.now() < deadline) await sleep(20);
  };

  // Warm-up: the groups have joined and the whole path has run once before anything is measured.
  started = performance.now();
  const warmIds = Array.from({ length: WARMUP_EVENTS }, (_, i) => `ow${String(i + 1).padStart(6, '0')}`);
  for (const id of warmIds) {
    await append(id);
    await sleep(1000 / config.rate);
  }
  await settled(warmIds, 120_000);
  const warmupSeconds = seconds(started);
  for (const id of warmIds) pending.delete(id);
  applyMs.length = 0;
  appliedEvents = 0;
  freshEvents = 0;
  for (const label of Object.keys(projectionWatch.ms)) projectionWatch.ms[label] = 0;
  relayPublishMs.length = 0;
  scorecardPublishes = 0;

  const planned = config.rate * config.liveSeconds;
  const interval = 1000 / config.rate;
  const ids: string[] = [];
  const appends: Promise<void>[] = [];
  started = performance.now();
  for (let i = 0; i < planned; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    const id = `ol${String(i + 1).padStart(7, '0')}`;
    ids.push(id);
    appends.push(append(id));
    if (i % config.rate === 0) progress(`live: ${i} of ${planned} appends`);
  }
  await Promise.all(appends);
  const lastAppend = Math.max(...[...pending.values()].map((p) => p.appendedAt ?? 0));
  const elapsed = (lastAppend - started) / 1000;
  await settled(ids, 60_000);
  watching = false;
  await watch;
  await relay.stop();
  await notifications.stop();
  await Promise.all(consumptions.map((c) => c.stop()));
  await observer.disconnect();
  await watcher.end();
  await relaySender.close();
  await projectorTransport.close();

  const measured = ids.flatMap((id) => {
    const p = pending.get(id);
    return p?.appendedAt === undefined ? [] : [p as Required<Pick<Pending, 'appendedAt' | 'sentAt'>> & Pending];
  });
  const seen = measured.filter((p) => p.seenAt !== undefined);
  const delivered = measured.filter((p) => p.deliveredAt !== undefined);
  return {
    feedDrain,
    rebuildSeconds,
    warmupSeconds,
    planned,
    appended: measured.length,
    failed,
    unseen: measured.length - seen.length,
    seconds: elapsed,
    achievedRate: measured.length / elapsed,
    append: latencies(measured.map((p) => p.appendedAt - p.sentAt)),
    endToEnd: latencies(seen.map((p) => Math.max(0, (p.seenAt as number) - p.appendedAt))),
    toConsumer: latencies(delivered.map((p) => Math.max(0, (p.deliveredAt as number) - p.appendedAt))),
    relayPublishes: {
      calls: relayPublishMs.length,
      meanMs: relayPublishMs.reduce((a, b) => a + b, 0) / relayPublishMs.length,
      p99Ms: percentile(relayPublishMs, 99),
      scorecardPublishes,
    },
    applyBatches: {
      count: applyMs.length,
      events: appliedEvents,
      fresh: freshEvents,
      meanMs: applyMs.reduce((a, b) => a + b, 0) / applyMs.length,
      p99Ms: percentile(applyMs, 99),
      applyMs: projectionWatch.ms['apply'] ?? 0,
      deriveMs: projectionWatch.ms['derive'] ?? 0,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Report

interface Round {
  readonly order: string[];
  readonly relay: RelayResult;
  readonly relayThreaded: RelayResult;
  readonly bare: Rate;
  readonly rdkafka: Rate;
  readonly perf: PerfToolResult;
  readonly perfLargeBatches: PerfToolResult;
}

/** Rounds added up: total records over total time. */
function totalRate<T extends Rate>(rates: readonly T[]): Rate & { range: string } {
  const records = rates.reduce((a, r) => a + r.records, 0);
  const s = rates.reduce((a, r) => a + r.seconds, 0);
  const mb = rates.reduce((a, r) => a + r.mbPerSecond * r.seconds, 0);
  const per = rates.map((r) => r.perSecond);
  return {
    records,
    seconds: s,
    perSecond: records / s,
    mbPerSecond: mb / s,
    range: `${fmt(Math.min(...per))}–${fmt(Math.max(...per))}`,
  };
}

function totalRelay(rounds: readonly RelayResult[]): RelayResult {
  const sum = (f: (r: RelayResult) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const events = sum((r) => r.events);
  const s = sum((r) => r.seconds);
  return {
    events,
    seconds: s,
    perSecond: events / s,
    mbPerSecond: sum((r) => r.mbPerSecond * r.seconds) / s,
    readMs: sum((r) => r.readMs),
    checkpointMs: sum((r) => r.checkpointMs),
    publishMs: sum((r) => r.publishMs),
    publishCalls: sum((r) => r.publishCalls),
    cpuUserSeconds: sum((r) => r.cpuUserSeconds),
    cpuSystemSeconds: sum((r) => r.cpuSystemSeconds),
    checkpointAtHead: rounds.every((r) => r.checkpointAtHead),
    eventsPublished: sum((r) => r.eventsPublished),
    topicMessages: sum((r) => r.topicMessages),
    profile: rounds.find((r) => r.profile)?.profile,
  };
}

interface Results {
  readonly load: LoadResult;
  readonly prepared: Omit<Prepared, 'pages'>;
  readonly rounds: Round[];
  readonly relay: RelayResult;
  readonly relayThreaded: RelayResult;
  readonly bare: Rate;
  readonly rdkafka: Rate;
  readonly perf: Rate;
  readonly perfLargeBatches: Rate;
  readonly live: LiveResult;
  /** Warnings and errors the product logged during the run, by message. */
  readonly logged: Record<string, number>;
}

function report(r: Results, config: Config): string {
  const ms = (n: number) => `${fmt(n, 1)} ms`;
  const p = r.prepared;
  const avg = p.bytes / p.events;
  const relayMs = r.relay.seconds * 1000;
  const share = (part: number) => `${fmt(part / 1000, 2)} s (${fmt((100 * part) / relayMs)} %)`;
  // The next page is read while the current one is sent, so reads overlap sends: what is left after
  // the sends and the checkpoint updates is the reads a send did not hide, building messages, the loop.
  const other = relayMs - r.relay.checkpointMs - r.relay.publishMs;
  const rows: string[][] = [
    [
      'load (not measured)',
      `${fmt(r.load.events)} events in ${fmt(r.load.appends)} appends, ${config.loadWriters} at a time`,
      `${fmt(r.load.seconds, 1)} s`,
      `${fmt(r.load.events / r.load.seconds)} events/s`,
      '',
    ],
    [
      'store read alone',
      `readAllJson (as the relay reads), pages of ${PAGE}, whole log (sealed beforehand)`,
      `${fmt(p.readSeconds, 2)} s`,
      `${fmt(p.events / p.readSeconds)} events/s`,
      '',
    ],
    [
      'messages built alone',
      `eventMessage (integration event, JSON, headers) of every event`,
      `${fmt(p.buildSeconds, 2)} s`,
      `${fmt(p.events / p.buildSeconds)} events/s`,
      '',
    ],
    [
      'relay',
      `Relay.publishPending, ${fmt(r.relay.events)} events, pages of ${PAGE}, ${EVENT_PARTITIONS} partitions`,
      `${fmt(r.relay.seconds, 2)} s`,
      `${fmt(r.relay.perSecond)} events/s`,
      `${fmt(r.relay.mbPerSecond, 2)} MB/s`,
    ],
    [
      '  store read',
      `${fmt(r.relay.events / PAGE)} pages, each read while the page before is sent (overlaps the sends)`,
      share(r.relay.readMs),
      '',
      '',
    ],
    [
      '  of which checkpoint SQL',
      'UPDATE after each acknowledged page (read once, when leading)',
      share(r.relay.checkpointMs),
      '',
      '',
    ],
    [
      '  of which publish',
      `the relay's send (as apps/relay: librdkafka), ${fmt(r.relay.publishCalls)} sends, mean ${ms(r.relay.publishMs / r.relay.publishCalls)}`,
      share(r.relay.publishMs),
      '',
      '',
    ],
    ['  the rest', 'reads not hidden by a send, building messages, the loop', share(other), '', ''],
    [
      '  Node CPU',
      `user ${fmt(r.relay.cpuUserSeconds, 2)} s + system ${fmt(r.relay.cpuSystemSeconds, 2)} s of ${fmt(r.relay.seconds, 2)} s`,
      '',
      `${fmt((100 * (r.relay.cpuUserSeconds + r.relay.cpuSystemSeconds)) / r.relay.seconds)} % of a core`,
      '',
    ],
    [
      '  relay, kafkajs on a thread',
      `the same with ThreadedKafkaTransport, as before librdkafka (info)`,
      `${fmt(r.relayThreaded.seconds, 2)} s`,
      `${fmt(r.relayThreaded.perSecond)} events/s`,
      `${fmt(r.relayThreaded.mbPerSecond, 2)} MB/s`,
    ],
    [
      'kafkajs alone',
      `KafkaTransport.publish of the same pages, built beforehand`,
      `${fmt(r.bare.seconds, 2)} s`,
      `${fmt(r.bare.perSecond)} events/s`,
      `${fmt(r.bare.mbPerSecond, 2)} MB/s`,
    ],
    [
      'librdkafka alone',
      `RdKafkaTransport.publish of the same pages, built beforehand`,
      `${fmt(r.rdkafka.seconds, 2)} s`,
      `${fmt(r.rdkafka.perSecond)} events/s`,
      `${fmt(r.rdkafka.mbPerSecond, 2)} MB/s`,
    ],
    [
      'perf tool',
      `kafka-producer-perf-test, ${fmt(r.perf.records)} × ${fmt(avg)} B, acks=all, idempotent`,
      `${fmt(r.perf.seconds, 2)} s`,
      `${fmt(r.perf.perSecond)} records/s`,
      `${fmt(r.perf.mbPerSecond, 2)} MB/s`,
    ],
    [
      '  perf tool, large batches',
      `the same with batch.size=131072 linger.ms=20 (info)`,
      `${fmt(r.perfLargeBatches.seconds, 2)} s`,
      `${fmt(r.perfLargeBatches.perSecond)} records/s`,
      `${fmt(r.perfLargeBatches.mbPerSecond, 2)} MB/s`,
    ],
    [
      'rebuild (not measured)',
      `read model for the live phase; scorecard feed backlog ${fmt(r.live.feedDrain.scorecards)} in ${fmt(r.live.feedDrain.seconds, 1)} s`,
      `${fmt(r.live.rebuildSeconds, 1)} s`,
      '',
      '',
    ],
    [
      'live appends',
      `${fmt(r.live.appended)} of ${fmt(r.live.planned)} at ${config.rate}/s planned; append p50 ${ms(r.live.append.p50)}, p99 ${ms(r.live.append.p99)}`,
      `${fmt(r.live.seconds, 1)} s`,
      `${fmt(r.live.achievedRate, 1)} appends/s`,
      '',
    ],
    [
      'append → topic consumer',
      `relay poll + read + publish + fetch; p50 ${ms(r.live.toConsumer.p50)}, p90 ${ms(r.live.toConsumer.p90)}, max ${ms(r.live.toConsumer.max)}`,
      '',
      `p99 ${ms(r.live.toConsumer.p99)}`,
      '',
    ],
    [
      'append → read model',
      `order row projected; p50 ${ms(r.live.endToEnd.p50)}, p90 ${ms(r.live.endToEnd.p90)}, max ${ms(r.live.endToEnd.max)}`,
      '',
      `p99 ${ms(r.live.endToEnd.p99)}`,
      '',
    ],
    [
      '  relay sends (live)',
      `${fmt(r.live.relayPublishes.calls)} event pages, mean ${ms(r.live.relayPublishes.meanMs)}, p99 ${ms(r.live.relayPublishes.p99Ms)}; ${fmt(r.live.relayPublishes.scorecardPublishes)} scorecard-feed sends`,
      '',
      '',
      '',
    ],
    [
      '  scorecards batches (live)',
      `${fmt(r.live.applyBatches.count)} applyDelivered, ${fmt(r.live.applyBatches.events / r.live.applyBatches.count, 1)} events each (${fmt(r.live.applyBatches.fresh)} new of ${fmt(r.live.applyBatches.events)} delivered), mean ${ms(r.live.applyBatches.meanMs)}, p99 ${ms(r.live.applyBatches.p99Ms)}`,
      '',
      '',
      '',
    ],
    [
      '    of which apply / derive',
      `apply ${fmt(r.live.applyBatches.applyMs / 1000, 2)} s, derive ${fmt(r.live.applyBatches.deriveMs / 1000, 2)} s, in ${fmt(r.live.seconds, 1)} s of live phase`,
      '',
      `${fmt((r.live.applyBatches.applyMs + r.live.applyBatches.deriveMs) / 1000 / r.live.seconds, 2)} s/s busy`,
      '',
    ],
  ];
  const range = (values: number[], digits = 0, unit = '') =>
    `${fmt(Math.min(...values), digits)}${unit}–${fmt(Math.max(...values), digits)}${unit}`;
  const perRound: Record<string, string> = {
    relay: range(r.rounds.map((x) => x.relay.perSecond)),
    '  relay, kafkajs on a thread': range(r.rounds.map((x) => x.relayThreaded.perSecond)),
    'kafkajs alone': range(r.rounds.map((x) => x.bare.perSecond)),
    'librdkafka alone': range(r.rounds.map((x) => x.rdkafka.perSecond)),
    'perf tool': range(r.rounds.map((x) => x.perf.perSecond)),
    '  perf tool, large batches': range(r.rounds.map((x) => x.perfLargeBatches.perSecond)),
  };
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const ratio = r.relay.perSecond / r.perf.perSecond;
  const roundRatios = range(
    r.rounds.map((x) => x.relay.perSecond / x.perf.perSecond),
    2,
    '×',
  );
  const goals: string[][] = [
    [
      'relay events/s',
      fmt(r.relay.perSecond),
      `≥ ${fmt(GOALS.relayRate)}`,
      verdict(r.relay.perSecond >= GOALS.relayRate),
    ],
    [
      'relay ÷ perf tool (same record size)',
      `${ratio.toFixed(2)}×`,
      `≥ ${GOALS.relayVsPerfTool}×`,
      verdict(ratio >= GOALS.relayVsPerfTool),
    ],
    ['  the same, round by round', roundRatios, '', 'info'],
    [
      `end-to-end p99 at ${fmt(r.live.achievedRate)} appends/s`,
      ms(r.live.endToEnd.p99),
      `< ${fmt(GOALS.endToEndP99Ms)} ms`,
      verdict(r.live.endToEnd.p99 < GOALS.endToEndP99Ms && r.live.unseen === 0 && r.live.failed === 0),
    ],
    ['relay ÷ kafkajs alone', `${(r.relay.perSecond / r.bare.perSecond).toFixed(2)}×`, '', 'info'],
    ['relay ÷ librdkafka alone', `${(r.relay.perSecond / r.rdkafka.perSecond).toFixed(2)}×`, '', 'info'],
    [
      'relay ÷ relay with kafkajs on a thread',
      `${(r.relay.perSecond / r.relayThreaded.perSecond).toFixed(2)}×`,
      '',
      'info',
    ],
    ['kafkajs alone ÷ perf tool', `${(r.bare.perSecond / r.perf.perSecond).toFixed(2)}×`, '', 'info'],
    ['librdkafka alone ÷ perf tool', `${(r.rdkafka.perSecond / r.perf.perSecond).toFixed(2)}×`, '', 'info'],
    [
      'relay ÷ perf tool, large batches',
      `${(r.relay.perSecond / r.perfLargeBatches.perSecond).toFixed(2)}×`,
      '',
      'info',
    ],
  ];
  const warnings = [
    ...(r.relay.events !== r.load.events * r.rounds.length
      ? [`! the relay published ${fmt(r.relay.events)} events in ${r.rounds.length} rounds of ${fmt(r.load.events)}`]
      : []),
    ...(!r.relay.checkpointAtHead ? ['! the relay checkpoint is not at the head of the log'] : []),
    ...(r.relay.topicMessages !== r.relay.events
      ? [
          `! the events topic grew by ${fmt(r.relay.topicMessages)} messages for ${fmt(r.relay.events)} events published`,
        ]
      : []),
    ...(r.perf.records !== p.events * r.rounds.length ? [`! the perf tool sent ${fmt(r.perf.records)} records`] : []),
    ...(r.live.failed > 0 ? [`! ${r.live.failed} live appends failed`] : []),
    ...(r.live.applyBatches.events > r.live.applyBatches.fresh
      ? [
          `! the scorecards group was handed ${fmt(r.live.applyBatches.events)} events for ${fmt(r.live.applyBatches.fresh)} new ones: ` +
            `${fmt(r.live.applyBatches.events - r.live.applyBatches.fresh)} redeliveries, skipped by stream revision`,
        ]
      : []),
    ...Object.entries(r.logged).map(([message, n]) => `! logged ${n}×: ${message}`),
    ...(r.live.unseen > 0
      ? [`! ${r.live.unseen} live orders not projected 60 s after the last append (left out)`]
      : []),
    ...(r.live.achievedRate < config.rate * 0.95
      ? [`! the live phase reached ${fmt(r.live.achievedRate, 1)} appends/s of the ${config.rate} asked`]
      : []),
  ];
  const profile = r.relay.profile
    ? [
        '',
        `CPU profile of the first relay round (${fmt(r.relay.profile.totalMs / 1000, 2)} s profiled), by stage of the relay:`,
        table(
          ['stage', 'ms', '%'],
          Object.entries(r.relay.profile.byStage)
            .sort((a, b) => b[1] - a[1])
            .map(([m, t]) => [m, fmt(t), fmt((100 * t) / (r.relay.profile as ProfileSummary).totalMs, 1)]),
          1,
        ),
        '',
        'by module (self time):',
        table(
          ['module', 'ms', '%'],
          Object.entries(r.relay.profile.byModule)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 12)
            .map(([m, t]) => [m, fmt(t), fmt((100 * t) / (r.relay.profile as ProfileSummary).totalMs, 1)]),
          1,
        ),
        '',
        'top functions (self time):',
        table(
          ['function', 'where', 'ms'],
          r.relay.profile.topFunctions.map((f) => [f.name, f.where, fmt(f.ms)]),
          2,
        ),
        `profile saved to ${r.relay.profile.file}`,
      ]
    : [];
  return [
    `Throughput rows add up ${r.rounds.length} rounds (total records over total time); the last column is the fastest and slowest round.`,
    '',
    table(
      ['step', 'what', 'time', 'figure', 'MB/s', 'per round'],
      rows.map((row) => [...row, perRound[row[0] as string] ?? '']),
      2,
    ),
    ...(warnings.length > 0 ? ['', ...warnings] : []),
    '',
    `message size (what the perf tool is given): ${fmt(avg, 1)} B on average = key ${fmt(p.keyBytes / p.events, 1)} + ` +
      `value ${fmt(p.valueBytes / p.events, 1)} + headers ${fmt(p.headerBytes / p.events, 1)}; MB = 2^20 bytes, as the perf tool counts`,
    ...profile,
    '',
    table(['goal', 'measured', 'goal', ''], goals, 1),
    '',
    'One process: the relay, the projector groups (consumeProjection, as the projector runs them) and the appender; the',
    'broker and PostgreSQL on the same machine. Latency is from each append completing to its order row',
    'being visible (polled every 5 ms on its own connection).',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const config = readConfig();
  // The product's warnings and errors, counted by message for the report; errors also go to stderr.
  const logged: Record<string, number> = {};
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        const entry = JSON.parse(chunk.toString()) as { level: number; msg: string; err?: { message?: string } };
        const key = `${entry.msg}${entry.err?.message && entry.err.message !== entry.msg ? ` (${entry.err.message})` : ''}`;
        logged[key] = (logged[key] ?? 0) + 1;
        if (entry.level >= 50) process.stderr.write(chunk);
      } catch {
        process.stderr.write(chunk);
      }
      done();
    },
  });
  const log = pino({ level: 'warn' }, sink);
  const server = await startServer();
  const prefix = `bench.relay.${Date.now().toString(36)}${randomBytes(3).toString('hex')}.`;
  const names = kafkaNames(prefix);
  const perfTopic = `${prefix}perf-test`;
  const bareTopic = `${prefix}kafkajs-alone`;
  let admin: KafkaAdmin | undefined;
  const cleanUp = async () => {
    if (!admin) return;
    const removed = await admin.cleanUp(prefix).catch((error: unknown) => {
      console.error(`! could not delete the bench's topics (${prefix}*): ${String(error)}`);
      return [];
    });
    await admin.close().catch(() => undefined);
    admin = undefined;
    if (removed.length > 0) console.log(`deleted ${removed.length} Kafka topics and groups named ${prefix}*`);
  };
  const stopOnSignal = () => {
    void cleanUp()
      .finally(() => server.stop())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const database = `bench_relay_${randomBytes(4).toString('hex')}`;
  const adminUrl = withDatabase(server.adminUrl, 'postgres');
  let created = false;
  try {
    const machine = await machineInfo(adminUrl, server);
    const kafka = await kafkaAdmin(config.brokers);
    admin = kafka;
    console.log('Relay benchmark');
    console.log(`machine   ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}`);
    console.log(`node      ${machine.node}`);
    console.log(`postgres  ${machine.postgres}; ${machine.settings}`);
    console.log(`kafka     ${config.brokers.join(',')}; topics ${prefix}* (${EVENT_PARTITIONS} partitions each)`);
    console.log(
      `workload  ${fmt(config.shape.events)} events over ${YEAR} (${config.shape.teams * config.shape.repsPerTeam} reps, ` +
        `${fmt(config.shape.customers)} customers); live ${config.rate}/s for ${config.liveSeconds} s`,
    );
    console.log('');

    await kafka.createTopics([
      ...topicSpecs(names),
      { name: perfTopic, partitions: EVENT_PARTITIONS },
      { name: bareTopic, partitions: EVENT_PARTITIONS },
    ]);
    await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
    created = true;
    const url = withDatabase(server.adminUrl, database);
    await migrateEventStore(url);
    await migrateReadModel(url);
    await migrateOutbound(url);
    // The pools a deployment opens (see libs/platform/src/runtime.ts).
    const store = new PostgresEventStore(new Pool({ connectionString: url, max: 20 }));
    const readModel = openPool(url, (error) => console.error(`read-model connection lost: ${error.message}`));
    const transport = new KafkaTransport(config.brokers, 'salesledger-bench', log);
    // As apps/relay sends: through librdkafka where it loaded, else kafkajs on a thread of its own.
    const relaySender = relayTransport(config.brokers, 'salesledger-bench-relay', log);
    const threaded = new ThreadedKafkaTransport(config.brokers, 'salesledger-bench-threaded', log);
    const rdkafka = loadRdKafka();
    if (rdkafka instanceof Error)
      throw new Error(`node-rdkafka did not load, so the relay's sender cannot be measured: ${rdkafka.message}`);
    const rdkafkaAlone = new RdKafkaTransport(rdkafka, config.brokers, 'salesledger-bench-rdkafka', log);
    const resultsDir = resolve(__dirname, '..', '..', 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    try {
      const load = await loadHistory(store, salesHistory(config.shape), config.loadWriters);
      progress('vacuum analyze');
      await withPgClient(url, (client) => client.query('VACUUM (ANALYZE) event_store.events'));
      // Appends leave their events for the log's first reader to seal: sealed here, so "store read alone"
      // times a read, as the relay's passes over the log are.
      progress('sealing the log');
      await store.seal(null);
      progress('reading the log and building its messages');
      const prepared = await prepare(store);
      // A connected producer, as a running relay has.
      await transport.publish(bareTopic, [{ key: 'warm-up', value: '{}' }]);
      for (const sender of [relaySender, threaded, rdkafkaAlone])
        await sender.publish(bareTopic, [{ key: 'warm-up', value: '{}' }]);
      const recordSize = Math.round(prepared.bytes / prepared.events);
      const contestants = {
        relay: (round: number) =>
          relayPass(
            store,
            readModel,
            relaySender,
            names,
            prepared,
            config.profile && round === 0 ? join(resultsDir, `relay-${stamp}.cpuprofile`) : undefined,
            kafka,
          ),
        relayThreaded: () => relayPass(store, readModel, threaded, names, prepared, undefined, kafka),
        kafkajs: () => barePublish(transport, bareTopic, prepared),
        rdkafka: () => barePublish(rdkafkaAlone, bareTopic, prepared),
        perf: () => perfTool(config.brokers, perfTopic, prepared.events, recordSize),
        perfLarge: () =>
          perfTool(config.brokers, perfTopic, prepared.events, recordSize, ['batch.size=131072', 'linger.ms=20']),
      };
      const keys = Object.keys(contestants) as (keyof typeof contestants)[];
      const rounds: Round[] = [];
      for (let round = 0; round < config.rounds; round++) {
        const order = keys.map((_, i) => keys[(i + round) % keys.length] as keyof typeof contestants);
        const got: Partial<Record<keyof typeof contestants, unknown>> = {};
        for (const key of order) {
          progress(`round ${round + 1} of ${config.rounds}: ${key}`);
          got[key] = await contestants[key](round);
        }
        rounds.push({
          order,
          relay: got.relay as RelayResult,
          relayThreaded: got.relayThreaded as RelayResult,
          bare: got.kafkajs as Rate,
          rdkafka: got.rdkafka as Rate,
          perf: got.perf as PerfToolResult,
          perfLargeBatches: got.perfLarge as PerfToolResult,
        });
      }
      await transport.close();
      for (const sender of [relaySender, threaded, rdkafkaAlone]) await sender.close();
      const relay = totalRelay(rounds.map((r) => r.relay));
      const relayThreaded = totalRelay(rounds.map((r) => r.relayThreaded));
      const bare = totalRate(rounds.map((r) => r.bare));
      const rdkafkaRate = totalRate(rounds.map((r) => r.rdkafka));
      const perf = totalRate(rounds.map((r) => r.perf));
      const perfLargeBatches = totalRate(rounds.map((r) => r.perfLargeBatches));
      const live = await liveLatency(store, readModel, url, config, names, kafka, load.lastRecordedAt, log);
      progress('');
      const { pages: _pages, ...preparedFigures } = prepared;
      const results: Results = {
        load,
        prepared: preparedFigures,
        rounds,
        relay,
        relayThreaded,
        bare,
        rdkafka: rdkafkaRate,
        perf,
        perfLargeBatches,
        live,
        logged,
      };
      const loadAfter = loadavg()
        .map((n) => n.toFixed(2))
        .join(' ');
      console.log(report(results, config));
      for (const [i, round] of rounds.entries())
        console.log(
          `\nround ${i + 1} (${round.order.join(', ')}): ${[round.perf, round.perfLargeBatches]
            .map((p) => `\n  ${p.command}\n    ${p.line}`)
            .join('')}`,
        );
      console.log(`\nload average at start ${machine.load}, at end ${loadAfter}`);
      const file = join(resultsDir, `relay-${stamp}.json`);
      await writeFile(file, `${JSON.stringify({ machine, config, goals: GOALS, results }, null, 2)}\n`);
      console.log(`\nfigures saved to ${file}`);
    } finally {
      await transport.close().catch(() => undefined);
      for (const sender of [relaySender, threaded, rdkafkaAlone]) await sender.close().catch(() => undefined);
      await store.close();
      await readModel.end();
    }
  } finally {
    await cleanUp();
    if (created)
      await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
