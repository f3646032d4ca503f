import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import Big from 'big.js';
import { publicStreamId, toIntegrationEvent, type IntegrationEvent } from '@salesledger/contracts/integration-event';
import { validateIntegrationEvent } from '@salesledger/contracts/integration-event-schemas';
import { alertDecider } from '@salesledger/domain/alerts/alert.decider';
import { handleCommand } from '@salesledger/domain/command-handler';
import type { RecordedEvent } from '@salesledger/domain/event';
import { streams } from '@salesledger/domain/streams';
import { KafkaTransport } from '@salesledger/transport/kafka.transport';
import { Relay } from '@salesledger/transport/relay';
import { describeWithKafka, deleteTopicsWithPrefix, uniqueTopicPrefix } from '../support/kafka';
import { logEvents } from '../support/events';
import { postgresServers } from '../support/postgres-servers';
import { organisationsLog } from '../projections/history';
import { appendLog, eventually, KafkaWorld } from './kafka-fixture';

const KAFKA_SH = resolve(__dirname, '../../deploy/kafka/kafka.sh');
const [server] = postgresServers();

describeWithKafka('the relay from the event log to Kafka', (brokers) => {
  const prefix = uniqueTopicPrefix('relay');
  let world: KafkaWorld;
  let stored: number;

  beforeAll(async () => {
    world = await KafkaWorld.create(server!, brokers, `${prefix}.`);
    await appendLog(world, organisationsLog(100, 11, 120));
    stored = await world.head();
  }, 120_000);
  afterAll(async () => {
    await world.close();
    await deleteTopicsWithPrefix(brokers, prefix);
  });

  it('survives kill -9 mid-stream: after a restart every stored event is on the topic, each valid per its schema', async () => {
    // Killed as soon as its first page is acknowledged: the relay publishes this log's six pages in
    // a few hundred milliseconds, so a slower look could find it done.
    let relay = world.spawn('relay');
    await eventually(
      'relay progress',
      () => world.relayed(),
      (at) => at > 0,
      { everyMs: 5 },
    );
    await world.kill(relay, 'SIGKILL');
    const atKill = await world.relayed();
    relay = world.spawn('relay');
    await eventually(
      'relay at head',
      () => world.relayed(),
      (at) => at === stored,
    );
    await world.kill(relay);

    const messages = await world.readTopic(world.names.events);
    const logged = new Map((await logEvents(world.store)).map((e) => [e.position, e]));
    const positions = new Set<number>();
    for (const message of messages) {
      const event = JSON.parse(message.value as string) as IntegrationEvent;
      expect(validateIntegrationEvent(event)).toEqual({ valid: true });
      // Its data went out as the JSON text the store holds: the same message as built from the parsed event.
      expect(event).toEqual(toIntegrationEvent(logged.get(event.position) as RecordedEvent));
      expect(message.key).toBe(event.streamId);
      expect(message.headers).toMatchObject({
        'event-id': event.id,
        'event-type': event.type,
        position: String(event.position),
      });
      positions.add(event.position);
    }
    const all = [...logged.keys()];
    expect([...positions].sort((a, b) => a - b)).toEqual(all.sort((a, b) => a - b));
    // At least once, not many times: at most the page in flight at the kill was sent twice.
    expect(messages.length - all.length).toBeLessThanOrEqual(1000);
    expect(atKill).toBeLessThan(stored);
  }, 240_000);

  it("keeps each stream's events in order on one partition, under the stream's public id", async () => {
    const messages = await world.readTopic(world.names.events);
    const byKey = new Map<string, { partition: number; revisions: number[] }>();
    for (const message of messages) {
      const event = JSON.parse(message.value as string) as IntegrationEvent;
      const seen = byKey.get(message.key) ?? { partition: message.partition, revisions: [] };
      expect(message.partition).toBe(seen.partition);
      seen.revisions.push(event.revision);
      byKey.set(message.key, seen);
    }
    for (const { revisions } of byKey.values()) {
      const firstCopies = revisions.filter((revision, i) => revisions.indexOf(revision) === i);
      expect(firstCopies).toEqual([...firstCopies].sort((a, b) => a - b));
    }
    for (const event of await logEvents(world.store)) expect(byKey.has(publicStreamId(event.streamId))).toBe(true);
  }, 120_000);

  it("can be read in full by Apache Kafka's own console consumer", async () => {
    expect(await world.relayed()).toBe(stored); // published by the kill -9 case above
    // The kill -9 case may have sent a page twice: read every message on the topic, copies included.
    const onTopic = (await world.readTopic(world.names.events)).length;
    const { stdout } = await promisify(execFile)(
      'bash',
      [
        KAFKA_SH,
        'console-consumer',
        world.names.events,
        '--bootstrap-server',
        brokers.join(','),
        '--from-beginning',
        '--max-messages',
        String(onTopic),
        '--timeout-ms',
        '60000',
      ],
      { maxBuffer: 256 * 1024 * 1024, timeout: 180_000 },
    );
    const ids = new Set(
      stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as IntegrationEvent).position),
    );
    expect(ids.size).toBe(stored);
  }, 240_000);
});

