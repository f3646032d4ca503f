import { Client } from 'pg';
import { migrateAlertOutbox } from '@salesledger/alerts/outbox/migrate';
import { AlertDeliveries1741000000000 } from '@salesledger/alerts/outbox/migrations/1741000000000-alert-deliveries.migration';
import { LOCKS } from '@salesledger/postgres/advisory-locks';
import { migrateSchema } from '@salesledger/postgres/migrations';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import { migrateOutbound } from '@salesledger/read-model/migrate';
import { Outbound1730000000000 } from '@salesledger/read-model/migrations/1730000000000-outbound.migration';
import { TokenUsage1751000000000 } from '@salesledger/read-model/migrations/1751000000000-token-usage.migration';
import { createDatabase, postgresServers } from '../../support/postgres-servers';

const [server] = postgresServers();

/** How the outbound schema was migrated before each lib ran its own tables' migrations. */
const ONE_LIST = {
  schema: OUTBOUND,
  lock: LOCKS.readModelDatabaseMigrations,
  migrations: [Outbound1730000000000, AlertDeliveries1741000000000, TokenUsage1751000000000],
};

/** The outbound schema as a process sees it: its columns, indexes and constraints, and the migrations recorded as run. */
async function outboundSchema(url: string): Promise<Record<string, string[]>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const list = async (sql: string, values = [OUTBOUND]) =>
    (await client.query<{ item: string }>(sql, values)).rows.map((r) => r.item);
  try {
    return {
      columns: await list(
        `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
           coalesce(column_default, '') AS item
         FROM information_schema.columns WHERE table_schema = $1 AND table_name <> 'migrations' ORDER BY 1`,
      ),
      indexes: await list(`SELECT indexdef AS item FROM pg_indexes WHERE schemaname = $1 ORDER BY 1`),
      constraints: await list(
        `SELECT conrelid::regclass || ' ' || pg_get_constraintdef(oid) AS item FROM pg_constraint
         WHERE connamespace = $1::regnamespace ORDER BY 1`,
      ),
      migrations: await list(`SELECT name AS item FROM ${OUTBOUND}.migrations ORDER BY 1`, []),
    };
  } finally {
    await client.end();
  }
}

/** Each lib migrating its own outbound tables, as every process does at start. */
const migrateByOwner = (url: string) => Promise.all([migrateOutbound(url), migrateAlertOutbox(url)]);

describe('the outbound schema, whose tables the read model and the alert outbox each migrate', () => {
  let databases: { url: string; drop: () => Promise<void> }[];
  beforeEach(async () => {
    databases = [await createDatabase(server!), await createDatabase(server!)];
  });
  afterEach(async () => {
    for (const database of databases) await database.drop();
  });

  it('is upgraded without change where its migrations ran as one list, before each lib ran its own', async () => {
    // given a database migrated when the read model ran every outbound migration
    const [upgraded] = databases.map((d) => d.url) as [string];
    await migrateSchema(upgraded, ONE_LIST);
    const before = await outboundSchema(upgraded);
    // when each lib migrates its own tables, twice
    await migrateByOwner(upgraded);
    await migrateByOwner(upgraded);
    // then nothing runs again and nothing changes
    expect(await outboundSchema(upgraded)).toEqual(before);
    expect(before.migrations).toHaveLength(3);
  });

  it('comes out the same on a fresh database, with the libs migrating together, as where it was one list', async () => {
    const [old, fresh] = databases.map((d) => d.url) as [string, string];
    await migrateSchema(old, ONE_LIST);
    await Promise.all([migrateByOwner(fresh), migrateByOwner(fresh)]);
    expect(await outboundSchema(fresh)).toEqual(await outboundSchema(old));
  });
});
