import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@salesledger/platform/embedded-postgres.server';
import { withPgClient } from '@salesledger/postgres/client';

/** What every benchmark shares: its settings, its PostgreSQL server, the machine it ran on, its table. */

export function intFromEnv(name: string, fallback: number, min = 1): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${text}`);
  return value;
}

export interface Server {
  readonly adminUrl: string;
  readonly description: string;
  stop(): Promise<void>;
}

/** BENCH_DATABASE_URL's server, or a fresh embedded PostgreSQL in a temp dir, removed on stop. */
export async function startServer(): Promise<Server> {
  const external = process.env['BENCH_DATABASE_URL'];
  if (external) return { adminUrl: external, description: 'BENCH_DATABASE_URL', stop: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'salesledger-bench-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user, which must reach the data dir
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    adminUrl: server.url,
    description: 'embedded, fresh data dir',
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface MachineInfo {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly postgres: string;
  readonly settings: string;
  readonly load: string;
}

export async function machineInfo(adminUrl: string, server: Server): Promise<MachineInfo> {
  const [version, settings] = await withPgClient(adminUrl, async (client) => [
    (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?',
    (
      await client.query<{ name: string; setting: string }>(
        `SELECT name, current_setting(name) AS setting FROM pg_settings
         WHERE name IN ('shared_buffers', 'work_mem', 'fsync', 'synchronous_commit', 'wal_level', 'max_wal_size')
         ORDER BY name`,
      )
    ).rows
      .map((row) => `${row.name}=${row.setting}`)
      .join(', '),
  ]);
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? '?',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
    postgres: `${version} (${server.description})`,
    settings,
    load: loadavg()
      .map((n) => n.toFixed(2))
      .join(' '),
  };
}

/** A number for a table: thousands separated, `-` when there is none. */
export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';

/** A plain-text table; columns from `rightFrom` on are right-aligned. */
export function table(headers: string[], rows: string[][], rightFrom: number): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i >= rightFrom ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
