import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import type { RecordedEvent } from '@salesledger/domain/event';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { rebuildReadModel } from '@salesledger/read-model/rebuild';
import { cliEnv, runCli } from '../support/cli';
import { domainSamples } from '../support/domain-samples';
import { logEvents, newEvents } from '../support/events';
import { createDatabase, postgresServers, type PostgresServer } from '../support/postgres-servers';

const run = promisify(execFile);

/** Pages of 50: a restored log is read across pages, some sealed before the dump and some after. */
const readInSmallPages = (store: PostgresEventStore) => logEvents(store, undefined, 50);

// pg_dump must be as new as the server it dumps: the machine's client tools match the machine's
// server, and the embedded server (newer) ships none. So the log is dumped from the machine server
// and restored into a fresh database there (pg_restore) and into the embedded server, another
// cluster whose transaction ids have nothing to do with the dumped ones (psql).
const [embedded, machine] = postgresServers() as [PostgresServer, PostgresServer | undefined];
const targets = machine
  ? [
      { name: `a fresh database on ${machine.name}, with pg_restore`, server: machine, format: 'custom' },
      { name: `a fresh database in another cluster (${embedded.name}), with psql`, server: embedded, format: 'plain' },
    ]
  : [];

const openStore = (url: string) => {
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined); // dropping the database at the end terminates idle clients
  return { pool, store: new PostgresEventStore(pool) };
};

async function scorecards(store: PostgresEventStore, pool: Pool, url: string): Promise<unknown[]> {
  await migrateReadModel(url);
  expect(await rebuildReadModel(store, pool, url)).toBe(true);
  return (await pool.query('SELECT * FROM read_model.scorecards ORDER BY rep_id, grain, period')).rows;
}

(machine ? describe : describe.skip)('a store copied with pg_dump into a fresh database', () => {
  const cleanup: (() => Promise<void>)[] = [];
  let dir: string;
  let source: { ids: string[]; scorecards: unknown[] };

  beforeAll(async () => {
    const database = await createDatabase(machine as PostgresServer);
    await migrateEventStore(database.url);
    const { pool, store } = openStore(database.url);
    cleanup.push(database.drop, () => store.close());
    const samples = await domainSamples();
    for (const [index, e] of samples.entries()) {
      const { eventId, type, data, metadata } = e;
      await store.append(
        e.streamId,
        [{ eventId, type, data, metadata }],
        e.revision === 0 ? 'no-stream' : e.revision - 1,
      );
      // The first half is read (and so sealed) before the dump, the rest is still pending in it.
      if (index === Math.floor(samples.length / 2)) await readInSmallPages(store);
    }
    expect(Number((await pool.query('SELECT count(*) FROM event_store.pending')).rows[0].count)).toBeGreaterThan(10);
    dir = await mkdtemp(join(tmpdir(), 'salesledger-restore-'));
    await run('pg_dump', ['-n', 'event_store', '-Fc', '-f', join(dir, 'custom'), database.url]);
    await run('pg_dump', ['-n', 'event_store', '-Fp', '--no-owner', '-f', join(dir, 'plain'), database.url]);
    const ids = (await readInSmallPages(store)).map((e) => e.eventId);
    expect(ids).toHaveLength(samples.length);
    source = { ids, scorecards: await scorecards(store, pool, database.url) };
    expect(source.scorecards.length).toBeGreaterThan(0);
  }, 120_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe.each(targets)('into $name', ({ server, format }) => {
    let url: string;
    let store: PostgresEventStore;
    let pool: Pool;

    beforeAll(async () => {
      const database = await createDatabase(server);
      url = database.url;
      if (format === 'custom') await run('pg_restore', ['--no-owner', '-d', url, join(dir, 'custom')]);
      else await run('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', join(dir, 'plain')]);
      // As every process does on start: migrations (none left to run), then the first seal.
      await migrateEventStore(url);
      ({ pool, store } = openStore(url));
      cleanup.push(database.drop, () => store.close());
    }, 60_000);

    const verify = () => runCli(['audit', 'verify'], cliEnv({ EVENT_STORE_URL: url }));

    it('verifies clean', async () => {
      const { code, stdout } = await verify();
      expect(stdout).toContain(`checked ${source.ids.length} events in `);
      expect(stdout).toContain(`whole-log chain: ${source.ids.length} entries checked`);
      expect(stdout).toContain(': 0 problems');
      expect(code).toBe(0);
    });

    it('replays every event in the original order, to the same scorecards', async () => {
      expect((await readInSmallPages(store)).map((e) => e.eventId)).toEqual(source.ids);
      expect(await scorecards(store, pool, url)).toEqual(source.scorecards);
    });

    it('appends after the restored events, readable from the last checkpoint, and still verifies', async () => {
      const last = (await readInSmallPages(store)).at(-1) as RecordedEvent;
      const added = newEvents(3);
      await store.append(`restored-${format}`, added.slice(0, 2), 'no-stream');
      await store.append(last.streamId, added.slice(2), last.revision);
      expect((await store.readAll(last.checkpoint, 100)).map((e) => e.eventId)).toEqual(added.map((e) => e.eventId));
      const { code, stdout } = await verify();
      expect(stdout).toContain(`checked ${source.ids.length + 3} events in `);
      expect(code).toBe(0);
    });
  });
});
