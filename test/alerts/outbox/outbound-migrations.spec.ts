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

/** The outbound schema as a process sees it: its tables' columns, and the migrations recorded as run. */
async function outboundSchema(url: string): Promise<{ columns: string[]; migrations: string[] }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{ column: string }>(
      `SELECT table_name || '.' || column_name || ' ' || data_type AS column FROM information_schema.columns
       WHERE table_schema = $1 AND table_name <> 'migrations' ORDER BY 1`,
      [OUTBOUND],
    );
    const migrations = await client.query<{ name: string }>(`SELECT name FROM ${OUTBOUND}.migrations ORDER BY name`);
    return { columns: columns.rows.map((r) => r.column), migrations: migrations.rows.map((r) => r.name) };
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
    await migrateSchema(upgraded, {
      schema: OUTBOUND,
      lock: LOCKS.readModelMigrations,
      migrations: [Outbound1730000000000, AlertDeliveries1741000000000, TokenUsage1751000000000],
    });
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
    await migrateSchema(old, {
      schema: OUTBOUND,
      lock: LOCKS.readModelMigrations,
      migrations: [Outbound1730000000000, AlertDeliveries1741000000000, TokenUsage1751000000000],
    });
    await Promise.all([migrateByOwner(fresh), migrateByOwner(fresh)]);
    expect(await outboundSchema(fresh)).toEqual(await outboundSchema(old));
  });
});
