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
  flush(timeoutMs: number, done: (error?: RdKafkaError) => void): void;
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
  readonly delivered: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** How often delivery reports are collected while sends wait for them. */
const POLL_MS = 1;
/**
 * Longer than producing a send's messages takes: its batches are cut by the flush that follows, so
 * each partition's messages of one send go as one batch, which lands or fails whole, as with kafkajs.
 * A partial landing (a later batch without an earlier one) would come back as a gap in a stream's
 * revisions, which consumers skip past.
 */
const LINGER_MS = 100;
/** How long librdkafka keeps retrying a message before its send fails (kafkajs's retries took about as long). */
const MESSAGE_TIMEOUT_MS = 30_000;
/** How long a topic may be missing from the broker's metadata before messages to it fail. */
const MISSING_TOPIC_MS = 10_000;
/** How long close's disconnect waits for anything still queued to be delivered. */
const FLUSH_TIMEOUT_MS = 10_000;
/** librdkafka's buffer of messages not yet delivered (1 GiB by default). */
const QUEUE_KB = 64 * 1024;
const QUEUE_FULL = -184;
/** The idempotent producer's state is lost for good: it must be made again. */
const FATAL = -150;

/**
 * KafkaTransport whose sends go through librdkafka: records are encoded and batched in C on its own
 * threads, where kafkajs encodes each in JavaScript, which capped the relay (docs/benchmarks.md).
 * Same guarantees: acks from every in-sync replica, idempotent (so each partition keeps its order
 * through retries), each partition's share of a send in one batch, and the Java client's murmur2
 * partitioner, as kafkajs's default, so a key lands on the same partition whichever adapter sent it.
 * Consumers, topics and lag stay on kafkajs.
 */
export class RdKafkaTransport extends KafkaTransport {
  private producing?: Promise<RdProducer>;
  /** The producer `producing` resolved to, while it serves. */
  private connected?: RdProducer;
  private readonly deliveries = new Set<Delivery>();
  /** Collects delivery reports while sends wait for them; it also keeps the process alive meanwhile. */
  private polling?: NodeJS.Timeout;
  private closing?: Promise<void>;

  constructor(
    private readonly rdkafka: RdKafka,
    brokers: readonly string[],
    clientId: string,
    log?: Logger,
    tuning: KafkaTuning = {},
  ) {
    super(brokers, clientId, log, tuning);
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
    this.polling ??= setInterval(() => {
      try {
        this.connected?.poll();
      } catch {
        // Disconnected (closed): its sends have been failed already.
      }
    }, POLL_MS);
    try {
      const producer = await this.startedProducer();
      for (const { topic, messages } of batches)
        for (const { key, value, headers } of messages) {
          const headerList = headers ? Object.entries(headers).map(([name, text]) => ({ [name]: text })) : undefined;
          const bytes = value === null ? null : Buffer.from(value);
          // A full local queue drains as earlier messages are delivered.
          const produce = () => producer.produce(topic, null, bytes, key, undefined, delivery, headerList);
          while (!this.produced(producer, produce)) {
            if (delivery.settled) return delivered;
            await sleep(POLL_MS);
          }
          // A message of it already refused: the rest would only be sent to be ignored.
          if (delivery.settled) return delivered;
        }
      // Sends the batches now rather than after the linger.
      producer.flush(MESSAGE_TIMEOUT_MS, () => undefined);
    } catch (error) {
      this.settle(delivery, error);
    }
    return delivered;
  }

  override close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await super.close();
      } finally {
        // The sends in hand first: each ends by its delivery reports, or fails within the message timeout.
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
          'linger.ms': LINGER_MS,
          'batch.num.messages': 1_000_000,
          // Bounded well within the relay's memory limit; a send larger than this waits for room.
          'queue.buffering.max.kbytes': QUEUE_KB,
          // A missing topic fails its messages with that reason, rather than with a timeout.
          'topic.metadata.propagation.max.ms': MISSING_TOPIC_MS,
          dr_cb: true,
        },
        { acks: -1, partitioner: 'murmur2_random', 'message.timeout.ms': MESSAGE_TIMEOUT_MS },
      );
      producer.on('delivery-report', (error, { opaque }) => {
        if (error) this.settle(opaque, asError(error));
        else if (--opaque.left === 0) this.settle(opaque);
      });
      producer.on('event.error', (error) => {
        if (/fatal/i.test(error.message)) this.failedForGood(producer, error);
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
