import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import {
  Transport,
  type ConsumeOptions,
  type Consumption,
  type IncomingMessage,
  type TopicMessages,
  type TopicSpec,
} from './transport.port';

/** kafkajs reports every retried connection failure as an error; what it gives up on reaches us as a throw. */
const PINO_LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'warn',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** The broker's answers to a member it no longer counts in the group (dropped, or the group rebalancing). */
const MEMBERSHIP_LOST = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS']);

/**
 * kafkajs rejoins the group when a batch fails with one of those answers, but its commit retrier
 * wraps them in a non-retriable error first, and that stops the consumer for good. Unwrapped, a
 * refused commit makes the member rejoin; the batch, not committed, comes again.
 */
function membershipLost(error: unknown): unknown {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause)
    if (MEMBERSHIP_LOST.has((cause as { type?: string }).type ?? '')) return cause;
  return undefined;
}

/** How often a batch being handled beats; kafkajs sends a beat only once its heartbeat interval (3 s) has passed. */
const HEARTBEAT_WHILE_HANDLING_MS = 1000;
/** How long a batch may keep its partitions: one that hangs (a dead connection) lets another member take them. */
const MAX_BEATING_MS = 5 * 60_000;

export interface KafkaTuning {
  /** How long a group member may go without a heartbeat before the broker drops it. */
  readonly sessionTimeoutMs?: number;
}

export type TopicAdmin = Pick<Admin, 'listTopics' | 'createTopics' | 'fetchTopicMetadata' | 'fetchTopicOffsets'>;

/** What a broker may answer about a topic created a moment ago, until its partitions are served. */
const NOT_SERVED_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/**
 * Creates the topics not there yet, then waits until every partition of them all has a leader that
 * answers for it (another process may have created them a moment ago). Not kafkajs's own wait
 * (`waitForLeaders`): it retries only LEADER_NOT_AVAILABLE, while a KRaft broker may answer
 * UNKNOWN_TOPIC_OR_PARTITION for a moment after creating a topic, and kafkajs then fails a creation
 * that succeeded (kafkajs#815): a process starting against a new cluster would exit. And metadata
 * may name a leader before it serves the partition: the first offsets asked of it then failed with
 * NOT_LEADER_FOR_PARTITION, so the wait asks for them too.
 */
export async function createMissingTopics(
  admin: TopicAdmin,
  topics: readonly TopicSpec[],
  { timeoutMs = 30_000, everyMs = 100 } = {},
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic.name));
  if (missing.length > 0)
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        configEntries: [
          ...(topic.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
          ...(topic.keepForever
            ? [
                { name: 'retention.ms', value: '-1' },
                { name: 'retention.bytes', value: '-1' },
              ]
            : []),
        ],
      })),
    });
  const served = async () => {
    try {
      const { topics: known } = await admin.fetchTopicMetadata({ topics: topics.map((topic) => topic.name) });
      const led = topics.every((topic) => {
        const partitions = known.find((each) => each.name === topic.name)?.partitions ?? [];
        // A topic there before keeps the partitions it was given, whatever their number.
        const all = missing.includes(topic) ? partitions.length === topic.partitions : partitions.length > 0;
        return all && partitions.every((partition) => partition.leader >= 0);
      });
      if (led) for (const topic of topics) await admin.fetchTopicOffsets(topic.name);
      return led;
    } catch (error) {
      // kafkajs retries some answers itself, and wraps the last one when it gives up.
      const answer = error as { type?: string; cause?: { type?: string } };
      if (NOT_SERVED_YET.has(answer.type ?? answer.cause?.type ?? '')) return false;
      throw error;
    }
  };
  for (const deadline = Date.now() + timeoutMs; !(await served()); await sleep(everyMs))
    if (Date.now() >= deadline)
      throw new Error(
        `not every partition of ${topics.map((topic) => topic.name).join(', ')} had a leader ${timeoutMs / 1000} s after they were created`,
      );
}

/** Kafka through kafkajs: an idempotent producer with acks from every in-sync replica. */
export class KafkaTransport extends Transport {
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  /** Kept connected for `lag`, which the admin route, each metrics scrape and the workers' freshness checks ask. */
  private admin?: Promise<Admin>;
  private closed = false;
  private readonly consumers = new Set<Consumer>();

