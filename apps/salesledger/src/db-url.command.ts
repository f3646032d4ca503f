import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '@salesledger/platform/config';
import { runningEmbeddedPostgres } from '@salesledger/platform/embedded-postgres.server';
import { withPgClient } from '@salesledger/postgres/client';
import { configFromEnvironment } from '@salesledger/platform/service';
import { enableReportingLogin, REPORTING_ROLE } from '@salesledger/read-model/reporting';

/**
 * Embedded mode: the running server's URL (a server started just for this command would be gone
 * when it ends), for the reporting role with a password generated once and kept in the data dir.
 * A server of your own: DATABASE_URL, or for --reporting the same address as the reporting role,
 * whose password (if it is to log in at all) only the database's administrator can set.
 */
export async function printDatabaseUrl(options: { reporting?: boolean }): Promise<void> {
  const config = configFromEnvironment('db url');
  if (config.eventStore.kind !== 'embedded') return printExternal(config, options.reporting === true);
  const server = await runningEmbeddedPostgres(config.dataDir);
  if (!server) {
    console.error(`no server is running on ${config.dataDir}: start one with \`npx salesledger start\``);
    process.exitCode = 1;
    return;
  }
  if (!options.reporting) return console.log(server.url);
  const password = await reportingPassword(config.dataDir);
  await withPgClient(server.url, (client) => enableReportingLogin(client, password));
  console.log(withLogin(server.url, REPORTING_ROLE, password));
}

function printExternal(config: Config, reporting: boolean): void {
  const url = config.databaseUrl as string;
  if (!reporting) return console.log(url);
  console.log(withLogin(url, REPORTING_ROLE, ''));
  console.error(
    `${REPORTING_ROLE} cannot log in until your database administrator runs ` +
      `ALTER ROLE ${REPORTING_ROLE} LOGIN PASSWORD '...' (then give the password as PGPASSWORD or in the URL), ` +
      `or grants ${REPORTING_ROLE} to a login of your own (docs/reporting.md)`,
  );
}

async function reportingPassword(dataDir: string): Promise<string> {
  const file = join(dataDir, 'reporting-password');
  const stored = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (stored) return stored;
  const password = randomBytes(24).toString('hex');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function withLogin(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}
