import { Client, Pool } from 'pg';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { cliEnv, runCli } from '../support/cli';
import { newEvents } from '../support/events';
import { createDatabase, postgresServers } from '../support/postgres-servers';

describe.each(postgresServers())('salesledger audit verify on $name', (server) => {
  let url: string;
  let drop: () => Promise<void>;
  let sql: Client;
  let ids: Record<string, string[]>;

  beforeEach(async () => {
    ({ url, drop } = await createDatabase(server));
    await migrateEventStore(url);
    const store = new PostgresEventStore(new Pool({ connectionString: url }));
    ids = {};
    for (const stream of ['target-rep-1-2026-03', 'order-1', 'visit-1']) {
      const events = newEvents(4);
      await store.append(stream, events.slice(0, 2), 'no-stream');
      await store.append(stream, events.slice(2), 1);
      ids[stream] = events.map((e) => e.eventId);
    }
    await store.close();
    sql = new Client({ connectionString: url });
    await sql.connect();
  });

  afterEach(async () => {
    await sql.end();
    await drop();
  });

  const verify = () => runCli(['audit', 'verify'], cliEnv({ EVENT_STORE_URL: url }));
  const problems = (stdout: string) => stdout.split('\n').filter((line) => /^(ALTERED|REMOVED|REORDERED) /.test(line));

  it('passes an untouched log and says what it checked', async () => {
    const { code, stdout } = await verify();
    expect(stdout).toContain('checked 12 events in 3 streams: 0 problems');
    expect(code).toBe(0);
  });

  it('names an event whose data was altered', async () => {
    const target = ids['target-rep-1-2026-03']?.[1];
    await sql.query(`UPDATE event_store.events SET data = '{"amount": 1000000}' WHERE event_id = $1`, [target]);
    const { code, stdout } = await verify();
    expect(problems(stdout)).toEqual([
      expect.stringMatching(`^ALTERED stream=target-rep-1-2026-03 revision=1 event=${target}`),
    ]);
    expect(code).toBe(1);
  });

  it('names an event whose metadata (actor) was altered', async () => {
    const target = ids['order-1']?.[0];
    await sql.query(
      `UPDATE event_store.events SET metadata = jsonb_set(metadata, '{actor,userId}', '"someone-else"') WHERE event_id = $1`,
      [target],
    );
    const { code, stdout } = await verify();
    expect(problems(stdout)).toEqual([expect.stringMatching(`^ALTERED stream=order-1 revision=0 event=${target}`)]);
    expect(code).toBe(1);
  });

  it('names an event removed from the middle of a stream', async () => {
    await sql.query('DELETE FROM event_store.events WHERE event_id = $1', [ids['order-1']?.[2]]);
    const { code, stdout } = await verify();
    expect(problems(stdout)).toEqual([expect.stringMatching('^REMOVED stream=order-1 revision=2 ')]);
    expect(code).toBe(1);
  });

  it('names the removed last event of a stream', async () => {
    await sql.query('DELETE FROM event_store.events WHERE event_id = $1', [ids['visit-1']?.[3]]);
    const { code, stdout } = await verify();
    expect(problems(stdout)).toEqual([expect.stringMatching('^REMOVED stream=visit-1 revision=3 ')]);
    expect(code).toBe(1);
  });

  it('names both events of a stream whose order was swapped', async () => {
    const [first, second] = ids['order-1'] ?? [];
    await sql.query(`UPDATE event_store.events SET stream_revision = -stream_revision - 1 WHERE event_id IN ($1, $2)`, [
      first,
      second,
    ]);
    await sql.query(
      `UPDATE event_store.events SET stream_revision = CASE WHEN event_id = $1 THEN 1 ELSE 0 END WHERE event_id IN ($1, $2)`,
      [first, second],
    );
    const { code, stdout } = await verify();
    expect(problems(stdout).sort()).toEqual([
      expect.stringMatching(`^REORDERED stream=order-1 revision=0 event=${second}`),
      expect.stringMatching(`^REORDERED stream=order-1 revision=1 event=${first}`),
    ]);
    expect(code).toBe(1);
  });

  it('names every tampered event at once', async () => {
    await sql.query(`UPDATE event_store.events SET type = 'Forged' WHERE event_id = $1`, [ids['visit-1']?.[0]]);
    await sql.query('DELETE FROM event_store.events WHERE event_id = $1', [ids['order-1']?.[1]]);
    const { code, stdout } = await verify();
    expect(problems(stdout)).toHaveLength(2);
    expect(code).toBe(1);
  });
});
