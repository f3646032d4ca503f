import fc from 'fast-check';
import { Pool } from 'pg';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { listenForAppends } from '@salesledger/read-model/append-listener';
import { AppendWakeup, notifyingAppends } from '@salesledger/read-model/append-wakeup';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { buildHistory, historyArbitrary } from './history';
import { appendHistory } from './store-history';

const [embedded] = postgresServers();
const [projection] = PROJECTIONS;
// Far longer than the spec may take: a runner that polled would not see the appends in time.
const POLL_MS = 60_000;

describe('a projection runner woken by appends', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let stores: PostgresEventStore[] = [];

  beforeAll(async () => {
    database = await createDatabase(embedded!);
    await migrateEventStore(database.url);
    await migrateReadModel(database.url);
    pool = new Pool({ connectionString: database.url, max: 4 });
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    stores = [];
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const openStore = () => {
    const store = new PostgresEventStore(new Pool({ connectionString: database.url, max: 4 }));
    stores.push(store);
    return store;
  };

  /** Until the runner's checkpoint holds the store's head, or fails after 20 s. */
  async function projectedUpTo(position: number): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const { rows } = await pool.query(`SELECT position FROM ${READ_MODEL}.projection_checkpoints WHERE name = $1`, [
        projection!.name,
      ]);
      if (Number(rows[0]?.position ?? 0) >= position) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { rows } = await pool.query(`SELECT * FROM ${READ_MODEL}.projection_checkpoints`);
    throw new Error(`the runner did not reach position ${position}: ${JSON.stringify(rows)}`);
  }

  async function runWhile(wakeup: AppendWakeup, append: () => Promise<void>, store: PostgresEventStore) {
    const runner = new ProjectionRunner(store, pool, projection!, { pollIntervalMs: POLL_MS, wakeup });
    runner.start();
    try {
      // Once the runner waits, only a wake-up (or a minute's poll) makes it read again.
      while (wakeup.waiting === 0) await new Promise((resolve) => setImmediate(resolve));
      await append();
      await projectedUpTo((await store.head())!.position);
    } finally {
      await runner.stop();
    }
  }

  it("applies this process's appends at once", async () => {
    const wakeup = new AppendWakeup();
    const store = notifyingAppends(openStore(), wakeup);
    const events = buildHistory(fc.sample(historyArbitrary(30), { numRuns: 1, seed: 5 })[0]!);
    await runWhile(wakeup, () => appendHistory(store, events), store);
  }, 60_000);

  it("applies another process's appends at once, told by PostgreSQL's NOTIFY", async () => {
    const wakeup = new AppendWakeup();
    const listener = listenForAppends(database.url, wakeup);
    try {
      const elsewhere = openStore(); // not wired to the wakeup: only the notification can wake the runner
      // A second organisation in the same log: company-wide events (the template's versions) come from the first.
      const events = buildHistory(fc.sample(historyArbitrary(30), { numRuns: 1, seed: 6 })[0]!).filter(
        (e) => e.type !== 'ScorecardTemplateSet' && e.type !== 'HolidaysSet',
      );
      await listener.listening;
      await runWhile(wakeup, () => appendHistory(elsewhere, events), openStore());
    } finally {
      await listener.stop();
    }
  }, 60_000);
});
