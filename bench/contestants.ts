import { Pool } from 'pg';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { EventStoreSchema1700000000000 } from '@salesledger/event-store/migrations/1700000000000-event-store.migration';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { migrateSchema } from '@salesledger/postgres/migrations';
import type { BenchConfig, BenchEvent, Contestant } from './workload';

/**
 * The operations the workloads need. `revision` arguments are the stream revisions the event(s)
 * will get; only the raw contestant, which has no store logic, uses them.
 */
export interface BenchStore {
  appendOne(stream: string, revision: number, event: BenchEvent): Promise<void>;
  appendBatch(stream: string, firstRevision: number, events: readonly BenchEvent[]): Promise<void>;
  /** Reads the whole log from the start in pages; returns how many events it saw. */
  readAll(pageSize: number): Promise<number>;
  close(): Promise<void>;
}

export function openStore(contestant: Contestant, url: string, config: BenchConfig): Promise<BenchStore> {
  switch (contestant) {
    case 'salesledger':
      return salesledger(url, config);
    case 'unsealed':
      return unsealed(url, config);
    case 'emmett':
      return emmett(url, config);
    case 'raw':
      return raw(url, config);
  }
}

/** Our adapter, exactly as the services use it. */
async function salesledger(url: string, config: BenchConfig): Promise<BenchStore> {
  await migrateEventStore(url);
  const store = new PostgresEventStore(new Pool({ connectionString: url, max: config.poolSize }));
  return {
    appendOne: async (stream, _revision, { event }) => {
      await store.append(stream, [event], 'any');
    },
    appendBatch: async (stream, _revision, events) => {
      await store.append(
        stream,
        events.map((e) => e.event),
        'any',
      );
    },
    readAll: async (pageSize) => {
      let count = 0;
      for await (const page of store.pages(null, pageSize)) count += page.length;
      return count;
    },
    close: () => store.close(),
  };
}

/**
 * The same adapter on the schema before the sealed log (first migration only): appends are the
 * same call, so this measures what sealing adds to them. Reads page by (transaction id, position)
 * as they did then; the adapter's own readAll needs the sealed log.
 */
async function unsealed(url: string, config: BenchConfig): Promise<BenchStore> {
  await migrateSchema(url, { schema: 'event_store', lock: 1, migrations: [EventStoreSchema1700000000000] });
  const pool = new Pool({ connectionString: url, max: config.poolSize });
  const store = new PostgresEventStore(pool);
  return {
    appendOne: async (stream, _revision, { event }) => {
      await store.append(stream, [event], 'any');
    },
    appendBatch: async (stream, _revision, events) => {
      await store.append(
        stream,
        events.map((e) => e.event),
        'any',
      );
    },
    readAll: async (pageSize) => {
      let count = 0;
      for (let after = ['0', '0']; ;) {
        const { rows } = await pool.query(UNSEALED_READ, [...after, pageSize]);
        count += rows.length;
        if (rows.length < pageSize) return count;
        after = [rows.at(-1).transaction_id, rows.at(-1).position];
      }
    },
    close: () => store.close(),
  };
}

const UNSEALED_READ = `SELECT e.position, e.transaction_id, e.stream_id, e.stream_revision, e.event_id, e.type, e.data,
  e.metadata, encode(e.hash, 'hex') AS hash FROM event_store.events e
  WHERE (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
    AND e.transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
  ORDER BY e.transaction_id, e.position LIMIT $3`;

/**
 * `@event-driven-io/emmett-postgresql` through its public API: `getPostgreSQLEventStore` and
 * `appendToStream`. Its event store has no read-all method; its consumers pull the log with the
 * exported `readMessagesBatch`, which is used here directly (the consumer adds a sleep of at least
 * `pullingFrequencyInMs` between batches and checkpoint writes, which would measure the poller, not
 * the store). Loaded lazily: its connection layer replaces pg's global type parsers, so it runs only
 * in its own process.
 */
