import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { migrateOutbound } from '@salesledger/read-model/migrate';
import type { RecordedEvent } from '@salesledger/domain/event';
import { outboundCheckpoint } from '@salesledger/read-model/outbound-checkpoints';
import { RELAY, Relay } from '@salesledger/transport/relay';
import { kafkaNames } from '@salesledger/transport/topics';
import { Transport, type Consumption, type TopicMessages } from '@salesledger/transport/transport.port';
import { logEvents } from '../support/events';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { organisationsLog } from '../projections/history';
import { appendHistory } from '../projections/store-history';
import { eventually } from './kafka-fixture';

/** A broker that acknowledges or refuses each send when the spec says, or at once once told to. */
class HeldBroker extends Transport {
  override readonly sendsMayOverlap: boolean;
  readonly sends: { positions: number[]; acknowledge: () => void; refuse: (error: Error) => void }[] = [];
  acknowledging = false;

  constructor(overlapping: boolean) {
    super();
    this.sendsMayOverlap = overlapping;
  }

  send(batches: readonly TopicMessages[]): Promise<void> {
    const positions = (batches[0]?.messages ?? []).map((message) => Number(message.headers?.position));
    if (this.acknowledging) {
      this.sends.push({ positions, acknowledge: () => undefined, refuse: () => undefined });
      return Promise.resolve();
    }
    return new Promise((acknowledge, refuse) => this.sends.push({ positions, acknowledge, refuse }));
  }

  acknowledgeAll(): void {
    this.acknowledging = true;
    for (const send of this.sends) send.acknowledge();
  }

  async ensureTopics(): Promise<void> {}
  consume(): Promise<Consumption> {
    throw new Error('the relay only publishes');
  }
  lag(): Promise<number> {
    throw new Error('the relay only publishes');
  }
  async close(): Promise<void> {}
}

const [server] = postgresServers();
const PAGE = 10;

