import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from 'pino';

const FIRST_WAIT_MS = 500;
const LONGEST_WAIT_MS = 5_000;
/** Errors that say the server is not there (yet), as opposed to a wrong password or database. */
const NOT_THERE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const STARTING_UP = new Set(['57P03']); // cannot_connect_now: the server is starting or recovering

export class DatabaseUnreachableError extends Error {}

/** `host:port/database` of a PostgreSQL URL: what a log line may say about it (never the password). */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured PostgreSQL';
  }
}

/**
 * Resolves once PostgreSQL at `url` accepts a connection. While it refuses or cannot be reached,
 * waits 0.5 s, doubling to at most 5 s, logging each wait at warn level, for up to `seconds`;
 * then throws `DatabaseUnreachableError`. Any other failure (authentication, a missing database)
 * is thrown at once: waiting would not fix it.
 */
export async function waitForPostgres(url: string, seconds: number, log: Logger): Promise<void> {
  const where = describePostgresUrl(url);
  const deadline = Date.now() + seconds * 1000;
  let wait = FIRST_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      if (attempt > 1) log.info(`PostgreSQL at ${where} is up`);
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code ?? '';
      const transient = NOT_THERE.has(code) || STARTING_UP.has(code) || /timeout/i.test(String(error));
      if (!transient) throw error;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new DatabaseUnreachableError(
          `PostgreSQL at ${where} could not be reached within ${seconds} s (${code || 'timeout'}); ` +
            'check that it runs and the URL, or give it longer with DATABASE_WAIT_SECONDS',
        );
      const pause = Math.min(wait, left);
      log.warn(
        { attempt, code: code || 'timeout', waitMs: pause },
        `PostgreSQL at ${where} is not reachable (${code || 'timeout'}); retrying in ${(pause / 1000).toFixed(1)} s`,
      );
      await sleep(pause);
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    }
  }
}