async function emmett(url: string, config: BenchConfig): Promise<BenchStore> {
  const { dumbo } = await import('@event-driven-io/dumbo');
  const { getPostgreSQLEventStore, readMessagesBatch } = await import('@event-driven-io/emmett-postgresql');
  const pool = new Pool({ connectionString: url, max: config.poolSize });
  const db = dumbo({ connectionString: url, pool });
  const store = getPostgreSQLEventStore(url, { connectionOptions: { dumbo: db } });
  await store.schema.migrate();
  const toEmmett = ({ event }: BenchEvent) => ({
    type: event.type,
    data: event.data,
    // Emmett takes the message id from the metadata, so its rows carry the same ids as ours.
    metadata: { ...event.metadata, messageId: event.eventId },
  });
  return {
    appendOne: async (stream, _revision, event) => {
      await store.appendToStream(stream, [toEmmett(event)]);
    },
    appendBatch: async (stream, _revision, events) => {
      await store.appendToStream(stream, events.map(toEmmett));
    },
    readAll: async (pageSize) => {
      let after = 0n;
      for (let count = 0; ;) {
        const batch = await readMessagesBatch(db.execute, { after, batchSize: pageSize });
        count += batch.messages.length;
        if (batch.messages.length === 0 || !batch.areMessagesLeft) return count;
        after = batch.currentGlobalPosition;
      }
    },
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

/** The columns and indexes of event_store.events, without the store around them. */
const RAW_TABLE = `
CREATE TABLE raw_events (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  stream_revision bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  hash bytea NOT NULL,
  UNIQUE (stream_id, stream_revision)
);
CREATE INDEX raw_events_global_order ON raw_events (transaction_id, position);`;

const RAW_COLUMNS = 'stream_id, stream_revision, event_id, type, data, metadata, recorded_at, hash';
const RAW_READ = `SELECT position, transaction_id, stream_id, stream_revision, event_id, type, data, metadata, hash
  FROM raw_events WHERE position > $1 ORDER BY position LIMIT $2`;

const rawInserts = new Map<number, { name: string; text: string }>();

/** The prepared multi-row INSERT for `rows` rows, built once per size. */
function rawInsert(rows: number): { name: string; text: string } {
  const known = rawInserts.get(rows);
  if (known) return known;
  const tuples = Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(', ')})`,
  );
  const statement = {
    name: `raw_insert_${rows}`,
    text: `INSERT INTO raw_events (${RAW_COLUMNS}) VALUES ${tuples.join(', ')} RETURNING position`,
  };
  rawInserts.set(rows, statement);
  return statement;
}

function rawValues(stream: string, firstRevision: number, events: readonly BenchEvent[]): unknown[] {
  return events.flatMap(({ event, rawHash }, i) => [
    stream,
    firstRevision + i,
    event.eventId,
    event.type,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
    event.metadata.recordedAt,
    rawHash,
  ]);
}

/**
 * The floor under any store on this server: prepared INSERTs of the same rows into a table shaped
 * like ours (one row per autocommit transaction, or one multi-row VALUES statement per batch), and a
 * keyset-paged SELECT by position.
 */
async function raw(url: string, config: BenchConfig): Promise<BenchStore> {
  const pool = new Pool({ connectionString: url, max: config.poolSize });
  await pool.query(RAW_TABLE);
  return {
    appendOne: async (stream, revision, event) => {
      await pool.query({ ...rawInsert(1), values: rawValues(stream, revision, [event]) });
    },
    appendBatch: async (stream, firstRevision, events) => {
      await pool.query({ ...rawInsert(events.length), values: rawValues(stream, firstRevision, events) });
    },
    readAll: async (pageSize) => {
      let after = '0';
      for (let count = 0; ;) {
        const { rows } = await pool.query<{ position: string }>({
          name: 'raw_read',
          text: RAW_READ,
          values: [after, pageSize],
        });
        count += rows.length;
        const last = rows[rows.length - 1];
        if (!last || rows.length < pageSize) return count;
        after = last.position;
      }
    },
    close: () => pool.end(),
  };
}
