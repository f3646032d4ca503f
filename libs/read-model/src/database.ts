import { Pool, types, type ClientBase } from 'pg';
import { migrateSchema } from '@salesledger/event-store/postgres-migrations';
import { ReadModelSchema1710000000000 } from './migrations/1710000000000-read-model.migration';
import { KafkaFeeds1720000000000 } from './migrations/1720000000000-kafka-feeds.migration';
import { Outbound1730000000000 } from './migrations/1730000000000-outbound.migration';
import { AlertDeliveries1741000000000 } from './migrations/1741000000000-alert-deliveries.migration';
import { Alerts1740000000000 } from './migrations/1740000000000-alerts.migration';
import { Browse1752000000000 } from './migrations/1752000000000-browse.migration';
import { RepPeriods1750000000000 } from './migrations/1750000000000-rep-periods.migration';
import { TokenUsage1751000000000 } from './migrations/1751000000000-token-usage.migration';
import { createReportingViews } from './reporting';

// Calendar dates stay 'YYYY-MM-DD': as a JS Date they would shift with the process's time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** Where the serving read model lives, and where a rebuild fills its replacement. */
export const READ_MODEL = 'read_model';
export const REBUILD = 'read_model_rebuild';
/** What leaves the system (relay checkpoint, alert deliveries) and token usage: never replaced by a rebuild. */
export const OUTBOUND = 'outbound';

const MIGRATION_LOCK = 7_390_413_520_102;

const READ_MODEL_MIGRATIONS = [
  ReadModelSchema1710000000000,
  KafkaFeeds1720000000000,
  Alerts1740000000000,
  RepPeriods1750000000000,
  Browse1752000000000,
];
const OUTBOUND_MIGRATIONS = [Outbound1730000000000, AlertDeliveries1741000000000, TokenUsage1751000000000];

/** Brings a read-model schema up to date (and the reporting views with it); safe when several processes start at once. */
export function migrateReadModel(url: string, schema = READ_MODEL): Promise<void> {
  return migrateSchema(url, {
    schema,
    lock: MIGRATION_LOCK,
    migrations: READ_MODEL_MIGRATIONS,
    after: schema === READ_MODEL ? (client) => createReportingViews(client) : undefined,
  });
}

/** Brings the outbound schema up to date. */
export function migrateOutbound(url: string): Promise<void> {
  return migrateSchema(url, { schema: OUTBOUND, lock: MIGRATION_LOCK, migrations: OUTBOUND_MIGRATIONS });
}

export function openReadModelPool(url: string, onError: (error: Error) => void): Pool {
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', onError);
  return pool;
}

export async function inTransaction<T>(pool: Pool, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A connection lost between two statements is reported on the client, not on the pool; the next
  // statement fails with it and the transaction is abandoned, so the event itself needs no handler.
  const lost = () => (broken = true);
  client.on('error', lost);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    // A connection that cannot even roll back is dropped, not handed to the next batch.
    client.off('error', lost);
    client.release(broken);
  }
}
