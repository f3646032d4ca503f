import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino, { type Logger } from 'pino';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { loadRdKafka, RdKafkaTransport } from '@salesledger/transport/rdkafka.transport';
import { ThreadedKafkaTransport } from '@salesledger/transport/threaded-kafka.transport';
import type { IncomingMessage } from '@salesledger/transport/transport.port';
import { deleteTopicsWithPrefix, describeWithKafka, readTopic, uniqueTopicPrefix } from '../support/kafka';
import { skipLoudly } from '../support/postgres-servers';

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

const rdkafka = loadRdKafka();
// The thread runs JavaScript, so specs point it at the build's worker (npm test builds first).
const worker = resolve(__dirname, '../../dist/libs/transport/src/kafka-send.worker.js');
const senders: [string, (brokers: string[], log?: Logger) => KafkaTransport][] = [
  [
    'kafkajs on a thread of its own',
    (brokers, log) => new ThreadedKafkaTransport(brokers, 'salesledger-test', log, {}, worker),
  ],
];
if (rdkafka instanceof Error)
  skipLoudly('node-rdkafka', `npm ci builds it where a C++ toolchain is installed: ${rdkafka.message}`);
else senders.push(['librdkafka', (brokers, log) => new RdKafkaTransport(rdkafka, brokers, 'salesledger-test', log)]);

describe.each(senders)('Kafka sends through %s', (_, sender) => {
  describeWithKafka('the sending adapter', (brokers) => {
    const prefix = uniqueTopicPrefix('sender');
    let transport: KafkaTransport;
    const reader = new KafkaTransport(brokers, 'salesledger-test');
    beforeAll(() => {
      transport = sender(brokers);
    });
    afterAll(async () => {
      await transport.close();
      await reader.close();
      await deleteTopicsWithPrefix(brokers, prefix);
    });

    it("delivers each key's messages in the order of its sends, with their headers, on kafkajs's partition for the key", async () => {
      const topic = `${prefix}.keys`;
      await transport.ensureTopics([{ name: topic, partitions: 3 }]);
      // Messages n = from, from + 1, ...: n in the value and a header, keyed by n mod 7.
      const numbered = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => ({
          key: `k-${(from + i) % 7}`,
          value: `{"n":${from + i}}`,
          headers: { n: String(from + i) },
        }));
      const total = 5000;
      for (let from = 0; from < total; from += 1000) await transport.publish(topic, numbered(from, 1000));
      // And each key sent by kafkajs itself: a relay that changes adapters must keep each key's partition.
      await reader.publish(topic, numbered(total, 7));

      const seen = await readTopic(brokers, topic, `${prefix}.group`);
      expect(seen).toHaveLength(total + 7);
      expect(seen.every(({ value, headers }) => headers?.n === String(JSON.parse(value!).n))).toBe(true);
      for (let k = 0; k < 7; k++) {
        const ns = seen.filter(({ key }) => key === `k-${k}`).map(({ value }) => JSON.parse(value!).n);
        expect(ns).toEqual(Array.from({ length: total + 7 }, (_, n) => n).filter((n) => n % 7 === k));
        expect(new Set(seen.filter(({ key }) => key === `k-${k}`).map((m) => m.partition)).size).toBe(1);
      }
    }, 90_000);

    it('keeps the messages of several topics in one send, and a tombstone as one', async () => {
      const [first, second] = [`${prefix}.first`, `${prefix}.second`];
      await transport.ensureTopics([
        { name: first, partitions: 2 },
        { name: second, partitions: 1, compacted: true },
      ]);
      await transport.send([
        {
          topic: first,
          messages: [
            { key: 'a', value: '{"n":1}' },
            { key: 'b', value: '{"n":2}' },
          ],
        },
        { topic: second, messages: [{ key: 'gone', value: null }] },
      ]);
      expect((await readTopic(brokers, first, `${prefix}.first-group`)).map((m) => m.value).sort()).toEqual([
        '{"n":1}',
        '{"n":2}',
      ]);
      expect((await readTopic(brokers, second, `${prefix}.second-group`)).map((m) => [m.key, m.value])).toEqual([
        ['gone', null],
      ]);
    }, 60_000);

    it('rejects a message over the size limit with its reason, and goes on sending', async () => {
      const topic = `${prefix}.refusals`;
      await transport.ensureTopics([{ name: topic, partitions: 1 }]);
      // Over the broker's message.max.bytes (1 MiB by default).
      await expect(transport.publish(topic, [{ key: 'big', value: 'x'.repeat(2 * 1024 * 1024) }])).rejects.toThrow(
        /larger than the max message size|message size too large/i,
      );
      await transport.publish(topic, [{ key: 'small', value: '{}' }]);
      expect(await reader.lag(`${prefix}.nobody`, topic)).toBe(1);
    }, 60_000);

    it('rejects a send to a topic that does not exist, once the client gives up', async () => {
      await expect(transport.publish(`${prefix}.missing`, [{ key: 'k', value: '{}' }])).rejects.toThrow(
        /unknown topic|does not host this topic-partition/i,
      );
    }, 90_000);

    it('delivers the sends in hand when closed', async () => {
      const closing = sender(brokers);
      const topic = `${prefix}.in-hand`;
      await closing.ensureTopics([{ name: topic, partitions: 3 }]);
      await closing.publish(topic, [{ key: 'connected', value: '{}' }]);
      const inHand = closing.publish(
        topic,
        Array.from({ length: 1000 }, (_, i) => ({ key: `k-${i}`, value: '{}' })),
      );
      await closing.close();
      await expect(inHand).resolves.toBeUndefined();
      expect(await reader.lag(`${prefix}.nobody`, topic)).toBe(1001);
    }, 60_000);

    it('refuses a send once closed', async () => {
      const closing = sender(brokers);
      const topic = `${prefix}.closing`;
      await closing.ensureTopics([{ name: topic, partitions: 1 }]);
      await closing.publish(topic, [{ key: 'k', value: '{}' }]);
      await closing.close();
      await expect(closing.publish(topic, [{ key: 'k', value: '{}' }])).rejects.toThrow('closed');
      expect(await reader.lag(`${prefix}.nobody`, topic)).toBe(1);
    }, 60_000);
  });
});

