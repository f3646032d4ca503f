import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';

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
