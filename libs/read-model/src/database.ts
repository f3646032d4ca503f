import { Client, Pool, types, type ClientBase } from 'pg';
import { DataSource } from 'typeorm';
import { ReadModelSchema1710000000000 } from './migrations/1710000000000-read-model.migration';
import { createReportingViews } from './reporting';

// Calendar dates stay 'YYYY-MM-DD': as a JS Date they would shift with the process's time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** Where the serving read model lives, and where a rebuild fills its replacement. */
export const READ_MODEL = 'read_model';
export const REBUILD = 'read_model_rebuild';

const MIGRATION_LOCK = 7_390_413_520_102;

export const READ_MODEL_MIGRATIONS = [ReadModelSchema1710000000000];

/** Brings a read-model schema up to date (and the reporting views with it); safe when several processes start at once. */
export async function migrateReadModel(url: string, schema = READ_MODEL): Promise<void> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      schema,
      migrationsTableName: 'migrations',
      migrations: READ_MODEL_MIGRATIONS,
      migrationsTransactionMode: 'each',
      logging: false,
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
    if (schema === READ_MODEL) await createReportingViews(lock);
  } finally {
    await lock.end();
  }
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
