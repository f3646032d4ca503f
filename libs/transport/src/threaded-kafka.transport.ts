import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pino, { type Logger } from 'pino';
import { KafkaTransport } from './kafka.transport';
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
/** A send's outcome (the error as its parts: a class does not cross threads), or a log line. */
export type WorkerReply =
  { readonly id: number; readonly error?: Pick<Error, 'name' | 'message' | 'stack'> } | { readonly log: string };

/**
 * KafkaTransport whose sends run on a thread of their own. kafkajs encodes every record in
 * JavaScript, about half of a relay's CPU; on the relay's thread that encoding held up reading and
 * building the next page, which now goes on while the page before is sent. Consumers stay on the
 * calling thread.
 */
export class ThreadedKafkaTransport extends KafkaTransport {
  private thread?: Worker;
  private readonly sending = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  private lastId = 0;

  constructor(
    private readonly brokerList: readonly string[],
    private readonly client: string,
    private readonly logger?: Logger,
    /** The compiled worker; tests running TypeScript point at the build's. */
    private readonly workerFile = join(__dirname, 'kafka-send.worker.js'),
  ) {
    super(brokerList, client, logger);
  }

  override send(batches: readonly TopicMessages[]): Promise<void> {
    if (batches.every(({ messages }) => messages.length === 0)) return Promise.resolve();
    const thread = this.started();
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      this.sending.set(id, { resolve, reject });
      thread.postMessage({ id, batches } satisfies SendRequest);
    });
  }

  override async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await super.close();
    if (!thread) return;
    const exited = once(thread, 'exit');
    thread.postMessage('close');
    await exited;
  }

  private started(): Worker {
    if (this.thread) return this.thread;
    const thread = new Worker(this.workerFile, {
      workerData: {
        brokers: this.brokerList,
        clientId: this.client,
        logLevel: this.logger?.level ?? 'silent',
      } satisfies SendThreadSettings,
    });
    thread.on('message', (reply: WorkerReply) => {
      if ('log' in reply) return this.relog(reply.log);
      const waiting = this.sending.get(reply.id);
      this.sending.delete(reply.id);
      if (reply.error === undefined) waiting?.resolve();
      else waiting?.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    // A thread that dies fails the sends in hand; the next send starts another.
    const gone = (error: unknown) => {
      if (this.thread === thread) this.thread = undefined;
      for (const { reject } of this.sending.values()) reject(error);
      this.sending.clear();
    };
    thread.on('error', gone);
    thread.on('exit', (code) => gone(new Error(`the Kafka send thread exited with code ${code}`)));
    this.thread = thread;
    return thread;
  }

  private relog(line: string): void {
    const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string };
    const label = pino.levels.labels[level] as pino.Level | undefined;
    if (label) this.logger?.[label](fields, msg);
  }
}
