import { Pool } from 'pg';
import pino from 'pino';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { migrateOutbound } from '@salesledger/read-model/migrate';
import { Relay } from '@salesledger/transport/relay';
import { kafkaNames } from '@salesledger/transport/topics';
import { Transport, type Consumption, type TopicMessages } from '@salesledger/transport/transport.port';
import { logEvents } from '../support/events';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { organisationsLog } from '../projections/history';
import { appendHistory } from '../projections/store-history';
import { eventually } from './kafka-fixture';

/** A broker as a relay sees it: it keeps what it is sent, or refuses the next `refusing` sends. */
class RecordingBroker extends Transport {
  readonly positions: number[] = [];
  refused = 0;

  constructor(public refusing = 0) {
    super();
  }

  async send(batches: readonly TopicMessages[]): Promise<void> {
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

const [server] = postgresServers();

describe('relays standing by for one another', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createDatabase(server!);
    await migrateEventStore(database.url);
    await migrateOutbound(database.url);
    pool = new Pool({ connectionString: database.url, max: 8 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    await appendHistory(store, organisationsLog(3, 11, 60));
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  // Long beside the retries: a loaded CI machine must not make two quick refusals look like an outage.
  const options = { pollIntervalMs: 10, retryMs: 20, stepDownAfterMs: 1500 };
  const names = kafkaNames('leadership.');

  it('hand the log to a standby when the leading relay cannot reach the broker, which then gets every event', async () => {
    // given a relay leading with its broker out of reach
    const cutOff = new RecordingBroker(Infinity);
    const leader = new Relay(store, pool, cutOff, names, options);
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
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const leader = new Relay(store, pool, flaky, names, { ...options, log });
    leader.start();
    const standby = new Relay(store, pool, new RecordingBroker(), names, options);
    try {
      await eventually(
        'the first relay leading',
        async () => lines.some((line) => line.includes('relay publishing the event log')),
        (leading) => leading,
        { everyMs: 20 },
      );
      standby.start();
      await new Promise((resolve) => setTimeout(resolve, 2 * options.stepDownAfterMs));
      const published = flaky.positions.length;
      const before = (await logEvents(store)).length;
      // when its broker refuses two sends of what comes next
      flaky.refusing = 2;
      const appended = organisationsLog(1, 12, 20);
      await appendHistory(store, appended);
      // then it publishes that itself once the broker is back
      await eventually(
        'the leader publishing',
        async () => flaky.positions.length - published,
        (count) => count >= appended.length,
        { timeoutMs: 30_000, everyMs: 50 },
      );
      const logged = (await logEvents(store)).map((e) => e.position).slice(before);
      expect({ refused: flaky.refused, published: flaky.positions.slice(published) }).toEqual({
        refused: 2,
        published: logged,
      });
    } finally {
      await Promise.all([leader.stop(), standby.stop()]);
    }
  }, 60_000);
});
