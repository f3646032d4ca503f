import pino from 'pino';
import { caughtUp, consumeProjection } from '@salesledger/projector/projector';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { Relay } from '@salesledger/transport/relay';
import { deleteTopicsWithPrefix, describeWithKafka, uniqueTopicPrefix } from '../support/kafka';
import { postgresServers } from '../support/postgres-servers';
import { organisationsLog } from '../projections/history';
import { appendLog, eventually, KafkaWorld } from './kafka-fixture';

const [server] = postgresServers();

describeWithKafka('the projector, caught up in Kafka mode', (brokers) => {
  const prefix = uniqueTopicPrefix('caught-up');
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

  it('only once the relay has published the head and every projector group has committed it', async () => {
    await appendLog(world, organisationsLog(2, 7, 20));
    for (const projection of PROJECTIONS) await new ProjectionRunner(world.store, world.pool, projection).catchUp();
    const runtime = { readModel: world.pool, eventStore: world.store, kafka: { transport, names: world.names } };
    expect(await caughtUp({ ...runtime, kafka: undefined })).toBe(true);

    // The head applied says nothing of the partitions: none of the log is on the topic yet,
    expect(await caughtUp(runtime)).toBe(false);
    // then all of it is, and no projector group has committed it.
    await new Relay(world.store, world.pool, transport, world.names).publishPending();
    expect(await caughtUp(runtime)).toBe(false);

    const members = await Promise.all(
      PROJECTIONS.map((projection) =>
        consumeProjection({ transport, names: world.names }, world.pool, projection, pino({ level: 'silent' })),
      ),
    );
    try {
      await eventually('every group to commit the log', () => caughtUp(runtime), Boolean, { timeoutMs: 90_000 });
    } finally {
      await Promise.all(members.map((member) => member.stop()));
    }
  }, 180_000);
});