describeWithKafka('Kafka sends through librdkafka', (brokers) => {
  const prefix = uniqueTopicPrefix('rdkafka');
  afterAll(() => deleteTopicsWithPrefix(brokers, prefix));

  it('waits for room when one send holds more than its local queue (64 MiB), and delivers it all', async () => {
    if (rdkafka instanceof Error) return;
    const transport = new RdKafkaTransport(rdkafka, brokers, 'salesledger-test');
    const reader = new KafkaTransport(brokers, 'salesledger-test');
    const topic = `${prefix}.large`;
    try {
      await transport.ensureTopics([{ name: topic, partitions: 3 }]);
      const value = 'x'.repeat(900_000);
      await transport.publish(
        topic,
        Array.from({ length: 90 }, (_, i) => ({ key: `k-${i}`, value })),
      );
      expect(await reader.lag(`${prefix}.nobody`, topic)).toBe(90);
    } finally {
      await transport.close();
      await reader.close();
    }
  }, 120_000);

  it('queues sends that overlap in the order they were issued, though the first waits for room in the local queue', async () => {
    if (rdkafka instanceof Error) return;
    // 81 MB to acknowledge: more time than a send usually gets, on a loaded machine.
    const transport = new RdKafkaTransport(rdkafka, brokers, 'salesledger-test', undefined, { sendTimeoutMs: 110_000 });
    const topic = `${prefix}.overlapping`;
    try {
      await transport.ensureTopics([{ name: topic, partitions: 2 }]);
      // The first send is more than the 64 MiB queue holds, so it waits for room part way through,
      // and room is left that the small messages of the second would fit in.
      const sizes = [
        { count: 90, value: 'x'.repeat(900_000) },
        { count: 4, value: '{}' },
      ];
      const sends = sizes.map(({ count, value }, send) =>
        transport.send([
          {
            topic,
            messages: Array.from({ length: count }, (_, i) => ({
              key: `k-${i % 3}`,
              value,
              headers: { n: `${send}.${i}` },
            })),
          },
        ]),
      );
      await Promise.all(sends);
      const seen = await readTopic(brokers, topic, `${prefix}.overlapping-group`);
      for (let k = 0; k < 3; k++) {
        const sent = sizes.flatMap(({ count }, send) =>
          Array.from({ length: count }, (_, i) => i)
            .filter((i) => i % 3 === k)
            .map((i) => `${send}.${i}`),
        );
        expect(seen.filter(({ key }) => key === `k-${k}`).map(({ headers }) => headers?.n)).toEqual(sent);
      }
    } finally {
      await transport.close();
    }
  }, 120_000);

  it('refuses the sends issued behind one that could not queue all its messages, and takes those issued after', async () => {
    if (rdkafka instanceof Error) return;
    const transport = new RdKafkaTransport(rdkafka, brokers, 'salesledger-test');
    const topic = `${prefix}.behind-a-refusal`;
    try {
      await transport.ensureTopics([{ name: topic, partitions: 1 }]);
      const refused = transport.publish(topic, [
        { key: 'k', value: '"first"' },
        { key: 'k', value: 'x'.repeat(2 * 1024 * 1024) },
      ]);
      const behind = transport.publish(topic, [{ key: 'k', value: '"behind"' }]);
      await expect(refused).rejects.toThrow(/message size too large/i);
      // Had it gone, it would stand on the topic ahead of the refused send's message.
      await expect(behind).rejects.toThrow(/not sent/);
      await transport.publish(topic, [{ key: 'k', value: '"after"' }]);
      expect((await readTopic(brokers, topic, `${prefix}.behind-group`)).map(({ value }) => value)).toEqual([
        '"first"',
        '"after"',
      ]);
    } finally {
      await transport.close();
    }
  }, 60_000);
});

describeWithKafka('Kafka sends on a thread of their own', (brokers) => {
  it("log through the caller's logger", async () => {
    const logged: { level: number; msg: string }[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const threaded = new ThreadedKafkaTransport(brokers, 'salesledger-test', log, {}, worker);
    const prefix = uniqueTopicPrefix('threaded');
    try {
      await threaded.ensureTopics([{ name: `${prefix}.log`, partitions: 1 }]);
      await threaded.publish(`${prefix}.log`, [{ key: 'k', value: '{}' }]);
    } finally {
      await threaded.close();
      await deleteTopicsWithPrefix(brokers, prefix);
    }
    // kafkajs warns of the idempotent producer's retry limit when the thread's producer starts.
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringContaining('Limiting retries') }),
    );
  }, 60_000);

  it('name the build step when the compiled thread is missing', () => {
    expect(() => new ThreadedKafkaTransport(brokers, 'salesledger-test', undefined, {}, `${worker}.missing`)).toThrow(
      'npm run build',
    );
  });
});
