import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { freshWithin } from '@salesledger/platform/projection-lag';
import { consumeProjection } from '@salesledger/projector/projector';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { Relay } from '@salesledger/transport/relay';
import { deleteTopicsWithPrefix, describeWithKafka, uniqueTopicPrefix } from '../support/kafka';
import { postgresServers } from '../support/postgres-servers';
import { organisationsLog } from '../projections/history';
import { appendLog, eventually, KafkaWorld } from './kafka-fixture';

const [server] = postgresServers();

describeWithKafka('a read model fresh enough for alerts, in Kafka mode', (brokers) => {
  const prefix = uniqueTopicPrefix('alert-freshness');
  let world: KafkaWorld;
  let transport: KafkaTransport;

  beforeAll(async () => {
    world = await KafkaWorld.create(server!, brokers, `${prefix}.`);
    transport = new KafkaTransport(brokers, 'salesledger-test');
  }, 120_000);
  afterAll(async () => {
    await transport.close();
    await world.close();
    await deleteTopicsWithPrefix(brokers, prefix);
  });

  it('is not while the relay or a projector group trails by more than the tolerance, though the head is applied', async () => {
    await appendLog(world, organisationsLog(2, 7, 20));
    for (const projection of PROJECTIONS) await new ProjectionRunner(world.store, world.pool, projection).catchUp();
    const runtime = { readModel: world.pool, eventStore: world.store, kafka: { transport, names: world.names } };
    expect(await freshWithin({ ...runtime, kafka: undefined }, 1)).toBe(true);

    // The log spans months of recorded time, and the relay has published none of it:
    expect(await freshWithin(runtime, 1)).toBe(false);
    // now all of it, just sent: within 30 s, though no group has committed any,
    await new Relay(world.store, world.pool, transport, world.names).publishPending();
    expect(await freshWithin(runtime, 30)).toBe(true);
    // but not within 1 s once it has waited longer than that.
    await sleep(1_500);
    expect(await freshWithin(runtime, 1)).toBe(false);

    const members = await Promise.all(
      PROJECTIONS.map((projection) =>
        consumeProjection({ transport, names: world.names }, world.pool, projection, pino({ level: 'silent' })),
      ),
    );
    try {
      await eventually('every group to commit the log', () => freshWithin(runtime, 1), Boolean, { timeoutMs: 90_000 });
    } finally {
      await Promise.all(members.map((member) => member.stop()));
    }
  }, 180_000);
});
