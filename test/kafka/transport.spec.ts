import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
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

  it('rejoins its group after being dropped while it handled a batch, and is handed that batch again', async () => {
    const topic = `${prefix}.dropped`;
    const groupId = `${prefix}.dropped-group`;
    await transport.ensureTopics([{ name: topic, partitions: 1 }]);
    await transport.publish(topic, [{ key: 'k', value: '1' }]);
    // kafkajs stops a consumer for good on some errors, and the adapter then exits the process.
    const exits: unknown[] = [];
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: unknown) => exits.push(code)) as never);
    // The broker's shortest session: a batch handled for longer gets the member dropped.
    const member = new KafkaTransport(brokers, 'salesledger-test', undefined, { sessionTimeoutMs: 6000 });
    const deliveries: string[][] = [];
    const consumption = await member.consume({
      groupId,
      topic,
      handle: async (messages) => {
        deliveries.push(messages.map((message) => message.offset));
        if (deliveries.length === 1) await sleep(9000);
      },
    });
    try {
      // The refused commit left the offset where it was: the batch comes again, and its commit then holds.
      const deadline = Date.now() + 60_000;
      while (deliveries.length < 2 || (await transport.lag(groupId, topic)) > 0) {
        if (Date.now() > deadline) throw new Error(`still lagging after ${deliveries.length} deliveries`);
        await sleep(200);
      }
    } finally {
      await consumption.stop();
      await member.close();
      exit.mockRestore();
    }
    expect(exits).toEqual([]);
    expect(deliveries).toEqual([['0'], ['0']]);
  }, 90_000);
});
