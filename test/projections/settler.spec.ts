import { Pool, type ClientBase } from 'pg';
import pino from 'pino';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { ProjectionRunner, type Projection } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { organisationsLog } from './history';
import { appendHistory } from './store-history';
import { dumpTables, tableDifferences } from './tables';

const [embedded] = postgresServers();
const scorecards = PROJECTIONS.find((p) => p.name === 'scorecards') as Required<Projection>;

describe('stored scorecards settled after the batches, beside the runner', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let store: PostgresEventStore;
  let schemas = 0;

  beforeAll(async () => {
    database = await createDatabase(embedded!);
    await migrateEventStore(database.url);
    pool = new Pool({ connectionString: database.url, max: 8 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const freshSchema = async () => {
    const schema = `rm_settle_${++schemas}`;
    await migrateReadModel(database.url, schema);
    return schema;
  };
  const pendingKeys = (schema: string) => scorecards.unsettled(pool, schema);
  const storedCards = async (schema: string) =>
    Number((await pool.query(`SELECT count(*) FROM ${schema}.scorecards`)).rows[0].count);

  it('ends with the tables of one clean pass though settling failed twice while writers kept appending', async () => {
    await appendHistory(store, organisationsLog(6, 11, 120));
    const reference = await freshSchema();
    await new ProjectionRunner(store, pool, scorecards, { schema: reference }).catchUp();

    // given a runner whose settling fails twice before it succeeds
    const live = await freshSchema();
    let failures = 2;
    const flaky: Projection = {
      ...scorecards,
      settle: async (client: ClientBase, schema: string) => {
        if (failures-- > 0) throw new Error('settling interrupted');
        await scorecards.settle(client, schema);
      },
    };
    const runner = new ProjectionRunner(store, pool, flaky, {
      schema: live,
      pollIntervalMs: 10,
      retryMs: 50,
      log: pino({ level: 'silent' }),
    });
    runner.start();

    // when the log grows while it runs
    const more = organisationsLog(6, 12, 120);
    await appendHistory(store, more);
    const head = (await store.head())!.position;
    const position = async () =>
      Number(
        (await pool.query(`SELECT position FROM ${live}.projection_checkpoints WHERE name = 'scorecards'`)).rows[0]
          ?.position ?? 0,
      );
    for (let i = 0; i < 600 && (await position()) < head; i++) await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 600 && (await pendingKeys(live)) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    await runner.stop();

    // then every key was settled, and the tables are those of one pass over the whole log
    expect(failures).toBeLessThan(0);
    expect(await pendingKeys(live)).toBe(0);
    await new ProjectionRunner(store, pool, scorecards, { schema: reference }).catchUp();
    expect(await storedCards(reference)).toBeGreaterThan(0);
    expect(
      tableDifferences(
        await dumpTables(pool, live, ['projection_checkpoints']),
        await dumpTables(pool, reference, ['projection_checkpoints']),
      ),
    ).toEqual([]);
  }, 120_000);

  it('settles what a runner stopped before settling left pending, when the next one starts', async () => {
    const schema = await freshSchema();
    const neverSettles: Projection = { ...scorecards, settle: async () => undefined };
    await new ProjectionRunner(store, pool, neverSettles, { schema }).catchUp();
    expect(await pendingKeys(schema)).toBeGreaterThan(0);
    expect(await storedCards(schema)).toBe(0);

    const runner = new ProjectionRunner(store, pool, scorecards, { schema, pollIntervalMs: 10 });
    runner.start();
    for (let i = 0; i < 600 && (await pendingKeys(schema)) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    expect(await pendingKeys(schema)).toBe(0);
    expect(await storedCards(schema)).toBeGreaterThan(0);
  }, 60_000);
});