describe('a relay sending pages before the ones before them are acknowledged', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let store: PostgresEventStore;
  let log: RecordedEvent[];
  let logged: number[];
  const names = kafkaNames('in-flight.');
  const pages = () =>
    Array.from({ length: Math.ceil(logged.length / PAGE) }, (_, i) => logged.slice(i * PAGE, (i + 1) * PAGE));
  const sent = (broker: HeldBroker) => broker.sends.length;
  /** The relay's checkpoint, null before its first page. */
  const checkpoint = () => outboundCheckpoint(pool, RELAY);
  /** The checkpoint once the first `count` pages are published. */
  const after = (count: number) => (log[Math.min(count * PAGE, log.length) - 1] as RecordedEvent).checkpoint;

  beforeAll(async () => {
    database = await createDatabase(server!);
    await migrateEventStore(database.url);
    await migrateOutbound(database.url);
    pool = new Pool({ connectionString: database.url, max: 4 });
    store = new PostgresEventStore(pool);
    await appendHistory(store, organisationsLog(3, 21, 60));
    log = await logEvents(store);
    logged = log.map((event) => event.position);
  });
  beforeEach(() => pool.query(`DELETE FROM outbound.relay_checkpoints`));
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('has at most four unacknowledged, and checkpoints a page only once every page before it is acknowledged', async () => {
    expect(pages().length).toBeGreaterThan(8);
    // given a relay publishing the log through a broker that lets sends overlap
    const broker = new HeldBroker(true);
    const publishing = new Relay(store, pool, broker, names, { batchSize: PAGE }).publishPending();
    publishing.catch(() => undefined);
    await eventually(
      'four pages sent',
      async () => sent(broker),
      (n) => n >= 4,
      { everyMs: 10 },
    );
    await sleep(200);
    expect(sent(broker)).toBe(4);
    // when the broker acknowledges the last three first
    for (const send of broker.sends.slice(1)) send.acknowledge();
    await sleep(200);
    // then nothing is checkpointed, and nothing more is sent
    expect({ sent: sent(broker), checkpoint: await checkpoint() }).toEqual({ sent: 4, checkpoint: null });
    // when it acknowledges the first
    broker.sends[0]!.acknowledge();
    await eventually(
      'four more pages sent',
      async () => sent(broker),
      (n) => n >= 8,
      { everyMs: 10 },
    );
    // then the checkpoint passes all four, and four more are in flight
    await eventually('the checkpoint past four pages', checkpoint, (at) => at === after(4), { everyMs: 10 });
    await sleep(200);
    expect({ sent: sent(broker), checkpoint: await checkpoint() }).toEqual({ sent: 8, checkpoint: after(4) });
    // and once every send is acknowledged the whole log has been sent once, in order
    broker.acknowledgeAll();
    expect(await publishing).toBe(logged.length);
    expect(broker.sends.map((send) => send.positions)).toEqual(pages());
    expect(await checkpoint()).toBe(after(pages().length));
  }, 60_000);

  it('stops at a refused page, leaving the checkpoint before it, and sends again from there when next run', async () => {
    // given four pages in flight
    const refusing = new HeldBroker(true);
    const publishing = new Relay(store, pool, refusing, names, { batchSize: PAGE }).publishPending();
    publishing.catch(() => undefined);
    await eventually(
      'four pages sent',
      async () => sent(refusing),
      (n) => n >= 4,
      { everyMs: 10 },
    );
    // when the second is refused and the others acknowledged
    const [first, second, ...rest] = refusing.sends;
    for (const send of [first!, ...rest]) send.acknowledge();
    second!.refuse(new Error('broker unreachable'));
    // then publishing fails with the checkpoint after the first page
    await expect(publishing).rejects.toThrow('broker unreachable');
    expect(await checkpoint()).toBe(after(1));
    // and the next run sends everything from the second page on
    const next = new HeldBroker(true);
    next.acknowledgeAll();
    await new Relay(store, pool, next, names, { batchSize: PAGE }).publishPending();
    expect(next.sends.map((send) => send.positions)).toEqual(pages().slice(1));
    expect(await checkpoint()).toBe(after(pages().length));
  }, 60_000);

  it('stops when its checkpoint cannot be written, and the next run sends again from the checkpoint', async () => {
    // given a database that refuses the relay's first checkpoint write
    const refusing = new Pool({ connectionString: database.url, max: 2 });
    const query = refusing.query.bind(refusing) as (...args: unknown[]) => Promise<unknown>;
    let refused = 0;
    (refusing as unknown as { query: typeof query }).query = async (...args: unknown[]) => {
      if (refused === 0 && String(args[0]).trimStart().startsWith('UPDATE')) {
        refused++;
        throw new Error('the checkpoint could not be written');
      }
      return query(...args);
    };
    const broker = new HeldBroker(true);
    broker.acknowledgeAll();
    try {
      // when the relay publishes
      const publishing = new Relay(store, refusing, broker, names, { batchSize: PAGE }).publishPending();
      // then it stops with that reason, and the checkpoint has not moved
      await expect(publishing).rejects.toThrow('the checkpoint could not be written');
      expect(await checkpoint()).toBeNull();
    } finally {
      await refusing.end();
    }
    // and the next run sends the log from its start
    const next = new HeldBroker(true);
    next.acknowledgeAll();
    await new Relay(store, pool, next, names, { batchSize: PAGE }).publishPending();
    expect(next.sends.map((send) => send.positions)).toEqual(pages());
    expect(await checkpoint()).toBe(after(pages().length));
  }, 60_000);

  it('sends one page at a time through a transport whose sends must not overlap', async () => {
    const broker = new HeldBroker(false);
    const publishing = new Relay(store, pool, broker, names, { batchSize: PAGE }).publishPending();
    await eventually(
      'a page sent',
      async () => sent(broker),
      (n) => n >= 1,
      { everyMs: 10 },
    );
    await sleep(200);
    expect(sent(broker)).toBe(1);
    broker.sends[0]!.acknowledge();
    await eventually(
      'the next page sent',
      async () => sent(broker),
      (n) => n >= 2,
      { everyMs: 10 },
    );
    await eventually('the checkpoint past the first page', checkpoint, (at) => at === after(1), { everyMs: 10 });
    broker.acknowledgeAll();
    expect(await publishing).toBe(logged.length);
  }, 60_000);
});
