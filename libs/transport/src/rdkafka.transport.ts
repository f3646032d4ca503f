import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { KafkaTransport, type KafkaTuning } from './kafka.transport';
import { ThreadedKafkaTransport } from './threaded-kafka.transport';
import type { TopicMessages } from './transport.port';

/** An error as node-rdkafka gives it. */
interface RdKafkaError {
  readonly message: string;
  readonly code: number;
}

/** The part of node-rdkafka used here, declared here: an optional dependency may be absent when type-checking. */
interface RdProducer {
  connect(options: object, done: (error: RdKafkaError | null) => void): void;
  produce(
    topic: string,
    partition: null,
    value: Buffer | null,
    key: string,
    timestamp: undefined,
    opaque: Delivery,
    headers?: Record<string, string>[],
  ): void;
  poll(): void;
  /** Flushes for up to the timeout first (5 s by default). */
  disconnect(timeoutMs?: number, done?: () => void): void;
  on(event: 'delivery-report', listener: (error: RdKafkaError | null, report: { opaque: Delivery }) => void): void;
  on(event: 'event.error', listener: (error: RdKafkaError) => void): void;
}

export interface RdKafka {
  readonly librdkafkaVersion: string;
  readonly Producer: new (global: Record<string, unknown>, topic: Record<string, unknown>) => RdProducer;
}

/**
 * node-rdkafka, or why it is missing. It is an optional dependency with a native build (librdkafka,
 * compiled by `npm ci` where a C++ toolchain is there); without it the relay sends with kafkajs.
 */
