import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { ThreadedKafkaTransport } from '@salesledger/transport/threaded-kafka.transport';
import type { IncomingMessage } from '@salesledger/transport/transport.port';
import { deleteTopicsWithPrefix, describeWithKafka, uniqueTopicPrefix } from '../support/kafka';

describeWithKafka('the Kafka transport (kafkajs)', (brokers) => {
  const prefix = uniqueTopicPrefix('transport');
  const transport = new KafkaTransport(brokers, 'salesledger-test');
  afterAll(async () => {
    await transport.close();
    await deleteTopicsWithPrefix(brokers, prefix);
  });

  it('hands a consumer group every message of a partition once, in order, however many fetches it takes', async () => {
    const topic = `${prefix}.one-partition`;
    await transport.ensureTopics([{ name: topic, partitions: 1 }]);
    // Several MiB: far more than one fetch brings back.
    const total = 6000;
    const value = 'x'.repeat(1000);
    for (let from = 0; from < total; from += 1000)
      await transport.publish(
        topic,
        Array.from({ length: 1000 }, (_, i) => ({ key: `k-${from + i}`, value, headers: { n: String(from + i) } })),
      );

    const seen: IncomingMessage[] = [];
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const consumption = await transport.consume({
      groupId: `${prefix}.group`,
      topic,
      handle: async (messages) => {
        seen.push(...messages);
        if (seen.length >= total) done();
      },
    });
    let timer!: NodeJS.Timeout;
    await Promise.race([
      all,
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`${seen.length} seen`)), 90_000))),
    ]).finally(() => clearTimeout(timer));
    await consumption.stop();

    expect(seen.map((m) => Number(m.offset))).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(seen.map((m) => m.headers?.n)).toEqual(Array.from({ length: total }, (_, i) => String(i)));
    expect(await transport.lag(`${prefix}.group`, topic)).toBe(0);
  }, 120_000);

  /**
   * One message for a member with the broker's shortest session (6 s), whose first delivery `first`
   * handles; resolves once the group has committed the message, with what was delivered and the
   * exits the adapter asked for (kafkajs stops a consumer for good on some errors, and the adapter
   * then exits the process).
   */
  async function deliverTo(name: string, first: () => Promise<void>) {
    const topic = `${prefix}.${name}`;
    const groupId = `${topic}-group`;
    await transport.ensureTopics([{ name: topic, partitions: 1 }]);
    await transport.publish(topic, [{ key: 'k', value: '1' }]);
    const exits: unknown[] = [];
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: unknown) => exits.push(code)) as never);
    const member = new KafkaTransport(brokers, 'salesledger-test', undefined, { sessionTimeoutMs: 6000 });
    const deliveries: string[][] = [];
    try {
      const consumption = await member.consume({
        groupId,
        topic,
        handle: async (messages) => {
          deliveries.push(messages.map((message) => message.offset));
          if (deliveries.length === 1) await first();
        },
      });
      try {
        const deadline = Date.now() + 60_000;
        while ((await transport.lag(groupId, topic)) > 0) {
          if (Date.now() > deadline) throw new Error(`still lagging after ${deliveries.length} deliveries`);
          await sleep(200);
        }
      } finally {
        await consumption.stop();
      }
    } finally {
      exit.mockRestore();
      await member.close();
    }
    return { deliveries, exits };
  }

  it('keeps its membership through a batch handled for longer than its session, so the batch comes once', async () => {
    const { deliveries, exits } = await deliverTo('slow-batch', () => sleep(9000));
    expect(exits).toEqual([]);
    expect(deliveries).toEqual([['0']]);
  }, 90_000);

  it('rejoins its group after being dropped while it handled a batch, and is handed that batch again', async () => {
    // A blocked event loop sends no beats: the broker drops the member, and its commit is refused.
    const { deliveries, exits } = await deliverTo('dropped', async () => {
      for (const until = Date.now() + 9000; Date.now() < until;);
    });
    expect(exits).toEqual([]);
    expect(deliveries).toEqual([['0'], ['0']]);
  }, 90_000);

  it('lets a second member join while the first handles a long batch: nothing exits, and each message comes once', async () => {
    const topic = `${prefix}.scale-out`;
    const groupId = `${topic}-group`;
    await transport.ensureTopics([{ name: topic, partitions: 2 }]);
    await transport.publish(
      topic,
      Array.from({ length: 20 }, (_, i) => ({ key: `k-${i}`, value: String(i) })),
    );
    const exits: unknown[] = [];
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: unknown) => exits.push(code)) as never);
    const delivered = new Map<string, string[]>();
    let slowBatchBegan!: () => void;
    const inSlowBatch = new Promise<void>((resolve) => (slowBatchBegan = resolve));
    const join = async (name: string) => {
      const member = new KafkaTransport(brokers, 'salesledger-test', undefined, { sessionTimeoutMs: 6000 });
      const consumption = await member.consume({
        groupId,
        topic,
        handle: async (messages) => {
          for (const message of messages)
            delivered.set(`${message.partition}/${message.offset}`, [
              ...(delivered.get(`${message.partition}/${message.offset}`) ?? []),
              name,
            ]);
          if (name === 'first' && delivered.size === messages.length) {
            slowBatchBegan();
            await sleep(9000);
          }
        },
      });
      return { member, consumption };
    };
    const members = [await join('first')];
    try {
      await inSlowBatch;
      members.push(await join('second'));
      const deadline = Date.now() + 60_000;
      while ((await transport.lag(groupId, topic)) > 0) {
        if (Date.now() > deadline) throw new Error(`still lagging: ${JSON.stringify([...delivered])}`);
        await sleep(200);
      }
    } finally {
      for (const { member, consumption } of members) {
        await consumption.stop();
        await member.close();
      }
      exit.mockRestore();
    }
    expect(exits).toEqual([]);
    // Each once: the long batch kept its member in the group while the group waited for it to rejoin.
    expect([...delivered.values()].map((names) => names.length)).toEqual(Array(20).fill(1));
  }, 120_000);
});

