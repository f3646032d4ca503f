import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EventStoreSchema1700000000000 } from './migrations/1700000000000-event-store.migration';

const MIGRATION_LOCK = 7_390_413_520_101;

/** Brings the event-store schema up to date; safe when several processes start at once. */
export async function migrateEventStore(url: string): Promise<void> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await lock.query('CREATE SCHEMA IF NOT EXISTS event_store');
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      schema: 'event_store',
      migrationsTableName: 'migrations',
      migrations: [EventStoreSchema1700000000000],
      migrationsTransactionMode: 'each',
      logging: false,
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.end();
  }
}
