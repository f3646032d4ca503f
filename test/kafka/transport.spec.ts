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
});
