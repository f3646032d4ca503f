import type { NewEvent, RecordedEvent, RecordedEventJson } from '@salesledger/domain/event';
import type { EventStore, ExpectedRevision } from '@salesledger/domain/event-store.port';
import { ConflictError, InvalidInputError, WrongExpectedRevisionError } from '@salesledger/domain/errors';
import { chainHash, eventDigest } from '@salesledger/domain/event-hash';
import { newEvent, newEvents, uniqueStream } from '../support/events';

export interface StoreFixture {
  readonly store: EventStore;
  /**
   * Appends as one transaction that stays open for `holdMs` and then commits, or rolls back.
   * Stores without client transactions emulate the roll-back with an append that is refused.
   */
  appendHeld(streamId: string, events: NewEvent[], options: { holdMs: number; rollback: boolean }): Promise<void>;
  /** Event ids as the store's own storage lists them, bypassing the adapter's read path. */
  storedEventIds(): Promise<string[]>;
  close(): Promise<void>;
}

export interface StoreCapabilities {
  /** EventStoreDB only detects a reused event id within one stream. */
  readonly uniqueEventIdsAcrossStreams: boolean;
}

/** DESIGN §3, the same for every adapter. */
export function eventStoreContract(
  makeFixture: () => Promise<StoreFixture>,
  capabilities: StoreCapabilities = { uniqueEventIdsAcrossStreams: true },
): void {
  let fixture: StoreFixture;
  let store: EventStore;

  beforeAll(async () => {
    fixture = await makeFixture();
    store = fixture.store;
  });
  afterAll(() => fixture.close());

  const storedCount = async () => (await fixture.storedEventIds()).length;

  describe('append and readStream', () => {
    it('stores a new stream at revisions 0..n-1 with data and metadata intact', async () => {
      const stream = uniqueStream();
      const events = [newEvent('VisitLogged', { amount: 12.5, tags: ['a'], nested: { ok: true } }), newEvent()];
      const result = await store.append(stream, events, 'no-stream');
      const read = await store.readStream(stream);
      expect(result.nextExpectedRevision).toBe(1);
      expect(read.map((e) => [e.revision, e.eventId, e.type, e.data, e.metadata])).toEqual(
        events.map((e, i) => [i, e.eventId, e.type, e.data, e.metadata]),
      );
      expect(read.map((e) => e.position)).toEqual(result.positions);
    });

    it('reads from a revision on, and an unknown stream as empty', async () => {
      const stream = uniqueStream();
      await store.append(stream, newEvents(5), 'no-stream');
      expect((await store.readStream(stream, 3)).map((e) => e.revision)).toEqual([3, 4]);
      expect(await store.readStream(uniqueStream())).toEqual([]);
    });

    it('appends at the exact expected revision and with any', async () => {
      const stream = uniqueStream();
      await store.append(stream, newEvents(2), 'no-stream');
      expect((await store.append(stream, newEvents(1), 1)).nextExpectedRevision).toBe(2);
      expect((await store.append(stream, newEvents(2), 'any')).nextExpectedRevision).toBe(4);
      expect((await store.append(uniqueStream(), newEvents(1), 'any')).nextExpectedRevision).toBe(0);
    });

    it.each<[string, ExpectedRevision]>([
      ['a stale revision', 0],
      ['a future revision', 5],
      ['no-stream on an existing stream', 'no-stream'],
    ])('refuses %s with a typed error and writes nothing', async (_, expected) => {
      const stream = uniqueStream();
      await store.append(stream, newEvents(2), 'no-stream');
      const before = await storedCount();
      const error = await store.append(stream, newEvents(2), expected).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId: stream, actual: 1 });
      expect(await store.readStream(stream)).toHaveLength(2);
      expect(await storedCount()).toBe(before);
    });

    it('refuses an exact revision on a stream that does not exist', async () => {
      const error = await store.append(uniqueStream(), newEvents(1), 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ actual: -1 });
    });

    it('chains every event to the previous one of its stream', async () => {
      const stream = uniqueStream();
      await store.append(stream, newEvents(2), 'no-stream');
      await store.append(stream, newEvents(2), 'any');
      let previous: Buffer | null = null;
      for (const event of await store.readStream(stream)) {
        const expected = chainHash(previous, eventDigest(stream, event), event.revision);
        expect(event.hash).toBe(expected.toString('hex'));
        previous = expected;
      }
    });
  });

  describe('concurrent appends with the same expected revision', () => {
    it('lets exactly one win; the rest get the concurrency error and store nothing', async () => {
      const stream = uniqueStream();
      await store.append(stream, newEvents(1), 'no-stream');
      const batches = Array.from({ length: 10 }, () => newEvents(3));
      const outcomes = await Promise.allSettled(batches.map((events) => store.append(stream, events, 0)));
      const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
      }
      const stored = (await store.readStream(stream)).slice(1).map((e) => e.eventId);
      expect(stored).toEqual(batches[winners[0] as number]?.map((e) => e.eventId));
    });
  });

  describe('idempotent retries', () => {
    it('returns the original result for already stored event ids and stores nothing', async () => {
      const stream = uniqueStream();
      const events = newEvents(3);
      const first = await store.append(stream, events, 'no-stream');
      await store.append(stream, newEvents(1), 'any');
      const before = await storedCount();
      expect(await store.append(stream, events, 'no-stream')).toEqual(first);
      expect(await store.append(stream, events, 'any')).toEqual(first);
      expect(await storedCount()).toBe(before);
      expect(await store.readStream(stream)).toHaveLength(4);
    });

    (capabilities.uniqueEventIdsAcrossStreams ? it : it.skip)(
      'refuses an event id already stored in another stream',
      async () => {
        const events = newEvents(1);
        await store.append(uniqueStream(), events, 'any');
        const other = uniqueStream();
        await expect(store.append(other, [...events, newEvent()], 'any')).rejects.toBeInstanceOf(ConflictError);
        expect(await store.readStream(other)).toEqual([]);
      },
    );
  });

  describe('atomic multi-event appends', () => {
    const invalid: [string, (e: NewEvent) => NewEvent][] = [
      ['an id that is not a UUID', (e) => ({ ...e, eventId: 'order-1' })],
      ['an upper-case UUID', (e) => ({ ...e, eventId: e.eventId.toUpperCase() })],
      ['an empty type', (e) => ({ ...e, type: '' })],
      ['a NUL character in the data', (e) => ({ ...e, data: { note: 'a\u0000b' } })],
      ['a repeated event id', (e) => e],
    ];

    it.each(invalid)('stores none of the events when one has %s', async (_, spoil) => {
      const stream = uniqueStream();
      const events = newEvents(3);
      const spoiled = spoil(events[0] as NewEvent);
      const before = await storedCount();
      await expect(store.append(stream, [...events, spoiled], 'any')).rejects.toBeInstanceOf(InvalidInputError);
      expect(await store.readStream(stream)).toEqual([]);
      expect(await storedCount()).toBe(before);
    });
  });

  describe('readAll', () => {
    it('pages through every event in global order and resumes from a checkpoint', async () => {
      const streams = [uniqueStream(), uniqueStream()];
      for (const stream of streams) await store.append(stream, newEvents(3), 'no-stream');
      await store.append(streams[0] as string, newEvents(2), 'any');
      const everything = await readEverything(store, 3);
      const ours = everything.filter((e) => streams.includes(e.streamId));
      expect(ours).toHaveLength(8);
      expect(new Set(everything.map((e) => e.position)).size).toBe(everything.length);
      expect(new Set(everything.map((e) => e.eventId))).toEqual(new Set(await fixture.storedEventIds()));
      const middle = everything[everything.length - 4] as RecordedEvent;
      const rest = await store.readAll(middle.checkpoint, 100);
      expect(rest.map((e) => e.eventId)).toEqual(everything.slice(-3).map((e) => e.eventId));
    });

    it('reads the same events in the json form, each with its data as JSON text', async () => {
      const stream = uniqueStream();
      // jsonb prints numbers in full and orders keys its own way: the text differs, the value must not.
      const data = {
        amount: 12.5,
        note: 'Grüße, "quoted" \\ \u2028 €',
        tags: ['a', 7, 1e21, 1e-7, -0.5],
        nested: { ok: true, none: null, '10': 1, '9': 2 },
      };
      await store.append(stream, [newEvent('VisitLogged', data), newEvent()], 'no-stream');
      const parsed = await readEverything(store, 3);
      const json: RecordedEventJson[] = [];
      for await (const page of store.pages(null, 3, 'json')) json.push(...page);
      expect(json.map(({ dataJson, ...event }) => ({ ...event, data: JSON.parse(dataJson) }))).toEqual(parsed);
      expect(JSON.parse((json.find((e) => e.streamId === stream) as RecordedEventJson).dataJson)).toEqual(data);

      const controller = new AbortController();
      const followed: RecordedEventJson[] = [];
      const before = parsed[parsed.length - 3]?.checkpoint ?? null;
      for await (const event of store.subscribeJson({ from: before, signal: controller.signal })) {
        followed.push(event);
        if (followed.length === 2) controller.abort();
      }
      expect(followed).toEqual(json.slice(-2));
    });

    it('subscribes from a checkpoint and delivers later appends in order', async () => {
      const stream = uniqueStream();
      await store.append(stream, newEvents(2), 'no-stream');
      const all = await readEverything(store, 500);
      const controller = new AbortController();
      const received: string[] = [];
      const later = newEvents(3);
      const consuming = (async () => {
        for await (const event of store.subscribe({
          from: (all.at(-1) as RecordedEvent).checkpoint,
          signal: controller.signal,
        })) {
          received.push(event.eventId);
          if (received.length === later.length) controller.abort();
        }
      })();
      await store.append(stream, later, 1);
      await consuming;
      expect(received).toEqual(later.map((e) => e.eventId));
    });
  });

  describe('a reader following all events while 8 writers append', () => {
    it('sees every committed event exactly once, in order, and nothing rolled back', async () => {
      const start = (await readEverything(store, 1000)).at(-1)?.checkpoint ?? null;
      const controller = new AbortController();
      const seen: RecordedEvent[] = [];
      const reading = (async () => {
        for await (const event of store.subscribe({ from: start, signal: controller.signal, pageSize: 7 })) {
          seen.push(event);
        }
      })();
      const rolledBack = new Set<string>();
      const committed = new Set<string>();
      await Promise.all(Array.from({ length: 8 }, (_, writer) => runWriter(writer, fixture, committed, rolledBack)));
      await waitFor(() => seen.filter((e) => committed.has(e.eventId)).length >= committed.size);
      controller.abort();
      await reading;

      const ids = seen.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => rolledBack.has(id))).toEqual([]);
      expect(new Set(ids.filter((id) => committed.has(id)))).toEqual(committed);
      const stored = new Set(await fixture.storedEventIds());
      expect([...committed].every((id) => stored.has(id))).toBe(true);
      expect([...rolledBack].some((id) => stored.has(id))).toBe(false);
      expect(ids).toEqual((await readAfter(store, start)).map((e) => e.eventId));
      expectStreamOrder(seen);
    });
  });
}

async function runWriter(writer: number, fixture: StoreFixture, committed: Set<string>, rolledBack: Set<string>) {
  for (let i = 0; i < 12; i++) {
    const stream = `writer-${writer}-${i % 3}-${process.pid}`;
    const events = newEvents(1 + ((writer + i) % 3));
    const rollback = (writer + i) % 5 === 0;
    const holdMs = (writer * 7 + i * 13) % 4 === 0 ? 150 : 0;
    await fixture.appendHeld(stream, events, { holdMs, rollback });
    for (const event of events) (rollback ? rolledBack : committed).add(event.eventId);
  }
}

function expectStreamOrder(events: RecordedEvent[]): void {
  const last = new Map<string, number>();
  for (const event of events) {
    expect(event.revision).toBeGreaterThan(last.get(event.streamId) ?? -1);
    last.set(event.streamId, event.revision);
  }
}

async function readEverything(store: EventStore, pageSize: number): Promise<RecordedEvent[]> {
  return readAfter(store, null, pageSize);
}

async function readAfter(store: EventStore, from: string | null, pageSize = 1000): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const page of store.pages(from, pageSize)) all.push(...page);
  return all;
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the reader to catch up');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
