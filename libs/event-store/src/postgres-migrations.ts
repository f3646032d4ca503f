import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { EventStoreSchema1700000000000 } from './migrations/1700000000000-event-store.migration';
import { SealedLog1764900000000 } from './migrations/1764900000000-sealed-log.migration';

const MIGRATION_LOCK = 7_390_413_520_101;

/**
 * Brings the event-store schema up to date; safe when several processes start at once. Then seals
 * what is pending before this process can append: after a restore into another cluster that first
 * seal is the one that puts the restored pending events ahead of every new one.
 */
export function migrateEventStore(url: string): Promise<void> {
  return migrateSchema(url, {
    schema: 'event_store',
    lock: MIGRATION_LOCK,
    migrations: [EventStoreSchema1700000000000, SealedLog1764900000000],
    after: async (client) => void (await client.query('SELECT event_store.seal_log(NULL)')),
  });
}

export interface SchemaMigrations {
  readonly schema: string;
  /** Advisory lock key held while migrating, so processes starting together take turns. */
  readonly lock: number;
  readonly migrations: DataSourceOptions['migrations'];
  /** More work under the same lock, after the migrations. */
  readonly after?: (client: Client) => Promise<void>;
}

/** Runs a schema's TypeORM migrations (table `<schema>.migrations`) under an advisory lock. */
export async function migrateSchema(url: string, { schema, lock, migrations, after }: SchemaMigrations): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lock]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      schema,
      migrationsTableName: 'migrations',
      migrations,
      migrationsTransactionMode: 'each',
      logging: false,
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
    await after?.(client);
  } finally {
    await client.end();
  }
}
