import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pino, { type Logger } from 'pino';
import { KafkaTransport, type KafkaTuning } from './kafka.transport';
import type { TopicMessages } from './transport.port';

export interface SendThreadSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logLevel: string;
}
export interface SendRequest {
  readonly id: number;
  readonly batches: readonly TopicMessages[];
}
/** An error as plain data, its causes included: a class does not cross threads. */
export interface ErrorParts {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** kafkajs's protocol error type (UNKNOWN_TOPIC_OR_PARTITION, ...) and whether it retries it. */
  readonly type?: string;
  readonly retriable?: boolean;
  readonly cause?: ErrorParts;
}
/** A send's outcome, or a log line. */
export type WorkerReply = { readonly id: number; readonly error?: ErrorParts } | { readonly log: string };

/** How long close waits for the thread to finish its sends and disconnect before ending it. */
const CLOSE_TIMEOUT_MS = 10_000;

type Waiting = { resolve: () => void; reject: (error: unknown) => void };

/**
 * KafkaTransport whose sends run on a thread of their own. kafkajs encodes every record in
 * JavaScript, about half of a relay's CPU; on the relay's thread that encoding held up reading and
 * building the next page, which now goes on while the page before is sent. Consumers stay on the
 * calling thread.
 */
export class ThreadedKafkaTransport extends KafkaTransport {
  private thread?: { readonly worker: Worker; readonly sending: Map<number, Waiting> };
  private lastId = 0;
  private closing?: Promise<void>;

  constructor(
    brokers: readonly string[],
    clientId: string,
    log?: Logger,
    tuning: KafkaTuning = {},
    /** The compiled worker; a spec running TypeScript points at the build's. */
    private readonly workerFile = join(__dirname, 'kafka-send.worker.js'),
  ) {
    super(brokers, clientId, log, tuning);
    if (!existsSync(workerFile))
      throw new Error(`the Kafka send thread's code is missing (${workerFile}): build first, npm run build`);
  }

  override send(batches: readonly TopicMessages[]): Promise<void> {
    if (this.closing) return Promise.reject(new Error('the Kafka transport is closed'));
    if (batches.every(({ messages }) => messages.length === 0)) return Promise.resolve();
    const { worker, sending } = this.started();
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      sending.set(id, { resolve, reject });
      worker.postMessage({ id, batches } satisfies SendRequest);
    });
  }

  override close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await super.close();
      } finally {
        const thread = this.thread;
        if (thread) {
          const exited = new Promise((done) => thread.worker.once('exit', done));
          thread.worker.postMessage('close');
          const timer = setTimeout(() => void thread.worker.terminate(), CLOSE_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
      }
    })();
    return this.closing;
  }

  private started(): NonNullable<ThreadedKafkaTransport['thread']> {
    if (this.thread) return this.thread;
    const worker = new Worker(this.workerFile, {
      workerData: {
        brokers: this.brokers,
        clientId: this.clientId,
        logLevel: this.log?.level ?? 'silent',
      } satisfies SendThreadSettings,
    });
    const thread = { worker, sending: new Map<number, Waiting>() };
    worker.on('message', (reply: WorkerReply) => {
      if ('log' in reply) return this.relog(reply.log);
      const waiting = thread.sending.get(reply.id);
      thread.sending.delete(reply.id);
      if (reply.error === undefined) waiting?.resolve();
      else waiting?.reject(asError(reply.error));
    });
    // A thread that dies fails its own sends in hand; the next send starts another.
    const gone = (error: unknown) => {
      if (this.thread === thread) this.thread = undefined;
      for (const { reject } of thread.sending.values()) reject(error);
      thread.sending.clear();
    };
    worker.on('error', (error) => {
      this.log?.error({ err: error }, 'the Kafka send thread failed');
      gone(error);
    });
    worker.on('exit', (code) => gone(new Error(`the Kafka send thread exited with code ${code}`)));
    this.thread = thread;
    return thread;
  }

  private relog(line: string): void {
    const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string };
    const label = pino.levels.labels[level] as pino.Level | undefined;
    if (label) this.log?.[label](fields, msg);
  }
}

/** The parts of an error and of its causes, for the other side of a thread. */
export function errorParts(error: unknown, depth = 0): ErrorParts {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { type, retriable, cause } = error as Error & { type?: unknown; retriable?: unknown };
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof retriable === 'boolean' ? { retriable } : {}),
    ...(cause !== undefined && depth < 5 ? { cause: errorParts(cause, depth + 1) } : {}),
  };
}

function asError({ cause, ...parts }: ErrorParts): Error {
  return Object.assign(new Error(parts.message), parts, cause ? { cause: asError(cause) } : {});
}
