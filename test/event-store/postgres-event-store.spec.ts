import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { appendQuery, PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { LOCKS } from '@salesledger/postgres/advisory-locks';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { newEvent, newEvents, uniqueStream } from '../support/events';
import { eventStoreContract, type StoreFixture } from './event-store.contract';

describe.each(postgresServers())('PostgreSQL event store on $name', (server) => {
  eventStoreContract(async (): Promise<StoreFixture> => {
    const database = await createDatabase(server);
    await migrateEventStore(database.url);
    const pool = new Pool({ connectionString: database.url, max: 20 });
    pool.on('error', () => undefined); // dropping the database at the end terminates idle clients
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

describe.each(postgresServers())('PostgreSQL event store specifics on $name', (server) => {
  let url: string;
  let drop: () => Promise<void>;
  let pool: Pool;

  beforeAll(async () => {
    ({ url, drop } = await createDatabase(server));
    await migrateEventStore(url);
    pool = new Pool({ connectionString: url });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool.end();
    await drop();
  });

  const count = async () => Number((await pool.query('SELECT count(*) FROM event_store.events')).rows[0].count);

  it('stores nothing when the database itself rejects the last event of an append', async () => {
    const stream = uniqueStream();
    const events = [...newEvents(2), newEvent('T', { note: 'nul \u0000 inside' })];
    const before = await count();
    await expect(pool.query(appendQuery(stream, events, 'any'))).rejects.toThrow(/\\u0000|unsupported Unicode/);
    expect(await count()).toBe(before);
    expect((await pool.query('SELECT 1 FROM event_store.streams WHERE stream_id = $1', [stream])).rowCount).toBe(0);
  });

  it('seals pending events in transaction id order, as a number, not as text', async () => {
    const rows = [100, 9, 10].map((xid, revision) => [String(xid), revision, newEvent('T', { xid })] as const);
    for (const [xid, revision, event] of rows) {
      await pool.query(
        `WITH e AS (INSERT INTO event_store.events (stream_id, stream_revision, event_id, type, data, metadata, recorded_at, hash)
           VALUES ('ancient', $2, $3, $4, $5, $6, now(), '\\x00') RETURNING position)
         INSERT INTO event_store.pending (transaction_id, position) SELECT $1::xid8, position FROM e`,
        [xid, revision, event.eventId, event.type, event.data, event.metadata],
      );
    }
    const store = new PostgresEventStore(new Pool({ connectionString: url }));
    const paged: number[] = [];
    for (let checkpoint = null, i = 0; i < 3; i++) {
      const [event] = await store.readAll(checkpoint, 1);
      paged.push(event?.data.xid as number);
      checkpoint = event?.checkpoint ?? null;
    }
    await store.close();
    expect(paged).toEqual([9, 10, 100]);
  });

  it('lets in-flight appends finish when closed, then refuses new ones', async () => {
    const store = new PostgresEventStore(new Pool({ connectionString: url, max: 4 }));
    const streams = Array.from({ length: 40 }, () => uniqueStream());
    const appends = streams.map((stream) => store.append(stream, newEvents(2), 'no-stream'));
    const closing = store.close();
    const outcomes = await Promise.allSettled(appends);
    await closing;
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const stored = await pool.query('SELECT DISTINCT stream_id FROM event_store.events WHERE stream_id = ANY($1)', [
      streams,
    ]);
    expect(stored.rowCount).toBe(streams.length);
    await expect(store.append(uniqueStream(), newEvents(1), 'any')).rejects.toThrow('the event store is closed');
  });

  it('seals while migrations, a rebuild or a relay hold their locks, and waits only for another sealer', async () => {
    const seal = async () => {
      const client = await pool.connect();
      try {
        await client.query(`SET statement_timeout = '2s'`);
        return await client.query('SELECT event_store.seal_log(NULL)');
      } finally {
        client.release(true);
      }
    };
    const holder = await pool.connect();
    try {
      const { sealer, ...others } = LOCKS;
      for (const key of Object.values(others)) await holder.query('SELECT pg_advisory_lock($1)', [key]);
      await expect(seal()).resolves.toBeDefined();
      await holder.query('SELECT pg_advisory_lock($1)', [sealer]);
      await expect(seal()).rejects.toThrow(/statement timeout/);
    } finally {
      holder.release(true);
    }
  });

  it('migrates once when several processes start at the same time', async () => {
    await Promise.all([migrateEventStore(url), migrateEventStore(url), migrateEventStore(url)]);
    const { rows } = await pool.query('SELECT name FROM event_store.migrations');
    expect(rows.map((r) => r.name)).toEqual(['EventStoreSchema1700000000000', 'SealedLog1764900000000']);
  });
});
