import { LOCKS } from '@salesledger/postgres/advisory-locks';
import { migrateSchema } from '@salesledger/postgres/migrations';
import { EVENT_STORE } from '@salesledger/postgres/schemas';
import { EventStoreSchema1700000000000 } from './migrations/1700000000000-event-store.migration';
import { SealedLog1764900000000 } from './migrations/1764900000000-sealed-log.migration';

/**
 * Brings the event-store schema up to date; safe when several processes start at once. Then seals
 * what is pending before this process can append: after a restore into another cluster that first
 * seal is the one that puts the restored pending events ahead of every new one.
 */
export function migrateEventStore(url: string): Promise<void> {
  return migrateSchema(url, {
    schema: EVENT_STORE,
    lock: LOCKS.eventStoreMigrations,
    migrations: [EventStoreSchema1700000000000, SealedLog1764900000000],
    after: async (client) => void (await client.query('SELECT event_store.seal_log(NULL)')),
  });
}
