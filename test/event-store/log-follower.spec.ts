import { Pool } from 'pg';
import type { Checkpoint, RecordedEvent } from '@salesledger/domain/event';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { CheckpointMoved, followLog, type FollowOptions, type LogReader } from '@salesledger/event-store/log-follower';
import { AppendWakeup, notifyingAppends } from '@salesledger/read-model/append-wakeup';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { logEvents, newEvents, uniqueStream } from '../support/events';

const [embedded] = postgresServers();
// Far longer than any spec here may take: a follower that waited this long fails by timeout.
const LONG_MS = 600_000;

describe('following the log', () => {
  let database: { url: string; drop: () => Promise<void> };
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createDatabase(embedded!);
    await migrateEventStore(database.url);
    store = new PostgresEventStore(new Pool({ connectionString: database.url, max: 4 }), { pollIntervalMs: 10 });
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  /**
   * A reader that keeps its checkpoint in memory and records the pages it was handed, and any page
   * handed as following another checkpoint than the one stored (checked after following: a throw
   * here would only hand the page back).
   */
  function recordingReader(handle?: (page: readonly RecordedEvent[]) => Promise<void>) {
    const reader = {
      stored: null as Checkpoint | null,
      pages: [] as RecordedEvent[][],
      wrongFrom: [] as { from: Checkpoint | null; stored: Checkpoint | null }[],
      checkpoint: async () => reader.stored,
      handle: async (page: readonly RecordedEvent[], from: Checkpoint | null) => {
        if (from !== reader.stored) reader.wrongFrom.push({ from, stored: reader.stored });
        await handle?.(page);
        reader.pages.push([...page]);
        reader.stored = (page.at(-1) as RecordedEvent).checkpoint;
      },
    };
    return reader;
  }

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; !condition(); i++) {
      if (i > 1000) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function following(
    reader: LogReader,
    whileFollowing: () => Promise<void>,
    { store: followed = store, ...options }: { store?: PostgresEventStore } & Partial<FollowOptions> = {},
  ) {
    const stopping = new AbortController();
    const follow = followLog(followed, reader, stopping.signal, { name: 'spec', pageSize: 100, ...options });
    try {
      await whileFollowing();
    } finally {
      stopping.abort();
      await follow;
    }
    if ('wrongFrom' in reader) expect(reader.wrongFrom).toEqual([]);
  }

  it('hands every event once, in log order, in full pages while behind and then as they come', async () => {
    await store.append(uniqueStream(), newEvents(250), 'no-stream');
    const reader = recordingReader();
    const later = uniqueStream();
    await following(reader, async () => {
      await until(() => reader.pages.flat().length === 250);
      await store.append(later, newEvents(3), 'no-stream');
      await store.append(later, newEvents(2), 2);
      await until(() => reader.pages.flat().length === 255);
    });
    expect(reader.pages.slice(0, 3).map((page) => page.length)).toEqual([100, 100, 50]);
    expect(reader.pages.flat().map((event) => event.eventId)).toEqual((await logEvents(store)).map((e) => e.eventId));
  });

  /** The store, noting the checkpoint each read starts after. */
  function watchedReads() {
    const reads: (Checkpoint | null)[] = [];
    const watched = Object.assign(Object.create(store), {
      readAll: (from: Checkpoint | null, limit: number) => (reads.push(from), store.readAll(from, limit)),
    }) as PostgresEventStore;
    return { reads, watched };
  }

  it('reads the log as it stands a page ahead of the caller', async () => {
    await store.append(uniqueStream(), newEvents(250), 'no-stream');
    const { reads, watched } = watchedReads();
    const sizes: number[] = [];
    for await (const page of watched.pages(null, 100)) {
      sizes.push(page.length);
      if (page.length === 100) await until(() => reads.includes((page.at(-1) as RecordedEvent).checkpoint));
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(reads).toHaveLength(3);
  });

  it('reads the next page while the reader handles the one before', async () => {
    await store.append(uniqueStream(), newEvents(300), 'no-stream');
    const { reads, watched } = watchedReads();
    // The first page is held until the page after it has been asked for.
    const reader = recordingReader(async (page) => {
      if (reader.pages.length === 0) await until(() => reads.includes((page.at(-1) as RecordedEvent).checkpoint));
    });
    await following(reader, () => until(() => reader.pages.flat().length === 300), { store: watched });
  });

  it('hands a failed page back after a pause', async () => {
    await store.append(uniqueStream(), newEvents(30), 'no-stream');
    const everything = await logEvents(store);
    const tries: number[] = [];
    const reader = recordingReader(async (page) => {
      if (page[0]?.eventId !== everything[10]?.eventId) return;
      tries.push(performance.now());
      if (tries.length === 1) throw new Error('the database went away');
    });
    const caughtUp = () => reader.stored === (everything.at(-1) as RecordedEvent).checkpoint;
    await following(reader, () => until(caughtUp), { pageSize: 10, retryMs: 300 });
    expect(tries).toHaveLength(2);
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(250);
    expect(reader.pages.flat().map((event) => event.eventId)).toEqual(everything.map((event) => event.eventId));
  });

  it('resumes at once from a checkpoint someone else moved', async () => {
    await store.append(uniqueStream(), newEvents(30), 'no-stream');
    const everything = await logEvents(store);
    let moved = false;
    const reader = recordingReader(async (page) => {
      if (page[0]?.eventId !== everything[10]?.eventId || moved) return;
      moved = true;
      reader.stored = (everything[19] as RecordedEvent).checkpoint; // another replica handled 10 to 19
      throw new CheckpointMoved();
    });
    const caughtUp = () => reader.stored === (everything.at(-1) as RecordedEvent).checkpoint;
    await following(reader, () => until(caughtUp), { pageSize: 10, retryMs: LONG_MS });
    const handed = reader.pages.flat().map((event) => event.eventId);
    expect(handed).toEqual([...everything.slice(0, 10), ...everything.slice(20)].map((event) => event.eventId));
  });

  it('does its quiet work at the head of the log, again at once while it reports more', async () => {
    const reader = Object.assign(recordingReader(), {
      quietRuns: 0,
      idle: async () => (++reader.quietRuns < 5 ? 1 : 0),
    });
    await following(reader, () => until(() => reader.quietRuns === 5), { pollIntervalMs: LONG_MS });
    expect(reader.quietRuns).toBe(5);
  });

  it('runs its quiet work between pages however steadily events come', async () => {
    const wakeup = new AppendWakeup();
    const appending = notifyingAppends(store, wakeup);
    const reader = Object.assign(recordingReader(), { quietRuns: 0, idle: async () => (reader.quietRuns++, 0) });
    const stream = uniqueStream();
    await following(
      reader,
      async () => {
        await until(() => reader.quietRuns === 1);
        // An event every few milliseconds, far more often than the poll interval.
        for (let i = 0; i < 20; i++) {
          await appending.append(stream, newEvents(1), i === 0 ? 'no-stream' : i - 1);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await until(() => reader.pages.flat().length === 20);
      },
      { pollIntervalMs: LONG_MS, wakeup },
    );
    expect(reader.quietRuns).toBeGreaterThan(5);
  });

  it('reads at once when woken by an append', async () => {
    const wakeup = new AppendWakeup();
    const appending = notifyingAppends(store, wakeup);
    const reader = recordingReader();
    await following(
      reader,
      async () => {
        await until(() => wakeup.waiting > 0);
        await appending.append(uniqueStream(), newEvents(2), 'no-stream');
        await until(() => reader.pages.length === 1);
      },
      { pollIntervalMs: LONG_MS, wakeup },
    );
    expect(reader.pages.map((page) => page.length)).toEqual([2]);
  });

  it('finds an append heard while an older transaction held its sealing back, once that transaction ends', async () => {
    const wakeup = new AppendWakeup();
    const appending = notifyingAppends(store, wakeup);
    const reader = recordingReader();
    const older = new Pool({ connectionString: database.url, max: 1 });
    const holder = await older.connect();
    try {
      await following(
        reader,
        async () => {
          await until(() => wakeup.waiting > 0);
          // A transaction with an id, older than the append's: the log cannot seal past it.
          await holder.query('BEGIN');
          await holder.query('SELECT pg_current_xact_id()');
          await appending.append(uniqueStream(), newEvents(1), 'no-stream');
          await new Promise((resolve) => setTimeout(resolve, 100));
          expect(reader.pages).toEqual([]);
          // Its end is announced to no one, and no append follows: only looking again finds the event.
          await holder.query('COMMIT');
          await until(() => reader.pages.length === 1);
        },
        { pollIntervalMs: LONG_MS, wakeup },
      );
    } finally {
      holder.release();
      await older.end();
    }
    expect(reader.pages.map((page) => page.length)).toEqual([1]);
  });

  it('finds an unannounced append soon after the events it read, once the older transaction holding its sealing back ends', async () => {
    const reader = recordingReader();
    const older = new Pool({ connectionString: database.url, max: 1 });
    const holder = await older.connect();
    await store.append(uniqueStream(), newEvents(1), 'no-stream');
    try {
      await following(
        reader,
        async () => {
          // Found by the first read, not by a wake-up.
          await until(() => reader.pages.length === 1);
          await holder.query('BEGIN');
          await holder.query('SELECT pg_current_xact_id()');
          // Appended by a writer that wakes no one here, as one in another process whose NOTIFY was lost.
          await store.append(uniqueStream(), newEvents(2), 'no-stream');
          await new Promise((resolve) => setTimeout(resolve, 100));
          expect(reader.pages).toHaveLength(1);
          await holder.query('COMMIT');
          await until(() => reader.pages.length === 2);
        },
        { pollIntervalMs: LONG_MS, wakeup: new AppendWakeup() },
      );
    } finally {
      holder.release();
      await older.end();
    }
    expect(reader.pages.map((page) => page.length)).toEqual([1, 2]);
  });
});