describeWithKafka('Kafka sends on a thread of their own', (brokers) => {
  const prefix = uniqueTopicPrefix('threaded');
  // The thread runs JavaScript, so the spec points it at the build's worker (npm test builds first).
  const worker = resolve(__dirname, '../../dist/libs/transport/src/kafka-send.worker.js');
  const logged: { level: number; msg: string }[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  let threaded: ThreadedKafkaTransport;
  const reader = new KafkaTransport(brokers, 'salesledger-test');
  beforeAll(() => {
    threaded = new ThreadedKafkaTransport(brokers, 'salesledger-test', log, {}, worker);
  });
  afterAll(async () => {
    await threaded.close();
    await reader.close();
    await deleteTopicsWithPrefix(brokers, prefix);
  });

  it("delivers each key's messages in the order of its sends, with their headers, and logs through the caller's logger", async () => {
    const topic = `${prefix}.keys`;
    await threaded.ensureTopics([{ name: topic, partitions: 3 }]);
    const total = 5000;
    for (let from = 0; from < total; from += 1000)
      await threaded.publish(
        topic,
        Array.from({ length: 1000 }, (_, i) => ({
          key: `k-${(from + i) % 7}`,
          value: `{"n":${from + i}}`,
          headers: { n: String(from + i) },
        })),
      );

    const seen: { key: string; n: number; header?: string }[] = [];
    const consumption = await reader.consume({
      groupId: `${prefix}.group`,
      topic,
      handle: async (messages) => {
        for (const message of messages)
          seen.push({ key: message.key, n: JSON.parse(message.value!).n, header: message.headers?.n });
      },
    });
    const deadline = Date.now() + 60_000;
    while (seen.length < total && Date.now() < deadline) await sleep(100);
    await consumption.stop();

    expect(seen).toHaveLength(total);
    expect(seen.every(({ n, header }) => header === String(n))).toBe(true);
    for (let k = 0; k < 7; k++) {
      const ns = seen.filter(({ key }) => key === `k-${k}`).map(({ n }) => n);
      expect(ns).toEqual(Array.from({ length: total }, (_, n) => n).filter((n) => n % 7 === k));
    }
    // kafkajs warns of the idempotent producer's retry limit when the thread's producer starts.
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringContaining('Limiting retries') }),
    );
  }, 90_000);

  it('rejects a send the broker refuses with its reason, and goes on sending', async () => {
    const topic = `${prefix}.refusals`;
    await threaded.ensureTopics([{ name: topic, partitions: 1 }]);
    // Over the broker's message.max.bytes (1 MiB by default).
    await expect(threaded.publish(topic, [{ key: 'big', value: 'x'.repeat(2 * 1024 * 1024) }])).rejects.toThrow(
      'larger than the max message size',
    );
    await threaded.publish(topic, [{ key: 'small', value: '{}' }]);
    expect(await reader.lag(`${prefix}.nobody`, topic)).toBe(1);
  }, 60_000);

  it('refuses a send once closed', async () => {
    const closing = new ThreadedKafkaTransport(brokers, 'salesledger-test', undefined, {}, worker);
    const topic = `${prefix}.closing`;
    await closing.ensureTopics([{ name: topic, partitions: 1 }]);
    await closing.publish(topic, [{ key: 'k', value: '{}' }]);
    await closing.close();
    await expect(closing.publish(topic, [{ key: 'k', value: '{}' }])).rejects.toThrow('closed');
    expect(await reader.lag(`${prefix}.nobody`, topic)).toBe(1);
  }, 60_000);

  it('names the build step when the compiled thread is missing', () => {
    expect(() => new ThreadedKafkaTransport(brokers, 'salesledger-test', undefined, {}, `${worker}.missing`)).toThrow(
      'npm run build',
    );
  });
});
