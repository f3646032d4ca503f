import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { withPgClient } from '@salesledger/postgres/client';

export interface PostgresServer {
  readonly name: string;
  /** A URL of any database on the server; specs create their own databases next to it. */
  readonly url: string;
}

/**
 * The servers every PostgreSQL spec runs against: the embedded one always, and the one named by
 * EVENT_STORE_URL or DATABASE_URL when set. Without one, the spec says so loudly; under
 * REQUIRE_INFRA=1 (CI) a missing server fails the run instead of skipping.
 */
export function postgresServers(): PostgresServer[] {
  const servers: PostgresServer[] = [{ name: 'embedded PostgreSQL', url: required('TEST_EMBEDDED_POSTGRES_URL') }];
  const external = [process.env.EVENT_STORE_URL, process.env.DATABASE_URL].find((url) => url?.startsWith('postgres'));
  if (external) servers.push({ name: `PostgreSQL at ${new URL(external).host}`, url: external });
  else skipLoudly('external PostgreSQL', 'set EVENT_STORE_URL or DATABASE_URL=postgres://...');
  return servers;
}

/** Under REQUIRE_INFRA=1 a missing server fails the run, unless it is one that CI cannot have (EventStoreDB). */
export function skipLoudly(what: string, how: string, { ciHasIt = true } = {}): void {
  const message = `SKIPPED: no ${what} (${how})`;
  if (ciHasIt && process.env.REQUIRE_INFRA === '1') throw new Error(`${message}, and REQUIRE_INFRA=1 requires it`);
  console.warn(message);
}

/** How long dropping a database waits for its sessions to end before it ends them. */
const SESSIONS_END_MS = 2000;

/** Creates an empty database on the server; returns its URL and a function that drops it. */
export async function createDatabase(server: PostgresServer): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `salesledger_test_${randomBytes(6).toString('hex')}`;
  await withPgClient(server.url, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withPgClient(server.url, async (client) => {
        // A pool's end() resolves before its connections have closed. Forced off, such a connection
        // reports 57P01 to its pool, which no one listens to any more: an uncaught error in whichever
        // spec runs then. So the sessions get a moment to end, and FORCE ends only what was left open.
        for (let waited = 0; waited < SESSIONS_END_MS; waited += 20) {
          const { rows } = await client.query<{ open: number }>(
            'SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if (rows[0]?.open === 0) break;
          await sleep(20);
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the specs through jest, whose global setup starts PostgreSQL`);
  return value;
}