describeWithKafka('the BI feeds', (brokers) => {
  const prefix = uniqueTopicPrefix('feeds');
  let world: KafkaWorld;

  beforeAll(async () => {
    world = await KafkaWorld.create(server!, brokers, `${prefix}.`);
    await appendLog(world, organisationsLog(10, 21, 120));
    const apps = [world.spawn('relay'), world.spawn('projector')];
    await world.settled();
    // The relay also publishes the changed scorecards, once the projector has made them.
    await eventually(
      'scorecard feed drained',
      () => pendingScorecards(world),
      (n) => n === 0,
    );
    for (const app of apps) await world.kill(app);
  }, 300_000);
  afterAll(async () => {
    await world.close();
    await deleteTopicsWithPrefix(brokers, prefix);
  });

  it('lets a consumer starting from the beginning of the events topic rebuild the scorecard totals', async () => {
    // A BI team's own computation from the public events: each order's latest version, by rep and placed-at month.
    const orders = new Map<string, { repId: string; month: string; amount: string; cancelled: boolean }>();
    for (const message of await world.readTopic(world.names.events)) {
      const event = JSON.parse(message.value as string) as IntegrationEvent;
      const data = event.data as Record<string, string>;
      if (event.type === 'OrderPlaced')
        orders.set(event.streamId, {
          repId: data.repId!,
          month: new Date(data.placedAt!).toISOString().slice(0, 7),
          amount: data.netAmount!,
          cancelled: false,
        });
      else if (event.type === 'OrderAmended') Object.assign(orders.get(event.streamId)!, { amount: data.netAmount });
      else if (event.type === 'OrderCancelled') Object.assign(orders.get(event.streamId)!, { cancelled: true });
    }
    const rebuilt = new Map<string, { actual: Big; orders: number }>();
    for (const order of orders.values()) {
      if (order.cancelled) continue;
      const key = `${order.repId}|month|${order.month}`;
      const total = rebuilt.get(key) ?? { actual: new Big(0), orders: 0 };
      rebuilt.set(key, { actual: total.actual.plus(order.amount), orders: total.orders + 1 });
    }

    // The compacted scorecards topic: the latest value per key.
    const latest = new Map<string, Record<string, unknown> | null>();
    for (const message of await world.readTopic(world.names.scorecards))
      latest.set(message.key, message.value === null ? null : JSON.parse(message.value));
    const published = new Map(
      [...latest]
        .filter(([key, card]) => key.includes('|month|') && card !== null && Number(card.orders) > 0)
        .map(([key, card]) => [key, { actual: new Big(card!.actual as number).toFixed(2), orders: card!.orders }]),
    );
    expect(published.size).toBeGreaterThan(10);
    expect(published).toEqual(
      new Map([...rebuilt].map(([key, total]) => [key, { actual: total.actual.toFixed(2), orders: total.orders }])),
    );
    // And the topic agrees with the read model the API serves.
    const { rows } = await world.pool.query(
      `SELECT count(*)::int AS n FROM read_model.scorecards WHERE grain = 'month' AND orders > 0`,
    );
    expect(rows[0].n).toBe(published.size);
  }, 240_000);

  it('publishes alert events to the alerts topic, keyed by the alert, in the order they happened', async () => {
    const transport = new KafkaTransport(brokers, 'salesledger-test');
    try {
      const decision = {
        rule: 'lost-customers' as const,
        repId: 'r-1',
        teamId: 't-1',
        period: '2026-03',
        severity: 'warning' as const,
        evidence: { summary: '3 customers lost', figures: { lost: 3, threshold: 3 }, positions: [1, 2, 3] },
      };
      const stream = streams.alert(decision.rule, decision.repId, decision.period);
      const now = '2026-03-20T18:00:00.000Z';
      for (const command of [
        { kind: 'raise' as const, alertId: 'a-1', decision, now },
        { kind: 'resolve' as const, alertId: 'a-1', reason: 'condition-cleared' as const, now },
      ])
        await handleCommand(world.store, stream, alertDecider, command, {
          commandId: `${command.kind}-a-1`,
          correlationId: 'c',
          actor: { userId: 'alert-worker', role: 'system' },
          now: new Date(now),
        });
      await new Relay(world.store, world.pool, transport, world.names).publishPending();
    } finally {
      await transport.close();
    }
    const alerts = (await world.readTopic(world.names.alerts)).map((m) => ({
      key: m.key,
      type: m.headers['event-type'],
    }));
    expect(alerts).toEqual([
      { key: 'alert-lost-customers-r-1-2026-03', type: 'AlertRaised' },
      { key: 'alert-lost-customers-r-1-2026-03', type: 'AlertResolved' },
    ]);
  }, 120_000);
});

async function pendingScorecards(world: KafkaWorld): Promise<number> {
  const { rows } = await world.pool.query(`SELECT count(*)::int AS n FROM read_model.scorecard_changes`);
  return rows[0].n;
}
