/**
 * One contestant's side of the benchmark, in its own process so that no contestant's module state
 * (Emmett replaces pg's global type parsers), JIT or garbage affects another. The parent sends one
 * command at a time and runs the contestants in turn, phase by phase, so that a burst of load from
 * elsewhere on the machine hits all of them alike rather than one.
 */
import { Client } from 'pg';
import { openStore, type BenchStore } from './contestants';
import {
  concurrently,
  makeEvents,
  timed,
  type BenchConfig,
  type BenchEvent,
  type Contestant,
  type Measurement,
} from './workload';

export type WorkerCommand =
  | {
      readonly op: 'open';
      readonly contestant: Contestant;
      readonly url: string;
      readonly config: BenchConfig;
      readonly seed: number;
    }
  | { readonly op: 'warmup' }
  | { readonly op: 'single'; readonly round: number; readonly events: number }
  | { readonly op: 'batch'; readonly round: number; readonly events: number }
  | { readonly op: 'prepare-read' }
  | { readonly op: 'read' }
  | { readonly op: 'close' };

export type WorkerReply =
  | { readonly ok: true; readonly measurement?: Measurement; readonly written?: number; readonly seen?: number }
  | { readonly ok: false; readonly error: string };

/** Appends per stream in the single-event workload: a small aggregate's life, then a new stream. */
const EVENTS_PER_STREAM = 10;

async function singleAppends(
  store: BenchStore,
  tag: string,
  writers: number,
  events: BenchEvent[],
): Promise<Measurement> {
  const seconds = await concurrently(writers, events.length, (writer, task, nth) =>
    store.appendOne(
      `order-${tag}${writer}x${Math.floor(nth / EVENTS_PER_STREAM)}`,
      nth % EVENTS_PER_STREAM,
      events[task] as BenchEvent,
    ),
  );
  return { events: events.length, seconds };
}

async function batchAppends(
  store: BenchStore,
  tag: string,
  writers: number,
  batches: BenchEvent[][],
): Promise<Measurement> {
  const seconds = await concurrently(writers, batches.length, (_writer, task) =>
    store.appendBatch(`import-${tag}${task}`, 0, batches[task] as BenchEvent[]),
  );
  return { events: batches.reduce((sum, batch) => sum + batch.length, 0), seconds };
}

function inBatches(events: BenchEvent[], size: number): BenchEvent[][] {
  return Array.from({ length: Math.ceil(events.length / size) }, (_, i) => events.slice(i * size, (i + 1) * size));
}

/**
 * Before each timed step: vacuum and analyse this contestant's database (so the autovacuum work its
 * last step left does not run during another contestant's step) and write dirty pages out (so no
 * contestant pays for another's checkpoint).
 */
async function settle(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT').catch(() => undefined); // needs pg_checkpoint on a server we do not own
  } finally {
    await client.end();
  }
}

interface State {
  readonly contestant: Contestant;
  readonly url: string;
  readonly config: BenchConfig;
  readonly seed: number;
  readonly store: BenchStore;
  /** Events of the run's sequence handed out so far: the log's length. */
  written: number;
}

let state: State | undefined;

/** The next `count` events of the deterministic sequence, identical in every contestant's process. */
function take(s: State, count: number): BenchEvent[] {
  const events = makeEvents(s.seed, s.written, count);
  s.written += count;
  return events;
}

async function handle(command: WorkerCommand): Promise<WorkerReply> {
  if (command.op === 'open') {
    const store = await openStore(command.contestant, command.url, command.config);
    state = { ...command, store, written: 0 };
    return { ok: true };
  }
  const s = state;
  if (!s) throw new Error(`${command.op} before open`);
  switch (command.op) {
    case 'warmup': {
      // The same operations, unmeasured, so connections, prepared statements, the JIT and the
      // server's caches are hot before anything counts.
      const half = Math.floor(s.config.warmupEvents / 2);
      await singleAppends(s.store, 'w', s.config.writers, take(s, half));
      await batchAppends(s.store, 'w', s.config.batchWriters, inBatches(take(s, half), s.config.batchSize));
      await s.store.readAll(s.config.readPageSize);
      return { ok: true };
    }
    case 'single': {
      const events = take(s, command.events);
      await settle(s.url);
      return { ok: true, measurement: await singleAppends(s.store, `r${command.round}w`, s.config.writers, events) };
    }
    case 'batch': {
      const batches = inBatches(take(s, command.events), s.config.batchSize);
      await settle(s.url);
      return {
        ok: true,
        measurement: await batchAppends(s.store, `r${command.round}b`, s.config.batchWriters, batches),
      };
    }
    case 'prepare-read': {
      await settle(s.url);
      const seen = await s.store.readAll(s.config.readPageSize); // also warms the cache for the timed passes
      return { ok: true, written: s.written, seen };
    }
    case 'read':
      return { ok: true, measurement: await timed(() => s.store.readAll(s.config.readPageSize)) };
    case 'close':
      await s.store.close();
      state = undefined;
      return { ok: true };
  }
}

process.on('disconnect', () => process.exit(1));
process.on('message', (command: WorkerCommand) => {
  handle(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerReply),
  );
});
