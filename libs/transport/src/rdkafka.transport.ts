import { setTimeout as sleep } from 'node:timers/promises';
import type { LibrdKafkaError, MessageHeader, Producer } from 'node-rdkafka';
import type { Logger } from 'pino';
import { KafkaTransport, type KafkaTuning } from './kafka.transport';
import { ThreadedKafkaTransport } from './threaded-kafka.transport';
import type { TopicMessages } from './transport.port';

type RdKafka = typeof import('node-rdkafka');

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
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** How often delivery reports are collected while sends wait for them. */
const POLL_MS = 1;
/** How long librdkafka keeps retrying a message before its send fails (kafkajs's retries took about as long). */
const MESSAGE_TIMEOUT_MS = 30_000;
/** How long a topic may be missing from the broker's metadata before messages to it fail. */
const MISSING_TOPIC_MS = 10_000;
/** How long close waits for the messages in hand to be delivered. */
const FLUSH_TIMEOUT_MS = 10_000;
/** librdkafka's buffer of messages not yet delivered (1 GiB by default). */
const QUEUE_KB = 64 * 1024;
const QUEUE_FULL = -184;

/**
 * KafkaTransport whose sends go through librdkafka: records are encoded and batched in C on its own
 * threads, where kafkajs encodes each in JavaScript, which capped the relay (docs/benchmarks.md).
 * Same guarantees: acks from every in-sync replica, idempotent (so each partition keeps its order
 * through retries), and the Java client's murmur2 partitioner, as kafkajs's default, so a key lands
 * on the same partition whichever adapter sent it. Consumers, topics and lag stay on kafkajs.
 */
export class RdKafkaTransport extends KafkaTransport {
  private producing?: Promise<Producer>;
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
    const producer = await this.startedProducer();
    let delivery!: Delivery;
    const delivered = new Promise<void>((resolve, reject) => {
      delivery = { left: count, settled: false, resolve, reject };
    });
    this.deliveries.add(delivery);
    this.polling ??= setInterval(() => {
      try {
        producer.poll();
      } catch {
        // Disconnected (closed, or failed for good): its sends have been failed already.
      }
    }, POLL_MS);
    try {
      for (const { topic, messages } of batches)
        for (const { key, value, headers } of messages) {
          const headerList: MessageHeader[] | undefined = headers
            ? Object.entries(headers).map(([name, text]) => ({ [name]: text }))
            : undefined;
          const bytes = value === null ? null : Buffer.from(value);
          // A full local queue drains as earlier messages are delivered.
          while (!produced(() => producer.produce(topic, null, bytes, key, undefined, delivery, headerList)))
            await sleep(POLL_MS);
        }
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
        const producer = await this.producing?.catch(() => undefined);
        this.producing = undefined;
        if (producer) {
          await new Promise<void>((done) => producer.flush(FLUSH_TIMEOUT_MS, () => done()));
          await new Promise<void>((done) => producer.disconnect(() => done()));
        }
        this.failAll(new Error('the Kafka transport is closed'));
      }
    })();
    return this.closing;
  }

  private startedProducer(): Promise<Producer> {
    this.producing ??= new Promise<Producer>((resolve, reject) => {
      const producer = new this.rdkafka.Producer(
        {
          'client.id': this.clientId,
          'metadata.broker.list': this.brokers.join(','),
          'enable.idempotence': true,
          'linger.ms': 1,
          // Bounded well within the relay's memory limit; a send larger than this waits for room.
          'queue.buffering.max.kbytes': QUEUE_KB,
          // A missing topic fails its messages with that reason, rather than with a timeout.
          'topic.metadata.propagation.max.ms': MISSING_TOPIC_MS,
          dr_cb: true,
        },
        { acks: -1, partitioner: 'murmur2_random', 'message.timeout.ms': MESSAGE_TIMEOUT_MS },
      );
      producer.on('delivery-report', (error, report) => {
        const delivery = report.opaque as Delivery;
        if (error) this.settle(delivery, asError(error));
        else if (--delivery.left === 0) this.settle(delivery);
      });
      producer.on('event.error', (error) => {
        if (!error.isFatal) return this.log?.warn({ err: error }, `Kafka producer: ${error.message}`);
        // An idempotent producer that lost its sequence state must be made again.
        this.log?.error({ err: error }, `Kafka producer failed for good: ${error.message}`);
        if (this.producing === made) this.producing = undefined;
        this.failAll(asError(error));
        producer.disconnect();
      });
      producer.connect({}, (error) => {
        if (!error) return resolve(producer);
        if (this.producing === made) this.producing = undefined;
        reject(asError(error));
      });
    });
    const made = this.producing;
    return made;
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

/** false when librdkafka's local queue is full; any other refusal is thrown. */
function produced(produce: () => unknown): boolean {
  try {
    produce();
    return true;
  } catch (error) {
    if ((error as LibrdKafkaError).code === QUEUE_FULL) return false;
    throw asError(error);
  }
}

/** librdkafka's errors come as plain objects from callbacks: an Error keeps the stack and the code. */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const { message, code } = error as LibrdKafkaError;
  return Object.assign(new Error(message ?? String(error)), { code });
}
