import pino from 'pino';
import { consumeProjection } from '@salesledger/projector/projector';
import type { Runtime } from '@salesledger/platform/runtime';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { Relay } from '@salesledger/transport/relay';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { deleteTopicsWithPrefix, describeWithKafka, uniqueTopicPrefix } from '../support/kafka';
import { postgresServers } from '../support/postgres-servers';
import { organisationsLog } from '../projections/history';
import { appendHistory } from '../projections/store-history';
import { eventually } from './kafka-fixture';

const [server] = postgresServers();

describeWithKafka("the projections' lag in Kafka mode, over HTTP", (brokers) => {
  const prefix = uniqueTopicPrefix('projection-lag');
  let api: ApiUnderTest;
  let kafka: NonNullable<Runtime['kafka']>;

  beforeAll(async () => {
    api = await startApi(server!, { KAFKA_BROKERS: brokers.join(','), SALESLEDGER_KAFKA_PREFIX: `${prefix}.` });
    kafka = api.runtime.kafka!;
  }, 120_000);
  afterAll(async () => {
    await api.close();
    await deleteTopicsWithPrefix(brokers, prefix);
  });

  const lags = async () => {
    const { status, body } = await api.call('GET', '/v1/admin/projections');
    expect(status).toBe(200);
    return new Map((body as { name: string; lagEvents: number }[]).map((s) => [s.name, s.lagEvents]));
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${await api.app.getUrl()}/metrics`)).text();
    return [...text.matchAll(new RegExp(`^${name}\\{projection="([^"]+)"\\} (\\d+)$`, 'gm'))].map(
      ([, projection, value]) => [projection, Number(value)],
    );
  };
  const metricLags = () => metric('salesledger_projection_lag_events');

  it('counts what the relay has not published and what each group has not committed, down to 0 once committed', async () => {
    await appendHistory(api.runtime.eventStore, organisationsLog(2, 7, 20));
    const head = (await api.runtime.eventStore.head())!.position;
    // Applied from the log, as a projector without Kafka would: the highest position is the head.
    await api.project();
    const everyProjection = (lag: number) => new Map(PROJECTIONS.map((p) => [p.name, lag]));

    // None of the log on the topic yet:
    expect(await lags()).toEqual(everyProjection(head));
    // all of it there, no group has committed any:
    await new Relay(api.runtime.eventStore, api.runtime.readModel, kafka.transport, kafka.names).publishPending();
    expect(await lags()).toEqual(everyProjection(head));
    expect(await metricLags()).toEqual(PROJECTIONS.map((p) => [p.name, head]));

    const members = await Promise.all(
      PROJECTIONS.map((projection) =>
        consumeProjection(kafka, api.runtime.readModel, projection, pino({ level: 'silent' })),
      ),
    );
    try {
      await eventually('every group to commit the log', lags, (now) => [...now.values()].every((lag) => lag === 0), {
        timeoutMs: 90_000,
      });
      expect(await metricLags()).toEqual(PROJECTIONS.map((p) => [p.name, 0]));
    } finally {
      await Promise.all(members.map((member) => member.stop()));
    }
  }, 180_000);

  it('answers 503, and /metrics leaves the lag out (the rest stays), rather than the log alone when the broker does not answer', async () => {
    const refused = jest.spyOn(kafka.transport, 'lag').mockRejectedValue(new Error('connection refused'));
    try {
      expect(await api.call('GET', '/v1/admin/projections')).toMatchObject({
        status: 503,
        body: { message: 'Kafka did not answer: connection refused' },
      });
      expect(await metricLags()).toEqual([]);
      expect(await metric('salesledger_projection_failed')).toEqual(PROJECTIONS.map((p) => [p.name, 0]));
      refused.mockReturnValue(new Promise(() => undefined));
      expect(await api.call('GET', '/v1/admin/projections')).toMatchObject({
        status: 503,
        body: { message: 'Kafka did not answer within 5 s' },
      });
    } finally {
      refused.mockRestore();
    }
    expect((await api.call('GET', '/v1/admin/projections')).status).toBe(200);
  }, 30_000);
});
