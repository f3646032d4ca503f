import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { cliEnv, runCli } from '../support/cli';
import { newEvents } from '../support/events';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { cutTail, rechainLog, rechainStream } from './tamper';

const STREAMS = ['target-rep-1-2026-03', 'order-1', 'visit-1'];

describe.each(postgresServers())('tamper matrix of audit verify on $name', (server) => {
  let url: string;
  let drop: () => Promise<void>;
  let sql: Client;
  let dataDir: string;
  let anchorFile: string;

  beforeEach(async () => {
    ({ url, drop } = await createDatabase(server));
    await migrateEventStore(url);
    const store = new PostgresEventStore(new Pool({ connectionString: url }));
    // Streams interleave in the log, so a stream's events are not next to each other.
    for (const [round, expected] of [[0, 'no-stream'] as const, [1, 1] as const])
      for (const stream of STREAMS) await store.append(stream, newEvents(2), round === 0 ? expected : expected);
    await store.close();
    sql = new Client({ connectionString: url });
    await sql.connect();
    dataDir = await mkdtemp(join(tmpdir(), 'salesledger-audit-'));
    anchorFile = join(dataDir, 'anchor.json');
    const anchored = await cli(['audit', 'anchor', '--out', anchorFile]);
    expect(anchored.code).toBe(0);
  });

  afterEach(async () => {
    await sql.end();
    await drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runCli(args, cliEnv({ EVENT_STORE_URL: url, SALESLEDGER_DATA_DIR: dataDir }));
  const verify = (anchor = false) => cli(['audit', 'verify', ...(anchor ? ['--anchor', anchorFile] : [])]);
  const problems = (stdout: string) =>
    stdout.split('\n').filter((line) => /^(ALTERED|REMOVED|REORDERED|TRUNCATED|REWRITTEN) /.test(line));
  const eventAt = async (stream: string, revision: number) =>
    (
      await sql.query('SELECT event_id FROM event_store.events WHERE stream_id = $1 AND stream_revision = $2', [
        stream,
        revision,
      ])
    ).rows[0]?.event_id as string;

  it('passes the untouched log, with and without its anchor', async () => {
    for (const anchor of [false, true]) {
      const { code, stdout } = await verify(anchor);
      expect(problems(stdout)).toEqual([]);
      expect(stdout).toContain('checked 12 events in 3 streams: 0 problems');
      expect(stdout).toContain('whole-log chain: 12 entries checked');
      expect(code).toBe(0);
    }
  });

  it('detects an edited event', async () => {
    await sql.query(`UPDATE event_store.events SET data = '{"amount": 1}' WHERE event_id = $1`, [
      await eventAt('order-1', 2),
    ]);
    const { code, stdout } = await verify();
    expect(problems(stdout)).toContainEqual(expect.stringMatching('^ALTERED stream=order-1 revision=2 '));
    expect(code).toBe(1);
  });

  it('detects a deleted row', async () => {
    await sql.query('DELETE FROM event_store.events WHERE event_id = $1', [await eventAt('visit-1', 1)]);
    const { code, stdout } = await verify();
    expect(problems(stdout)).toContainEqual(expect.stringMatching('^REMOVED stream=visit-1 revision=1 '));
    expect(problems(stdout)).toContainEqual(expect.stringMatching('^REMOVED seq=\\d+: the event at position'));
    expect(code).toBe(1);
  });

  it('detects a whole stream deleted with its head', async () => {
    await sql.query(`DELETE FROM event_store.events WHERE stream_id = 'target-rep-1-2026-03'`);
    await sql.query(`DELETE FROM event_store.streams WHERE stream_id = 'target-rep-1-2026-03'`);
    const { code, stdout } = await verify();
    expect(problems(stdout).filter((line) => line.startsWith('REMOVED seq='))).toHaveLength(4);
    expect(code).toBe(1);
  });

  it('detects a whole stream deleted with its log entries', async () => {
    await sql.query(`DELETE FROM event_store.log WHERE position IN
      (SELECT position FROM event_store.events WHERE stream_id = 'order-1')`);
    await sql.query(`DELETE FROM event_store.events WHERE stream_id = 'order-1'`);
    await sql.query(`DELETE FROM event_store.streams WHERE stream_id = 'order-1'`);
    const { code, stdout } = await verify();
    expect(problems(stdout)).toContainEqual(expect.stringMatching('^REMOVED seq=\\d+: log entries'));
    expect(code).toBe(1);
  });

  it('detects the last event of a stream deleted with its head set back', async () => {
    await sql.query('DELETE FROM event_store.events WHERE event_id = $1', [await eventAt('visit-1', 3)]);
    await rechainStream(sql, 'visit-1');
    const { code, stdout } = await verify();
    expect(problems(stdout)).toEqual([expect.stringMatching('^REMOVED seq=\\d+: the event at position')]);
    expect(code).toBe(1);
  });

  it('detects two events swapped between streams and within one', async () => {
    const [a, b] = [await eventAt('order-1', 0), await eventAt('order-1', 1)];
    await sql.query(`UPDATE event_store.events SET stream_revision = -1 - stream_revision WHERE event_id IN ($1, $2)`, [
      a,
      b,
    ]);
    await sql.query(
      `UPDATE event_store.events SET stream_revision = CASE WHEN event_id = $1 THEN 1 ELSE 0 END WHERE event_id IN ($1, $2)`,
      [a, b],
    );
    const { code, stdout } = await verify();
    expect(problems(stdout)).toContainEqual(expect.stringMatching('^REORDERED stream=order-1 '));
    expect(code).toBe(1);
  });

  it('detects two log entries swapped', async () => {
    await sql.query(`UPDATE event_store.log SET seq = CASE seq WHEN 2 THEN -3 ELSE -2 END WHERE seq IN (2, 3)`);
    await sql.query('UPDATE event_store.log SET seq = -seq WHERE seq < 0');
    const { code, stdout } = await verify();
    expect(problems(stdout)).toContainEqual(expect.stringMatching('^ALTERED seq=2: the log chain breaks'));
    expect(code).toBe(1);
  });

  it('detects a cut tail with every head set back only given an anchor', async () => {
    await cutTail(sql, 3);
    expect((await verify()).code).toBe(0);
    const { code, stdout } = await verify(true);
    expect(problems(stdout)).toEqual([expect.stringMatching('^TRUNCATED seq=10: the log ends at 9, the anchor at 12')]);
    expect(code).toBe(1);
  });

  it('detects an edit with every hash recomputed only given an anchor', async () => {
    await sql.query(`UPDATE event_store.events SET data = '{"amount": 1}' WHERE event_id = $1`, [
      await eventAt('target-rep-1-2026-03', 1),
    ]);
    await rechainStream(sql, 'target-rep-1-2026-03');
    await rechainLog(sql);
    expect((await verify()).code).toBe(0);
    const { code, stdout } = await verify(true);
    expect(problems(stdout)).toEqual([expect.stringMatching('^REWRITTEN seq=12: ')]);
    expect(code).toBe(1);
  });

  it('refuses an anchor signed with another key, and an edited anchor', async () => {
    const anchor = JSON.parse(await readFile(anchorFile, 'utf8'));
    await writeFile(anchorFile, JSON.stringify({ ...anchor, statement: { ...anchor.statement, seq: 11 } }));
    const edited = await verify(true);
    expect(edited.stderr).toContain('its signature does not match its statement');
    expect(edited.code).toBe(1);
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const foreign = await runCli(
      ['audit', 'verify', '--anchor', anchorFile],
      cliEnv({ EVENT_STORE_URL: url, SALESLEDGER_DATA_DIR: dataDir, SALESLEDGER_AUDIT_KEY: other }),
    );
    expect(foreign.stderr).toContain('signed with another key');
    expect(foreign.code).toBe(1);
  });
});
