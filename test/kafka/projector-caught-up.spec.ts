import pino from 'pino';
import { caughtUp, consumeProjection } from '@salesledger/projector/projector';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { eventMessage } from '@salesledger/transport/relay';
import { describeWithKafka, uniqueTopicPrefix } from '../support/kafka';
import { postgresServers } from '../support/postgres-servers';
import { organisationsLog } from '../projections/history';
import { appendLog, eventually, KafkaWorld } from './kafka-fixture';

const [server] = postgresServers();

describeWithKafka('the projector, caught up in Kafka mode', (brokers) => {
  let world: KafkaWorld;
  let transport: KafkaTransport;

  beforeAll(async () => {
    world = await KafkaWorld.create(server!, brokers, `${uniqueTopicPrefix('caught-up')}.`);
    transport = new KafkaTransport(brokers, 'salesledger-test');
  }, 120_000);
  afterAll(async () => {
    await transport.close();
    await world.close();
  });

  it('only once every projector group has committed the events topic, though the head is applied', async () => {
    await appendLog(world, organisationsLog(2, 7, 20));
    for (const projection of PROJECTIONS) await new ProjectionRunner(world.store, world.pool, projection).catchUp();
    const runtime = { readModel: world.pool, eventStore: world.store, kafka: { transport, names: world.names } };
    expect(await caughtUp({ ...runtime, kafka: undefined })).toBe(true);

    // A partition still holding an event: the highest position applied says nothing of it.
    const [first] = await world.store.readAll(null, 1);
    await transport.publish(world.names.events, [eventMessage(first!)]);
    expect(await caughtUp(runtime)).toBe(false);

    const members = await Promise.all(
      PROJECTIONS.map((projection) =>
        consumeProjection({ transport, names: world.names }, world.pool, projection, pino({ level: 'silent' })),
      ),
    );
    try {
      await eventually('every group to commit the event', () => caughtUp(runtime), Boolean, { timeoutMs: 60_000 });
    } finally {
      await Promise.all(members.map((member) => member.stop()));
    }
  }, 120_000);
});
