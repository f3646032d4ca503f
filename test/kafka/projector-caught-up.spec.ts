import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { freshWithin } from '@salesledger/platform/projection-lag';
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

/**
 * A read model that has applied the whole log from the store (the highest position applied is the
 * head), while Kafka has none of it yet: what "caught up" and "fresh" must not be fooled by.
 */
describeWithKafka('the read model caught up, and fresh enough for alerts, in Kafka mode', (brokers) => {
  const prefix = uniqueTopicPrefix('caught-up');
  let worlds = 0;
  let world: KafkaWorld;
  let transport: KafkaTransport;
  let runtime: Parameters<typeof caughtUp>[0];

  beforeEach(async () => {
    world = await KafkaWorld.create(server!, brokers, `${prefix}.${++worlds}.`);
    transport = new KafkaTransport(brokers, 'salesledger-test');
    await appendLog(world, organisationsLog(2, 7, 20));
    for (const projection of PROJECTIONS) await new ProjectionRunner(world.store, world.pool, projection).catchUp();
    runtime = { readModel: world.pool, eventStore: world.store, kafka: { transport, names: world.names } };
  }, 120_000);
  afterEach(async () => {
    await transport.close();
    await world.close();
  });
  afterAll(() => deleteTopicsWithPrefix(brokers, prefix));

  const publishTheLog = () => new Relay(world.store, world.pool, transport, world.names).publishPending();
  /** The projector groups consume the topic until `done` holds. */
  async function consumeUntil(done: () => Promise<boolean>): Promise<void> {
    const members = await Promise.all(
      PROJECTIONS.map((projection) =>
        consumeProjection({ transport, names: world.names }, world.pool, projection, pino({ level: 'silent' })),
      ),
    );
    try {
      await eventually('every group to commit the log', done, Boolean, { timeoutMs: 90_000 });
    } finally {
      await Promise.all(members.map((member) => member.stop()));
    }
  }

  it('is caught up only once the relay has published the head and every projector group has committed it', async () => {
    expect(await caughtUp({ ...runtime, kafka: undefined })).toBe(true);
    // The head applied says nothing of the partitions: none of the log is on the topic yet,
    expect(await caughtUp(runtime)).toBe(false);
    // then all of it is, and no projector group has committed it.
    await publishTheLog();
    expect(await caughtUp(runtime)).toBe(false);
    await consumeUntil(() => caughtUp(runtime));
  }, 180_000);

  it('is not fresh for alerts while a projector group leaves uncommitted what was sent longer ago than the tolerance', async () => {
    // (What the relay has yet to send shows in the projections' own lag: they apply only what it sent.)
    await publishTheLog();
    // Just sent: within 30 s, though no group has committed any of it,
    expect(await freshWithin(runtime, 30)).toBe(true);
    // but not within 1 s once it has waited longer than that,
    await sleep(1_500);
    expect(await freshWithin(runtime, 1)).toBe(false);
    expect(await freshWithin({ ...runtime, kafka: undefined }, 1)).toBe(true);
    // until every group has committed it.
    await consumeUntil(() => freshWithin(runtime, 1));
  }, 180_000);
});
