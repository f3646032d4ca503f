import { execFile, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { periodRange } from '@salesledger/domain/scorecards/grains';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { periodScorecard } from '@salesledger/read-model/period-queries';
import { READ_MODEL, REBUILD } from '@salesledger/postgres/schemas';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { rebuildReadModel } from '@salesledger/read-model/rebuild';
import { startEmbeddedPostgres } from '@salesledger/platform/embedded-postgres.server';
import { cliEnv, runCli, tempDataDir } from '../support/cli';
import { newEvent } from '../support/events';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { organisationsLog } from './history';
import { appendHistory } from './store-history';
import { dumpTables, tableDifferences } from './tables';

const PROJECTOR = resolve(__dirname, '../../dist/apps/projector/src/main.js');
const [embedded] = postgresServers();
const [projection] = PROJECTIONS;
const EVERY_PROJECTION = PROJECTIONS.map((p) => p.name);

describe('the projector under crashes, rebuilds and interruptions', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let store: PostgresEventStore;
  let references = 0;

  beforeAll(async () => {
    database = await createDatabase(embedded!);
    await migrateEventStore(database.url);
    await migrateReadModel(database.url);
    pool = new Pool({ connectionString: database.url, max: 8 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
    await appendHistory(store, organisationsLog(40, 1));
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  /** What one uninterrupted pass over the whole log makes, in a schema of its own. */
  async function reference(): Promise<Record<string, unknown[]>> {
    const schema = `rm_reference_${++references}`;
    await migrateReadModel(database.url, schema);
    for (const each of PROJECTIONS) await new ProjectionRunner(store, pool, each, { schema, batchSize: 777 }).catchUp();
    return dumpTables(pool, schema, ['projection_checkpoints']);
  }

  const served = () => dumpTables(pool, READ_MODEL, ['projection_checkpoints']);

  /** A rebuild stopped (as by Ctrl-C) once it has applied its first page of `batchSize` events. */
  async function rebuildStoppedAfterItsFirstPage(batchSize: number): Promise<void> {
    const stop = new AbortController();
    const finished = await rebuildReadModel(store, pool, database.url, {
      batchSize,
      signal: stop.signal,
      onProgress: ({ applied }) => applied > 0 && stop.abort(),
    });
    expect(finished).toBe(false);
  }

  async function servedPosition(name = projection!.name): Promise<number> {
    const { rows } = await pool.query(`SELECT position FROM ${READ_MODEL}.projection_checkpoints WHERE name = $1`, [
      name,
    ]);
    return Number(rows[0]?.position ?? 0);
  }

  /**
   * Until each of the projections named has applied the whole log and settled its stored results, as
   * /health reports it (lag 0, unsettled 0). The checkpoints alone can reach the head before a
   * restarted projector has even started, if the runs it replaces got there first.
   */
  async function caughtUp(names = EVERY_PROJECTION): Promise<void> {
    const head = (await store.head())!.position;
    const named = PROJECTIONS.filter((p) => names.includes(p.name));
    expect(named.map((p) => p.name)).toEqual(names);
    const behind = async () => {
      const positions = await Promise.all(named.map((p) => servedPosition(p.name)));
      const unsettled = await Promise.all(named.map((p) => p.unsettled?.(pool, READ_MODEL) ?? 0));
      return { lowest: Math.min(...positions), unsettled: unsettled.reduce((a, b) => a + b, 0) };
    };
    let state = await behind();
    for (let i = 0; i < 600 && (state.lowest < head || state.unsettled > 0); i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = await behind();
    }
    expect(state).toEqual({ lowest: head, unsettled: 0 });
  }

  it('gives the same tables as one clean pass when killed with SIGKILL at random points and restarted', async () => {
    // No time-driven facts: on this 2025 history they would go on growing the log past the head compared.
    const env = cliEnv({ EVENT_STORE_URL: database.url, LOG_LEVEL: 'warn', SALESLEDGER_TIME_FACTS_SECONDS: '0' });
    // Each run is killed a random moment after it commits a batch, so kills land mid-log however
    // slow the machine is; some land mid-transaction, which must roll back cleanly.
    const delays = fc.sample(fc.integer({ min: 0, max: 400 }), { numRuns: 3, seed: 7 });
    const positions: number[] = [];
    for (const delay of delays) {
      const before = await servedPosition();
      const child = spawn(process.execPath, [PROJECTOR], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      for (let i = 0; i < 1200 && (await servedPosition()) === before; i++) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      positions.push(await servedPosition());
    }
    const last = spawn(process.execPath, [PROJECTOR], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      await caughtUp();
    } finally {
      last.kill('SIGTERM');
      await new Promise((r) => last.once('exit', r));
    }
    // The kills landed mid-log: some after a batch had committed, some before the end.
    const head = (await store.head())!.position;
    expect(positions.some((p) => p > 0)).toBe(true);
    expect(positions.some((p) => p < head)).toBe(true);
    expect(tableDifferences(await served(), await reference())).toEqual([]);
  }, 180_000);

  it('rebuilds through the CLI while a live projector serves and writers append, then matches one clean pass', async () => {
    const live = PROJECTIONS.map(
      (each) =>
        new ProjectionRunner(store, pool, each, { pollIntervalMs: 10, retryMs: 100, log: pino({ level: 'silent' }) }),
    );
    for (const runner of live) runner.start();
    // A connection that has run the scorecard statement before the swap (it keeps it prepared).
    const before = new Client({ connectionString: database.url });
    await before.connect();
    const companyYear = (db: Pool | Client) =>
      periodScorecard(db, READ_MODEL, 'company', periodRange('year', '2025'), new Date('2026-01-15T00:00:00Z'));
    await companyYear(before);
    expect((await before.query('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows[0].n).toBe(1);
    try {
      const writing = appendHistory(store, organisationsLog(20, 2));
      const rebuilt = await runCli(['projections', 'rebuild', 'scorecards'], cliEnv({ EVENT_STORE_URL: database.url }));
      // Whole, so that a failure shows what the command wrote to stderr.
      expect({ ...rebuilt, stderr: rebuilt.stderr.slice(-2000) }).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('read model rebuilt and swapped in'),
      });
      await writing;
      await caughtUp();
    } finally {
      await Promise.all(live.map((runner) => runner.stop()));
    }
    expect(tableDifferences(await served(), await reference())).toEqual([]);
    const { rows } = await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [REBUILD]);
    expect(rows).toHaveLength(0);
    // It answers from the swapped-in tables, as a new connection does.
    const after = await companyYear(before);
    await before.end();
    expect(after.orders).toBeGreaterThan(0);
    expect(after).toEqual(await companyYear(pool));
  }, 180_000);

  it('resumes an interrupted rebuild from where it stopped', async () => {
    const stop = new AbortController();
    let seen = 0;
    const first = await rebuildReadModel(store, pool, database.url, {
      batchSize: 500,
      signal: stop.signal,
      onProgress: ({ applied }) => {
        seen = applied;
        if (applied >= 1000) stop.abort();
      },
    });
    expect(first).toBe(false);
    expect(seen).toBeGreaterThanOrEqual(1000);
    const { rows } = await pool.query(`SELECT position FROM ${REBUILD}.projection_checkpoints WHERE name = $1`, [
      projection!.name,
    ]);
    expect(Number(rows[0].position)).toBeGreaterThan(0);
    let resumedFrom = -1;
    const second = await rebuildReadModel(store, pool, database.url, {
      onProgress: ({ applied }) => (resumedFrom = resumedFrom < 0 ? applied : resumedFrom),
    });
    expect(second).toBe(true);
    expect(tableDifferences(await served(), await reference())).toEqual([]);
    expect((await pool.query('SELECT 1 FROM reporting.scorecards LIMIT 1')).rows).toHaveLength(1);
  }, 180_000);

  it('resumes an interrupted rebuild with a projection added meanwhile, applying each event once to each', async () => {
    // Users for the directory projection, at the end of the log: the page the rebuild stops after.
    for (const id of ['dir-1', 'dir-2'])
      await store.append(
        `user-${id}`,
        [newEvent('UserRegistered', { id, name: id, email: `${id}@example.com`, role: 'analyst' })],
        'no-stream',
      );
    await rebuildStoppedAfterItsFirstPage(100_000); // the whole log in one page
    // As if the directory came with an upgrade: no checkpoint, no rows. The others must skip what
    // they hold, and the directory must not skip what only they applied.
    await pool.query(`DELETE FROM ${REBUILD}.projection_checkpoints WHERE name = 'directory'`);
    await pool.query(`DELETE FROM ${REBUILD}.applied_streams WHERE projection = 'directory'`);
    await pool.query(`TRUNCATE ${REBUILD}.users, ${REBUILD}.tokens, ${REBUILD}.target_proposals`);
    expect(await rebuildReadModel(store, pool, database.url)).toBe(true);
    expect(tableDifferences(await served(), await reference())).toEqual([]);
    expect((await pool.query(`SELECT user_id FROM ${READ_MODEL}.users WHERE user_id LIKE 'dir-%'`)).rows).toHaveLength(
      2,
    );
  }, 180_000);

  it('keeps the stream revisions of only the events each projection applies', async () => {
    expect(await rebuildReadModel(store, pool, database.url)).toBe(true);
    const { rows } = await pool.query<{ projection: string; streams: number }>(
      `SELECT projection, count(*)::int AS streams FROM ${READ_MODEL}.applied_streams GROUP BY 1`,
    );
    const streams = Object.fromEntries(rows.map((row) => [row.projection, row.streams]));
    const all = (await pool.query(`SELECT count(DISTINCT stream_id)::int AS n FROM event_store.events`)).rows[0].n;
    // The scorecards apply the events of almost every stream; the alerts and the directory few.
    expect(streams['scorecards']).toBeGreaterThan(all * 0.9);
    expect(streams['alerts'] ?? 0).toBeLessThan(all * 0.1);
    expect(streams['directory'] ?? 0).toBeLessThan(all * 0.1);
  }, 180_000);

  it('gives the staged tables statistics during its replay, not only after it', async () => {
    await rebuildStoppedAfterItsFirstPage(2_000);
    // Without them, PostgreSQL scanned the whole of order_versions for each page's order lookup.
    const { rows } = await pool.query<{ estimated: number; stored: number }>(
      `SELECT reltuples::int AS estimated, (SELECT count(*)::int FROM ${REBUILD}.order_versions) AS stored
       FROM pg_class WHERE oid = '${REBUILD}.order_versions'::regclass`,
    );
    expect(rows[0]?.stored).toBeGreaterThan(0);
    expect(rows[0]?.estimated).toBe(rows[0]?.stored);
    expect(await rebuildReadModel(store, pool, database.url)).toBe(true);
  }, 180_000);

  it('resumes a replay noted by the version before, which kept each stream for every projection alike', async () => {
    await rebuildStoppedAfterItsFirstPage(100_000); // the whole log in one page
    // The notes as that version left them: a stream and its revision, for no projection in particular.
    await pool.query(
      `CREATE TABLE ${REBUILD}.notes AS SELECT DISTINCT stream_id, revision FROM ${REBUILD}.applied_staging`,
    );
    await pool.query(`DROP TABLE ${REBUILD}.applied_staging`);
    await pool.query(`ALTER TABLE ${REBUILD}.notes RENAME TO applied_staging`);
    expect(await rebuildReadModel(store, pool, database.url)).toBe(true);
    const [resumed, expected] = [await served(), await reference()];
    const { applied_streams: kept = [], ...tables } = resumed;
    const { applied_streams: needed = [], ...expectedTables } = expected;
    expect(tableDifferences(tables, expectedTables)).toEqual([]);
    // Kept for every projection: more than each needs, none missing, none behind.
    const rows = new Set(kept.map((row) => JSON.stringify(row)));
    expect(needed.filter((row) => !rows.has(JSON.stringify(row)))).toEqual([]);
  }, 180_000);

  it('refuses a second rebuild while one runs, and lets the first finish', async () => {
    let second: Promise<string> | undefined;
    const first = await rebuildReadModel(store, pool, database.url, {
      batchSize: 500,
      onProgress: () =>
        (second ??= rebuildReadModel(store, pool, database.url).then(
          () => 'it ran',
          (error: Error) => error.message,
        )),
    });
    expect(await second).toMatch(/^another read-model rebuild is running against this database/);
    expect(first).toBe(true);
    expect(tableDifferences(await served(), await reference())).toEqual([]);
    // Once the first has finished, a rebuild runs again.
    expect(await rebuildReadModel(store, pool, database.url)).toBe(true);
  }, 180_000);

  it('stops within the statement in hand when interrupted after its replay, and the next run finishes without undoing its steps', async () => {
    const before = await served();
    // A transaction holding the serving checkpoints keeps the swap waiting for as long as it stays open.
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query(`LOCK TABLE ${READ_MODEL}.projection_checkpoints IN ROW EXCLUSIVE MODE`);
    const stop = new AbortController();
    const interrupted = rebuildReadModel(store, pool, database.url, { signal: stop.signal });
    try {
      const swapWaits = async () =>
        (
          await pool.query(
            `SELECT 1 FROM pg_locks WHERE NOT granted AND relation = '${READ_MODEL}.projection_checkpoints'::regclass
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          )
        ).rowCount;
      for (let i = 0; i < 1200 && !(await swapWaits()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await swapWaits()).toBe(1);
      stop.abort();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((r) => (timer = setTimeout(r, 10_000, 'still waiting')));
      expect(await Promise.race([interrupted, late])).toBe(false);
      clearTimeout(timer);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
      await interrupted.catch(() => undefined);
    }
    expect(tableDifferences(await served(), before)).toEqual([]);
    // A table set unlogged and logged again, or an index dropped and built again, gets new files.
    const files = async (schema: string) =>
      (
        await pool.query(
          `SELECT relname, relfilenode FROM pg_class WHERE relnamespace = $1::regnamespace
           AND relname IN ('order_versions', 'order_versions_page', 'rep_days') ORDER BY relname`,
          [schema],
        )
      ).rows;
    const built = await files(REBUILD);
    expect(built).toHaveLength(3);
    // Events the log gains meanwhile go into the rebuilt tables as they are.
    await appendHistory(store, organisationsLog(2, 9));
    expect(await rebuildReadModel(store, pool, database.url)).toBe(true);
    expect(tableDifferences(await served(), await reference())).toEqual([]);
    expect(await files(READ_MODEL)).toEqual(built);
  }, 180_000);

  it('names the event it cannot apply, in its status, and gets past it once the cause is fixed', async () => {
    const bad = await store.append(
      'customer-ghost',
      [
        {
          eventId: crypto.randomUUID(),
          type: 'CustomerReassigned',
          data: { repId: 'r', previousRepId: 'q', reason: 'x' },
          metadata: {
            actor: { userId: 'u', role: 'admin' },
            correlationId: 'c',
            causationId: 'c',
            recordedAt: new Date().toISOString(),
          },
        },
      ],
      'any',
    );
    const runner = new ProjectionRunner(store, pool, projection!, {
      pollIntervalMs: 10,
      retryMs: 50,
      log: pino({ level: 'silent' }),
    });
    runner.start();
    try {
      let failure: any;
      for (let i = 0; i < 200 && !failure; i++) {
        failure = (
          await pool.query(
            `SELECT failed_position, failed_event_type, failed_error FROM ${READ_MODEL}.projection_checkpoints
             WHERE name = $1`,
            [projection!.name],
          )
        ).rows[0];
        if (!failure?.failed_position) failure = undefined;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(failure).toEqual({
        failed_position: String(bad.positions[0]),
        failed_event_type: 'CustomerReassigned',
        failed_error: expect.stringContaining('customer the read model does not hold'),
      });
      // It stopped right before the event: everything before it applied, nothing after.
      expect(await servedPosition()).toBe(bad.positions[0]! - 1);
      // The fix: the customer's registration, put where the projection can see it first.
      await pool.query(
        `INSERT INTO ${READ_MODEL}.customers VALUES ('ghost', 'Ghost', 'q', 'q', 'customer', '2026-01-01', false, now(), 0)`,
      );
      await caughtUp([projection!.name]);
      const { rows } = await pool.query(
        `SELECT failed_position FROM ${READ_MODEL}.projection_checkpoints WHERE name = $1`,
        [projection!.name],
      );
      expect(rows[0].failed_position).toBeNull();
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it('resumes by itself when its database restarts under it', async () => {
    const dataDir = await tempDataDir();
    const server = await startEmbeddedPostgres(dataDir);
    const own = new Pool({ connectionString: server.url, max: 4 });
    own.on('error', () => undefined); // the restart drops idle connections; the runner reconnects
    try {
      await migrateEventStore(server.url);
      await migrateReadModel(server.url);
      const ownStore = new PostgresEventStore(own, { pollIntervalMs: 10 });
      await appendHistory(ownStore, organisationsLog(5, 3));
      const runner = new ProjectionRunner(ownStore, own, projection!, {
        pollIntervalMs: 10,
        retryMs: 100,
        log: pino({ level: 'silent' }),
      });
      runner.start();
      await restartPostgres(dataDir);
      await appendHistory(ownStore, organisationsLog(5, 4));
      const head = (await ownStore.head())!.position;
      let position = 0;
      for (let i = 0; i < 600 && position < head; i++) {
        await new Promise((r) => setTimeout(r, 50));
        position = Number(
          (
            await own.query(`SELECT position FROM read_model.projection_checkpoints WHERE name = $1`, [
              projection!.name,
            ])
          ).rows[0]?.position ?? 0,
        );
      }
      await runner.stop();
      expect(position).toBe(head);
    } finally {
      await own.end();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** `pg_ctl restart` on an embedded server's data dir: same port, every connection dropped. */
async function restartPostgres(dataDir: string): Promise<void> {
  const run = promisify(execFile);
  const bin = join(
    dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)),
    '..',
    'native',
    'bin',
  );
  const asPostgres =
    userInfo().uid === 0
      ? {
          uid: Number((await run('id', ['-u', 'postgres'])).stdout),
          gid: Number((await run('id', ['-g', 'postgres'])).stdout),
        }
      : {};
  // With its log in a file: a server writing to our pipe would keep execFile waiting for it to close.
  const root = join(dataDir, 'postgres');
  await run(
    join(bin, 'pg_ctl'),
    ['restart', '-D', join(root, 'data'), '-m', 'immediate', '-w', '-t', '60', '-l', join(root, 'server.log')],
    asPostgres,
  );
}