  constructor(
    protected readonly brokers: readonly string[],
    protected readonly clientId: string,
    protected readonly log?: Logger,
    private readonly tuning: KafkaTuning = {},
  ) {
    super();
    this.kafka = new Kafka({
      clientId,
      brokers: [...brokers],
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry) =>
        log?.[PINO_LEVEL[entry.level] ?? 'info']({ kafka: entry.log, namespace: entry.namespace }, entry.log.message),
    });
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await createMissingTopics(admin, topics);
    } finally {
      await admin.disconnect();
    }
  }

  async send(batches: readonly TopicMessages[]): Promise<void> {
    const topicMessages = batches
      .filter(({ messages }) => messages.length > 0)
      .map(({ topic, messages }) => ({
        topic,
        messages: messages.map(({ key, value, headers }) => ({ key, value, headers })),
      }));
    if (topicMessages.length === 0) return;
    const producer = await this.connectedProducer();
    await producer.sendBatch({ acks: -1, topicMessages });
  }

  async consume({ groupId, topic, handle, concurrentPartitions }: ConsumeOptions): Promise<Consumption> {
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.tuning.sessionTimeoutMs,
    });
    this.consumers.add(consumer);
    // kafkajs stops a consumer for good on some errors; a process that silently stopped consuming
    // would look alive, so it exits and its supervisor starts a fresh one.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      this.log?.fatal({ err: payload.error, groupId }, 'Kafka consumer stopped for good; exiting');
      process.exit(1);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrentPartitions ?? 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (batch.messages.length === 0 || !isRunning() || isStale()) return;
        const messages: IncomingMessage[] = batch.messages.map((message) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? null,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, value?.toString() ?? '']),
          ),
        }));
        // kafkajs heartbeats between batches only: a batch handled for longer than the session (a
        // long transaction, a lock wait) would get the member dropped and the batch delivered again.
        // A beat the group answers with a rebalance is thrown once the batch is committed. A batch
        // still running after MAX_BEATING_MS beats no more: its partitions go to another member.
        let lostBy: unknown;
        const began = Date.now();
        const beating = setInterval(() => {
          if (Date.now() - began > MAX_BEATING_MS) {
            clearInterval(beating);
            this.log?.warn(
              { groupId, topic, partition: batch.partition },
              'batch still running: leaving its partitions',
            );
            return;
          }
          heartbeat().catch((error: unknown) => (lostBy ??= membershipLost(error)));
        }, HEARTBEAT_WHILE_HANDLING_MS);
        try {
          await handle(messages);
        } finally {
          clearInterval(beating);
        }
        // Without it kafkajs fetches again from where the batch began, and a partition with more
        // than one fetch of messages would be read from its first fetch for ever.
        resolveOffset(batch.lastOffset());
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await consumer
          .commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
          .catch((error: unknown) => {
            throw membershipLost(error) ?? error;
          });
        // Other failed beats are left to the beat below, which reports a lasting one.
        if (lostBy !== undefined) throw lostBy;
        await heartbeat();
      },
    });
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async lag(groupId: string, topic: string, sentBefore?: Date): Promise<number> {
    const admin = await this.connectedAdmin();
    const ends = await admin.fetchTopicOffsets(topic);
    // Per partition, the first message sent at or after that instant (the end when there is none).
    const firstAfter = sentBefore
      ? new Map(
          (await admin.fetchTopicOffsetsByTimestamp(topic, sentBefore.getTime())).map((p) => [p.partition, p.offset]),
        )
      : undefined;
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map(committed?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
    let lag = 0n;
    for (const end of ends) {
      const from = at.get(end.partition) ?? -1n;
      const until = BigInt(firstAfter?.get(end.partition) ?? end.high);
      // -1: nothing committed yet, so everything from the low watermark on is still to come.
      // A commit past the end (a topic made again, or truncated) must not hide another partition's lag.
      const behind = until - (from < 0n ? BigInt(end.low) : from);
      if (behind > 0n) lag += behind;
    }
    return Number(lag);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    const clients = [this.producer, this.admin];
    this.producer = this.admin = undefined;
    await Promise.all(clients.map(async (client) => (await client?.catch(() => undefined))?.disconnect()));
  }

  private connectedProducer(): Promise<Producer> {
    // One request in flight keeps the idempotent producer's per-partition order through retries.
    this.producer ??= connected(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      () => (this.producer = undefined),
    );
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    // Made again after close, it would be left connected.
    if (this.closed) return Promise.reject(new Error('the Kafka transport is closed'));
    const admin = (this.admin ??= connected(this.kafka.admin(), () => {
      if (this.admin === admin) this.admin = undefined;
    }));
    return admin;
  }
}

/** Connects a client; a failed connect is forgotten, so the next call tries again. */
function connected<Client extends { connect(): Promise<void> }>(client: Client, forget: () => void): Promise<Client> {
  return client.connect().then(
    () => client,
    (error: unknown) => {
      forget();
      throw error;
    },
  );
}
