import { setTimeout as sleep } from 'node:timers/promises';
import type { IntegrationEvent } from '@salesledger/contracts/integration-event';
import type { RecordedEvent } from '@salesledger/domain/event';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { loadRdKafka, RdKafkaTransport } from '@salesledger/transport/rdkafka.transport';
import { describeWithKafka, privateBroker, readTopic, uniqueTopicPrefix, type PrivateBroker } from '../support/kafka';
import { logEvents } from '../support/events';
import { postgresServers } from '../support/postgres-servers';
import { tableDifferences } from '../projections/tables';
import { organisationsLog } from '../projections/history';
import { appendLog, eventually, KafkaWorld } from './kafka-fixture';

const [server] = postgresServers();

/** Appends the log in slices while `during` runs, so faults land mid-stream. */
async function appendWhile(world: KafkaWorld, log: RecordedEvent[], slices: number, gapMs: number) {
  const size = Math.ceil(log.length / slices);
  for (let i = 0; i < log.length; i += size) {
    await appendLog(world, log.slice(i, i + size));
    await sleep(gapMs);
  }
}

describeWithKafka('projector replicas as a consumer group', (brokers) => {
  let world: KafkaWorld;

  beforeAll(async () => {
    world = await KafkaWorld.create(server!, brokers, `${uniqueTopicPrefix('replicas')}.`);
  }, 120_000);
  afterAll(() => world.close());

  it('ends with the read model of a single replay when one of two replicas stops mid-stream and a third joins', async () => {
    const relay = world.spawn('relay');
    const first = world.spawn('projector');
    const second = world.spawn('projector');
    const log = organisationsLog(60, 31, 120);
    const appending = appendWhile(world, log, 6, 400);
    // Mid-stream: some of the log projected, the rest still coming.
    await eventually(
      'projection progress',
      () => world.projectedEvents(),
      (n) => n > 0,
      { everyMs: 20 },
    );
    await world.kill(second, 'SIGKILL');
    const third = world.spawn('projector');
    await appending;
    await world.settledAndStopped([relay, first, third]);
    expect(tableDifferences(await world.servedTables(), await world.referenceTables())).toEqual([]);
  }, 300_000);
});

describeWithKafka('the broker going away mid-stream', () => {
  let broker: PrivateBroker;
  let world: KafkaWorld;

  beforeAll(async () => {
    // A broker of this spec's own: stopping the shared one would break specs running alongside.
    broker = await privateBroker();
    world = await KafkaWorld.create(server!, broker.brokers, `${uniqueTopicPrefix('outage')}.`);
  }, 240_000);
  afterAll(async () => {
    await world.close();
    await broker.destroy();
  });

  it('loses no event from the topic and counts no scorecard figure twice when it stops and restarts', async () => {
    const apps = [world.spawn('relay'), world.spawn('projector')];
    const log = organisationsLog(50, 41, 120);
    await appendLog(world, log.slice(0, log.length / 2));
    await eventually(
      'projection progress',
      () => world.projectedEvents(),
      (n) => n > 0,
      { everyMs: 20 },
    );
    await broker.stop();
    // The log keeps growing while Kafka is away.
    await appendLog(world, log.slice(log.length / 2));
    await sleep(2000);
    await broker.start();
    await world.settledAndStopped(apps);

    const onTopic = new Set(
      (await world.readTopic(world.names.events)).map(
        (m) => (JSON.parse(m.value as string) as IntegrationEvent).position,
      ),
    );
    const stored = (await logEvents(world.store)).map((e) => e.position);
    expect(stored.filter((position) => !onTopic.has(position))).toEqual([]);
    expect(tableDifferences(await world.servedTables(), await world.referenceTables())).toEqual([]);
  }, 400_000);

  it('fails a librdkafka send that goes unacknowledged, and delivers its messages ahead of later sends once back', async () => {
    const rdkafka = loadRdKafka();
    if (rdkafka instanceof Error) return; // transport.spec says so loudly
    const transport = new RdKafkaTransport(rdkafka, broker.brokers, 'salesledger-test', undefined, {
      sendTimeoutMs: 3000,
    });
    const reader = new KafkaTransport(broker.brokers, 'salesledger-test');
    const topic = `${world.names.events}.unacknowledged`;
    try {
      await transport.ensureTopics([{ name: topic, partitions: 1 }]);
      await transport.publish(topic, [{ key: 'k', value: '"connected"' }]);
      await broker.stop();
      const unacknowledged = transport.publish(topic, [{ key: 'k', value: '"while away"' }]);
      await expect(unacknowledged).rejects.toThrow('not acknowledged within 3000 ms');
      // Issued while its predecessor's message waits in the queue; it may time out too while the broker starts.
      const later = transport.publish(topic, [{ key: 'k', value: '"later"' }]).catch(() => undefined);
      await broker.start();
      await later;
      // The client reconnects in its own time (up to its 10 s backoff).
      await eventually(
        'the queued messages delivered',
        // The broker may refuse offset requests while it starts.
        () => reader.lag(`${topic}.nobody`, topic).catch(() => 0),
        (n) => n >= 3,
      );
      await transport.publish(topic, [{ key: 'k', value: '"once back"' }]);
    } finally {
      await transport.close();
      await reader.close();
    }
    const values = (await readTopic(broker.brokers, topic, `${topic}.group`)).map(({ value }) => value);
    expect(values).toEqual(['"connected"', '"while away"', '"later"', '"once back"']);
  }, 240_000);
});
