import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { appendQuery, PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { eventStoreContract, type StoreFixture } from './event-store.contract';

describe.each(postgresServers())('PostgreSQL event store on $name', (server) => {
  eventStoreContract(async (): Promise<StoreFixture> => {
    const database = await createDatabase(server);
    await migrateEventStore(database.url);
    const pool = new Pool({ connectionString: database.url, max: 20 });
    const store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    return {
      store,
      appendHeld: async (streamId, events, { holdMs, rollback }) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(appendQuery(streamId, events, 'any'));
          if (holdMs > 0) await sleep(holdMs);
          await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
        } finally {
          client.release();
        }
      },
      storedEventIds: async () =>
        (await pool.query<{ event_id: string }>('SELECT event_id FROM event_store.events')).rows.map((r) => r.event_id),
      close: async () => {
        await store.close();
        await database.drop();
      },
    };
  });
});
