import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import pino from 'pino';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { migrateOutbound, migrateReadModel } from '@salesledger/read-model/migrate';
import { LOCKS } from '@salesledger/postgres/advisory-locks';
import { outboundCheckpoint } from '@salesledger/read-model/outbound-checkpoints';
import { Relay, RELAY } from '@salesledger/transport/relay';
import { ScorecardFeed } from '@salesledger/transport/scorecard-feed';
import { kafkaNames } from '@salesledger/transport/topics';
import { Transport, type Consumption, type TopicMessages } from '@salesledger/transport/transport.port';
import { logEvents } from '../support/events';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { organisationsLog } from '../projections/history';
import { appendHistory } from '../projections/store-history';
import { eventually } from './kafka-fixture';

/**
 * A broker as a relay sees it: it keeps the log's positions it is sent, or refuses the next
 * `refusing` sends, and any send to a topic it is cut off from.
 */
class RecordingBroker extends Transport {
  readonly positions: number[] = [];
  refused = 0;

  constructor(
    public refusing = 0,
    private readonly cutOffFrom?: string,
  ) {
    super();
  }

  async send(batches: readonly TopicMessages[]): Promise<void> {
    if (batches.some((batch) => batch.topic === this.cutOffFrom)) {
      this.refused++;
      throw new Error(`${this.cutOffFrom} unreachable`);
    }
    if (this.refusing > 0) {
      this.refusing--;
      this.refused++;
      throw new Error('broker unreachable');
    }
    for (const message of batches[0]?.messages ?? []) this.positions.push(Number(message.headers?.position));
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

/** A broker that holds every send until it is released. */
class HoldingBroker extends RecordingBroker {
  sends = 0;
  release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  override async send(batches: readonly TopicMessages[]): Promise<void> {
    this.sends++;
    await this.released;
    return super.send(batches);
  }
}

const [server] = postgresServers();

describe('relays standing by for one another', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createDatabase(server!);
    await migrateEventStore(database.url);
    await migrateOutbound(database.url);
    await migrateReadModel(database.url);
    pool = new Pool({ connectionString: database.url, max: 8 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    await appendHistory(store, organisationsLog(3, 11, 60));
    // A scorecard change waiting for the feed: relays with a feed try to publish it whenever idle.
    await pool.query(
      `INSERT INTO ${READ_MODEL}.scorecard_changes (rep_id, grain, period) VALUES ('rep-1', 'month', '2025-03')`,
    );
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  // Long beside the retries: a loaded CI machine must not make two quick refusals look like an outage.
  const options = { pollIntervalMs: 10, retryMs: 20, stepDownAfterMs: 1500 };
  const names = kafkaNames('leadership.');

  it('hand the log to a standby when the leading relay cannot reach the broker, which then gets every event', async () => {
    // given a relay leading with its broker out of reach, and a scorecard change waiting for its feed
    const cutOff = new RecordingBroker(Infinity);
    const leader = new Relay(store, pool, cutOff, names, options, new ScorecardFeed(pool, cutOff, names.scorecards));
    leader.start();
    await eventually(
      'the first relay leading',
      async () => cutOff.refused,
      (refused) => refused > 0,
    );
    // when a second relay, which reaches the broker, stands by
    const reaching = new RecordingBroker();
    const standby = new Relay(store, pool, reaching, names, options);
    standby.start();
    // then it takes over and publishes the whole log
    const logged = (await logEvents(store)).map((e) => e.position);
    try {
      await eventually(
        'the standby publishing',
        async () => reaching.positions.length,
        (published) => published >= logged.length,
        { timeoutMs: 30_000, everyMs: 50 },
      );
    } finally {
      await Promise.all([leader.stop(), standby.stop()]);
    }
    expect(reaching.positions).toEqual(logged);
  }, 60_000);

  it('keep the lead where it is when the broker fails briefly after a long quiet spell', async () => {
    // given a leader that has published all there is and then had nothing to send for a while
    const flaky = new RecordingBroker();
    const stop = await leadWithStandby(flaky);
    try {
      await sleep(2 * options.stepDownAfterMs);
      // when its broker refuses two sends of what comes next
      flaky.refusing = 2;
      const { published, logged } = await publishNext(flaky, organisationsLog(1, 12, 20));
      // then it publishes that itself once the broker is back
      expect({ refused: flaky.refused, published }).toEqual({ refused: 2, published: logged });
    } finally {
      await stop();
    }
  }, 60_000);

  it('keep the lead where it is when only the scorecards feed cannot be published', async () => {
    // given a leader whose broker refuses the scorecards topic, with a scorecard change waiting
    const feedless = new RecordingBroker(0, names.scorecards);
    const stop = await leadWithStandby(feedless, new ScorecardFeed(pool, feedless, names.scorecards));
    try {
      // when the feed has failed for longer than a step-down waits, and then the log grows
      await eventually(
        'the feed failing for a while',
        async () => feedless.refused,
        (refused) => refused > 1,
      );
      await sleep(2 * options.stepDownAfterMs);
      const { published, logged } = await publishNext(feedless, organisationsLog(1, 13, 20));
      // then the leader publishes the log itself
      expect(published).toEqual(logged);
    } finally {
      await stop();
    }
  }, 60_000);

  it("keep the checkpoint where the new leader moved it when the deposed leader's page is acknowledged late", async () => {
    // given a leader whose first page of new events the broker has not acknowledged yet
    await appendHistory(store, organisationsLog(1, 14, 30));
    const holding = new HoldingBroker();
    const deposed = new Relay(store, pool, holding, names, { ...options, batchSize: 5 });
    deposed.start();
    try {
      await eventually(
        'the page sent',
        async () => holding.sends,
        (sends) => sends > 0,
      );
      // when it loses its lock (its session ends), and a standby takes over and publishes the rest
      await pool.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
          WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
            AND ((l.classid::bigint << 32) | l.objid::bigint) = $1`,
        [LOCKS.relayLeader],
      );
      const head = (await logEvents(store)).at(-1)?.checkpoint;
      const standby = new Relay(store, pool, new RecordingBroker(), names, options);
      standby.start();
      try {
        await eventually(
          'the standby at the head',
          () => outboundCheckpoint(pool, RELAY),
          (at) => at === head,
        );
      } finally {
        await standby.stop();
      }
      // and only then the broker acknowledges the deposed leader's page
      holding.release();
    } finally {
      await deposed.stop();
    }
    // then the checkpoint stays at the head
    expect(await outboundCheckpoint(pool, RELAY)).toBe((await logEvents(store)).at(-1)?.checkpoint);
  }, 60_000);

  /**
   * Starts a relay on `broker` and, once it leads (its own log line says so, not just any lock held
   * on the server), a standby that reaches the broker; returns what stops both.
   */
  async function leadWithStandby(broker: RecordingBroker, feed?: ScorecardFeed): Promise<() => Promise<void>> {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const leader = new Relay(store, pool, broker, names, { ...options, log }, feed);
    const standby = new Relay(store, pool, new RecordingBroker(), names, options);
    const stop = async () => void (await Promise.all([leader.stop(), standby.stop()]));
    leader.start();
    try {
      await eventually(
        'the first relay leading',
        async () => lines.some((line) => line.includes('relay publishing the event log')),
        (leading) => leading,
        { everyMs: 20 },
      );
    } catch (error) {
      await stop();
      throw error;
    }
    standby.start();
    return stop;
  }

  /** Appends `history`, waits until `broker` has been sent as many events more, and returns those beside the log's. */
  async function publishNext(broker: RecordingBroker, history: ReturnType<typeof organisationsLog>) {
    const sent = broker.positions.length;
    const before = (await logEvents(store)).length;
    await appendHistory(store, history);
    await eventually(
      'the leader publishing',
      async () => broker.positions.length - sent,
      (count) => count >= history.length,
      { timeoutMs: 30_000, everyMs: 50 },
    );
    const logged = (await logEvents(store)).map((e) => e.position).slice(before);
    return { published: broker.positions.slice(sent), logged };
  }
});
