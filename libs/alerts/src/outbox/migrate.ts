import { LOCKS } from '@salesledger/postgres/advisory-locks';
import { migrateSchema } from '@salesledger/postgres/migrations';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import { AlertDeliveries1741000000000 } from './migrations/1741000000000-alert-deliveries.migration';

/**
 * Brings the alert outbox's tables up to date. They share the outbound schema, and its record of
 * migrations run, with the read model's outbound tables: each lib runs only its own, by name.
 */
export function migrateAlertOutbox(url: string): Promise<void> {
  return migrateSchema(url, {
    schema: OUTBOUND,
    lock: LOCKS.readModelDatabaseMigrations,
    migrations: [AlertDeliveries1741000000000],
  });
}