export function loadRdKafka(): RdKafka | Error {
  try {
    // Loaded on demand, and synchronously: an import at the top would fail the module where it did not build.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node-rdkafka') as RdKafka;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * The relay's sends: librdkafka where its optional build loaded; else kafkajs, which encodes every
 * record in JavaScript, on a thread of its own. Same guarantees and partitions either way.
 */
export function relayTransport(brokers: readonly string[], clientId: string, log: Logger): KafkaTransport {
  const rdkafka = loadRdKafka();
  if (!(rdkafka instanceof Error)) {
    log.info(`relay sending through librdkafka ${rdkafka.librdkafkaVersion}`);
    return new RdKafkaTransport(rdkafka, brokers, clientId, log);
  }
  log.warn(
    `relay sending through kafkajs, at about half librdkafka's rate: node-rdkafka did not load (${rdkafka.message}); npm ci builds it where a C++ toolchain is installed`,
  );
  return new ThreadedKafkaTransport(brokers, clientId, log);
}

/** A send waiting for its messages' delivery reports. */
interface Delivery {
  left: number;
  settled: boolean;
  /** Fails the send when it is not acknowledged in time. */
  deadline?: NodeJS.Timeout;
  readonly delivered: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** How often delivery reports are collected while sends wait for them. */
const POLL_MS = 1;
/** How long messages wait to be batched: the relay queues a page's in about this. */
const LINGER_MS = 5;
/** How long a topic may be missing from the broker's metadata before messages to it fail. */
const MISSING_TOPIC_MS = 10_000;
/** How long close's disconnect waits for anything still queued to be delivered. */
const FLUSH_TIMEOUT_MS = 10_000;
/** librdkafka's buffer of messages not yet delivered (1 GiB by default). */
const QUEUE_KB = 64 * 1024;
const QUEUE_FULL = -184;
/** The idempotent producer's state is lost for good: it must be made again. */
const FATAL = -150;

export interface RdKafkaTuning extends KafkaTuning {
  /**
   * How long a send may go unacknowledged before it fails (30 s, about as long as kafkajs's retries
   * took). Its messages stay queued, and are delivered ahead of any later send's when the broker is back.
   */
  readonly sendTimeoutMs?: number;
}

/**
 * KafkaTransport whose sends go through librdkafka: records are encoded and batched in C on its own
 * threads, where kafkajs encodes each in JavaScript, which capped the relay (docs/benchmarks.md).
 * Acks from every in-sync replica, and the Java client's murmur2 partitioner, as kafkajs's default,
 * so a key lands on the same partition whichever adapter sent it. Consumers, topics and lag stay on
 * kafkajs.
 *
 * Whatever fails, what lands of each partition is a prefix of what was sent to it, so a send retried
 * after a failure can only repeat messages, never leave a later one ahead of an earlier one that was
 * lost (which consumers, skipping what they have seen, would never apply):
 * - the producer is idempotent, so the broker takes a partition's batches only in sequence, through
 *   any retry;
 * - no message is ever given up on (no message timeout), and a batch the broker refuses for good stops
 *   the producer (`enable.gapless.guarantee`): nothing after it is sent;
 * - sends queue their messages one after another; when one cannot queue all of its messages, or one
 *   of its messages fails, the sends issued before that was known and not yet queued are refused.
 */
export class RdKafkaTransport extends KafkaTransport {
  private readonly sendTimeoutMs: number;
  private producing?: Promise<RdProducer>;
  /** The producer `producing` resolved to, while it serves. */
  private connected?: RdProducer;
  private readonly deliveries = new Set<Delivery>();
  /** Collects delivery reports while sends wait for them; it also keeps the process alive meanwhile. */
  private polling?: NodeJS.Timeout;
  private closing?: Promise<void>;
  /** The sends' queueing, one after another in call order. */
  private queueing: Promise<void> = Promise.resolve();
  private issued = 0;
  /**
   * Sends numbered up to this were issued before a send failed to queue all its messages, or a message
   * failed: those not yet queued are refused.
   */
  private refusedThrough = 0;

  constructor(
    private readonly rdkafka: RdKafka,
    brokers: readonly string[],
    clientId: string,
    log?: Logger,
    tuning: RdKafkaTuning = {},
  ) {
    super(brokers, clientId, log, tuning);
    this.sendTimeoutMs = tuning.sendTimeoutMs ?? 30_000;
  }

  override async send(batches: readonly TopicMessages[]): Promise<void> {
    if (this.closing) throw new Error('the Kafka transport is closed');
    const count = batches.reduce((sum, { messages }) => sum + messages.length, 0);
    if (count === 0) return;
    // Counted in hand before anything is awaited, so a close that follows waits for it.
    let settle!: Pick<Delivery, 'resolve' | 'reject'>;
    const delivered = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // Failed while its messages are still being produced, it is awaited only after.
    delivered.catch(() => undefined);
    const delivery: Delivery = { left: count, settled: false, delivered, ...settle };
    this.deliveries.add(delivery);
    delivery.deadline = setTimeout(
      () =>
        this.settle(delivery, new Error(`not acknowledged within ${this.sendTimeoutMs} ms; its messages stay queued`)),
      this.sendTimeoutMs,
    );
    const number = ++this.issued;
    const previous = this.queueing;
    let queued!: () => void;
    this.queueing = new Promise((resolve) => (queued = resolve));
    this.polling ??= setInterval(() => {
      try {
        this.connected?.poll();
      } catch {
        // Disconnected (closed): its sends have been failed already.
      }
    }, POLL_MS);
    let queuedAll = false;
    try {
      await previous;
      if (number <= this.refusedThrough)
        throw new Error(
          'not sent: a send before it could not queue its messages, and this one must not land ahead of them',
        );
      const producer = await this.startedProducer();
      for (const { topic, messages } of batches)
        for (const { key, value, headers } of messages) {
          const headerList = headers ? Object.entries(headers).map(([name, text]) => ({ [name]: text })) : undefined;
          const bytes = value === null ? null : Buffer.from(value);
          const produce = () => producer.produce(topic, null, bytes, key, undefined, delivery, headerList);
          // A full local queue drains as earlier messages are delivered. A send that has failed (refused,
          // timed out, or its producer lost) queues nothing more: what is left must not land after that.
          while (!delivery.settled && !this.produced(producer, produce)) await sleep(POLL_MS);
          if (delivery.settled) return delivered;
        }
      queuedAll = true;
    } catch (error) {
      this.settle(delivery, error);
    } finally {
      if (!queuedAll) this.refusedThrough = this.issued;
      queued();
    }
    return delivered;
  }

  override close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await super.close();
      } finally {
        // The sends in hand first: each ends by its delivery reports, or fails within the send timeout.
        await Promise.allSettled([...this.deliveries].map((delivery) => delivery.delivered));
        const producer = await this.producing?.catch(() => undefined);
        this.producing = undefined;
        if (producer) await new Promise<void>((done) => producer.disconnect(FLUSH_TIMEOUT_MS, () => done()));
        this.connected = undefined;
        this.failAll(new Error('the Kafka transport is closed'));
      }
    })();
    return this.closing;
  }

  private startedProducer(): Promise<RdProducer> {
    const made = (this.producing ??= new Promise<RdProducer>((resolve, reject) => {
      const producer = new this.rdkafka.Producer(
        {
          'client.id': this.clientId,
          'metadata.broker.list': this.brokers.join(','),
          'enable.idempotence': true,
          'enable.gapless.guarantee': true,
          'linger.ms': LINGER_MS,
          'batch.num.messages': 1_000_000,
          // Bounded well within the relay's memory limit; a send larger than this waits for room.
          'queue.buffering.max.kbytes': QUEUE_KB,
          // A missing topic fails its messages with that reason, rather than with a timeout.
          'topic.metadata.propagation.max.ms': MISSING_TOPIC_MS,
          dr_cb: true,
        },
        // Never given up on: a message that timed out would leave a gap before the later ones (sendTimeoutMs bounds a send).
        { acks: -1, partitioner: 'murmur2_random', 'message.timeout.ms': 0 },
      );
      producer.on('delivery-report', (error, { opaque }) => {
        if (!error) {
          if (--opaque.left === 0) this.settle(opaque);
          return;
        }
        // The sends still waiting to queue were issued before anyone knew: they must not land after it.
        this.refusedThrough = this.issued;
        this.settle(opaque, asError(error));
      });
      producer.on('event.error', (error) => {
        if (error.code === FATAL || /fatal/i.test(error.message)) this.failedForGood(producer, error);
        else this.log?.warn({ err: error }, `Kafka producer: ${error.message}`);
      });
      producer.connect({}, (error) => {
        if (!error) {
          this.connected = producer;
          return resolve(producer);
        }
        if (this.producing === made) this.producing = undefined;
        reject(asError(error));
      });
    }));
    return made;
  }

  /** false when librdkafka's local queue is full; any other refusal is thrown. */
  private produced(producer: RdProducer, produce: () => void): boolean {
    try {
      produce();
      return true;
    } catch (error) {
      const code = (error as RdKafkaError).code;
      if (code === QUEUE_FULL) return false;
      if (code === FATAL) this.failedForGood(producer, error as RdKafkaError);
      throw asError(error);
    }
  }

  /** An idempotent producer that lost its sequence state: its sends fail, and the next send makes another. */
  private failedForGood(producer: RdProducer, error: RdKafkaError): void {
    if (this.connected !== producer) return;
    this.log?.error({ err: error }, `Kafka producer failed for good: ${error.message}`);
    this.producing = this.connected = undefined;
    this.failAll(asError(error));
    producer.disconnect();
  }

  private settle(delivery: Delivery, error?: unknown): void {
    if (delivery.settled) return;
    delivery.settled = true;
    clearTimeout(delivery.deadline);
    this.deliveries.delete(delivery);
    if (this.deliveries.size === 0) {
      clearInterval(this.polling);
      this.polling = undefined;
    }
    if (error === undefined) delivery.resolve();
    else delivery.reject(error);
  }

  private failAll(error: Error): void {
    for (const delivery of [...this.deliveries]) this.settle(delivery, error);
  }
}

/** librdkafka's errors come as plain objects from callbacks: an Error keeps the stack and the code. */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const { message, code } = error as RdKafkaError;
  return Object.assign(new Error(message ?? String(error)), { code });
}
