/**
 * Projection benchmark: generates a year of an organisation's event log (5 teams, 100 reps, 5,000
 * customers, BENCH_EVENTS events), appends it to a fresh database through our PostgreSQL adapter,
 * then measures in one process:
 *   - the floor: a plain catch-up read of the whole log (store.pages, pages of 5,000), right before
 *     and right after the rebuild, the better of the two reported;
 *   - the rebuild of the read model (rebuildReadModel, batches of 5,000): time, events/s, RSS;
 *   - scorecard queries (ScorecardQueries.scorecard of one rep, mixed grains of 2026): latency;
 *   - live freshness: a ProjectionRunner on the rebuilt read model while OrderPlaced events are
 *     appended at a steady rate, from each append's completion to the scorecards checkpoint reaching
 *     its position. In-process, as embedded mode runs it, minus HTTP.
 *
 *   npm run bench:projections
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL   postgres://... of a server to use (its user must be able to CREATE DATABASE);
 *                        by default a fresh embedded PostgreSQL is started in a temp dir and removed
 *   BENCH_EVENTS         events of the generated log                         (default 1000000)
 *   BENCH_SEED           seed of the generated log                           (default 20260101)
 *   BENCH_LOAD_WRITERS   concurrent appends while loading the log            (default 8)
 *   BENCH_QUERIES        measured scorecard queries, one after another       (default 2000)
 *   BENCH_RATE           OrderPlaced appends per second in the live phase    (default 200)
 *   BENCH_LIVE_SECONDS   length of the live phase                            (default 20)
 *   BENCH_WARMUP_SECONDS appends at the live rate before it, not measured      (default 3)
 *   BENCH_KEEP_DATABASE  1: leave the bench's database on BENCH_DATABASE_URL's server, to look into
 *
 * Prints one table and the ratios against the goals of the issue; exits 0 whether or not a goal is
 * met (a measurement, not a test). Raw figures also go to bench/results/ (git-ignored).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, Pool } from 'pg';
import type { NewEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import type { Grain } from '@salesledger/domain/scorecards/grains';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { withPgClient } from '@salesledger/postgres/client';
import { AppendWakeup, notifyingAppends } from '@salesledger/read-model/append-wakeup';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { openPool } from '@salesledger/postgres/pool';
import { ProjectionRunner, type Projection } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { rebuildReadModel } from '@salesledger/read-model/rebuild';
import type { Scope } from '@salesledger/read-model/scorecard-figures';
import { ScorecardQueries } from '@salesledger/read-model/scorecard-queries';
import { fmt, intFromEnv, machineInfo, startServer, table, withDatabase } from './harness';
import {
  loadHistory,
  repIds,
  salesHistory,
  teamIds,
  scheduledEvents,
  YEAR,
  type HistoryShape,
  type LoadResult,
} from './sales-history';
import { prng } from './workload';

const PAGE = 5000;
const RSS_SAMPLE_MS = 100;
const WATCH_MS = 5;
const GOALS = { rebuildVsFloor: 0.5, rebuildRate: 50_000, freshnessP99Ms: 100, queryP99Ms: 10 };

interface Config {
  readonly shape: HistoryShape;
  readonly loadWriters: number;
  readonly queries: number;
  readonly rate: number;
  readonly liveSeconds: number;
  readonly warmupSeconds: number;
}

function readConfig(): Config {
  return {
    shape: {
      events: intFromEnv('BENCH_EVENTS', 1_000_000),
      seed: intFromEnv('BENCH_SEED', 20_260_101, 0),
      teams: 5,
      repsPerTeam: 20,
      customers: 5000,
    },
    loadWriters: intFromEnv('BENCH_LOAD_WRITERS', 8),
    queries: intFromEnv('BENCH_QUERIES', 2000),
    rate: intFromEnv('BENCH_RATE', 200),
    liveSeconds: intFromEnv('BENCH_LIVE_SECONDS', 20),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 3, 0),
  };
}

// A progress line on a terminal only; piped output stays just the report.
const progress = (text: string) => {
  if (process.stdout.isTTY) process.stdout.write(`\r${text.padEnd(72)}\r`);
};

const seconds = (since: number) => (performance.now() - since) / 1000;
const mib = (bytes: number) => bytes / 2 ** 20;

/** Nearest-rank percentile of unsorted values. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** A full collection, where the flag can still be set at run time; so the RSS before the rebuild is not the loader's garbage. */
function collectGarbage(): boolean {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    return true;
  } catch {
    return false;
  }
}

interface Rate {
  readonly events: number;
  readonly seconds: number;
  readonly perSecond: number;
}

async function catchUpRead(store: EventStore): Promise<Rate> {
  const started = performance.now();
  let events = 0;
  for await (const page of store.pages(null, PAGE)) events += page.length;
  const s = seconds(started);
  return { events, seconds: s, perSecond: events / s };
}

interface RebuildResult extends Rate {
  readonly swapped: boolean;
  /** Until the last batch was applied; the rest is deriving figures and scorecards, and the swap. */
  readonly replaySeconds: number;
  readonly rssBeforeMiB: number;
  readonly rssPeakMiB: number;
  readonly heapPeakMiB: number;
  readonly collected: boolean;
}

async function rebuild(store: EventStore, pool: Pool, url: string, logEvents: number): Promise<RebuildResult> {
  const collected = collectGarbage();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    rssPeak = Math.max(rssPeak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed);
  };
  const sampler = setInterval(sample, RSS_SAMPLE_MS);
  const started = performance.now();
  let applied = 0;
  let lastBatchAt = started;
  try {
    const swapped = await rebuildReadModel(store, pool, url, {
      batchSize: PAGE,
      onProgress: (p) => {
        applied = p.applied;
        lastBatchAt = performance.now();
        progress(`rebuild: ${p.applied.toLocaleString('en-US')} of ~${p.total.toLocaleString('en-US')} events`);
      },
    });
    const s = seconds(started);
    sample();
    // The swap replays what was appended meanwhile (nothing here); the whole log was replayed.
    const events = Math.max(applied, logEvents);
    return {
      events,
      seconds: s,
      perSecond: events / s,
      swapped,
      replaySeconds: (lastBatchAt - started) / 1000,
      rssBeforeMiB: mib(before.rss),
      rssPeakMiB: mib(rssPeak),
      heapPeakMiB: mib(heapPeak),
      collected,
    };
  } finally {
    clearInterval(sampler);
  }
}

interface Latencies {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

const latencies = (values: readonly number[]): Latencies => ({
  count: values.length,
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  max: values.length > 0 ? Math.max(...values) : NaN,
});

const GRAINS: readonly Grain[] = ['day', 'week', 'month', 'quarter', 'year'];

function randomPeriod(grain: Grain, random: () => number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const int = (n: number) => Math.floor(random() * n);
  switch (grain) {
    case 'day':
      return new Date(Date.UTC(YEAR, 0, 1) + int(365) * 86_400_000).toISOString().slice(0, 10);
    case 'week':
      return `${YEAR}-W${pad(1 + int(52))}`;
    case 'month':
      return `${YEAR}-${pad(1 + int(12))}`;
    case 'quarter':
      return `${YEAR}-Q${1 + int(4)}`;
    case 'year':
      return String(YEAR);
  }
}

interface QueryResult {
  readonly all: Latencies;
  readonly byGrain: Record<string, Latencies>;
  readonly warmup: number;
}

async function scorecardQueries(
  pool: Pool,
  reps: readonly string[],
  count: number,
  seed: number,
): Promise<QueryResult> {
  const queries = new ScorecardQueries(pool);
  const random = prng(seed);
  const next = () => {
    const grain = GRAINS[Math.floor(random() * GRAINS.length)] as Grain;
    return { rep: reps[Math.floor(random() * reps.length)] as string, grain, period: randomPeriod(grain, random) };
  };
  const warmup = Math.min(50, Math.ceil(count / 10));
  for (let i = 0; i < warmup; i++) {
    const q = next();
    await queries.scorecard({ repIds: [q.rep] }, q.grain, q.period, new Date());
  }
  const all: number[] = [];
  const byGrain = new Map<Grain, number[]>(GRAINS.map((g) => [g, []]));
  for (let i = 0; i < count; i++) {
    const q = next();
    const started = performance.now();
    await queries.scorecard({ repIds: [q.rep] }, q.grain, q.period, new Date());
    const ms = performance.now() - started;
    all.push(ms);
    byGrain.get(q.grain)?.push(ms);
    if (i % 100 === 0) progress(`scorecard queries: ${i} of ${count}`);
  }
  return {
    all: latencies(all),
    byGrain: Object.fromEntries([...byGrain].map(([grain, values]) => [grain, latencies(values)])),
    warmup,
  };
}

const SCOPED_QUERIES = 100;

/** p50/p99 of the scorecard of one rep, one team and the company, at month and year: 100 queries each. */
async function scopedQueries(pool: Pool, shape: HistoryShape, seed: number): Promise<Record<string, Latencies>> {
  const queries = new ScorecardQueries(pool);
  const random = prng(seed);
  const reps = repIds(shape);
  const teams = teamIds(shape);
  const scopes: Record<string, () => Scope> = {
    rep: () => ({ repIds: [reps[Math.floor(random() * reps.length)] as string] }),
    team: () => ({ teamId: teams[Math.floor(random() * teams.length)] as string }),
    company: () => 'company',
  };
  const result: Record<string, Latencies> = {};
  for (const [name, scope] of Object.entries(scopes))
    for (const grain of ['month', 'year'] as const) {
      const ms: number[] = [];
      for (let i = 0; i < SCOPED_QUERIES + 5; i++) {
        const started = performance.now();
        await queries.scorecard(scope(), grain, randomPeriod(grain, random), new Date());
        if (i >= 5) ms.push(performance.now() - started); // the first five warm the caches
      }
      result[`${name} ${grain}`] = latencies(ms);
      progress(`scoped scorecard queries: ${name} ${grain}`);
    }
  return result;
}

interface LiveResult {
  readonly planned: number;
  readonly appended: number;
  readonly failed: number;
  readonly unseen: number;
  readonly seconds: number;
  readonly achievedRate: number;
  readonly append: Latencies;
  readonly freshness: Latencies;
  /** Append done → the stored scorecards (BI's tables, settled after the batch) hold it. */
  readonly settledFreshness: Latencies;
}

/**
 * Appends `rate` OrderPlaced events a second (each a new order stream) for `liveSeconds` while a
 * ProjectionRunner keeps the read model up; a separate connection polls the scorecards checkpoint.
 * The orders are dated in the last week of the generated history, so they land in full periods.
 */
async function liveFreshness(
  logStore: EventStore,
  pool: Pool,
  url: string,
  config: Config,
  lastRecordedAt: string,
): Promise<LiveResult> {
  const reps = repIds(config.shape);
  const random = prng(config.shape.seed + 1);
  // As the runtime wires it: appends of this process wake the runner; polling is the fallback.
  const wakeup = new AppendWakeup();
  const store = notifyingAppends(logStore, wakeup);
  const runner = new ProjectionRunner(store, pool, PROJECTIONS[0] as Projection, { pollIntervalMs: 20, wakeup });
  const watcher = new Client({ connectionString: url });
  await watcher.connect();

  const pending: { position: number; appendedAt: number }[] = [];
  const unsettled: { position: number; appendedAt: number }[] = [];
  const freshness: number[] = [];
  const settledFreshness: number[] = [];
  const appendMs: number[] = [];
  let observed = 0;
  let observedAt = 0;
  let settledUpTo = 0;
  let watching = true;
  /** Moves the appends at or below `upTo` from `waiting` into `into`, timed to `at`. */
  const seen = (waiting: typeof pending, into: number[], upTo: number, at: number) => {
    for (let i = waiting.length - 1; i >= 0; i--) {
      const p = waiting[i] as { position: number; appendedAt: number };
      if (p.position > upTo) continue;
      into.push(Math.max(0, at - p.appendedAt));
      waiting.splice(i, 1);
    }
  };
  const settle = () => {
    seen(pending, freshness, observed, observedAt);
    seen(unsettled, settledFreshness, settledUpTo, observedAt);
  };
  const watch = (async () => {
    while (watching) {
      // One snapshot: no scorecard key pending means the stored scorecards hold every event up to the checkpoint.
      const { rows } = await watcher.query<{ position: string | null; settled: boolean }>(
        `SELECT position, NOT EXISTS (SELECT 1 FROM read_model.pending_scorecards) AS settled
         FROM read_model.projection_checkpoints WHERE name = 'scorecards'`,
      );
      const position = Number(rows[0]?.position ?? 0);
      const settled = rows[0]?.settled === true && position > settledUpTo;
      if (position > observed || settled) {
        observedAt = performance.now();
        observed = Math.max(observed, position);
        if (settled) settledUpTo = position;
        settle();
      }
      await sleep(WATCH_MS);
    }
  })();

  runner.start();
  // The warm-up's appends open the pools' connections and fill their plan caches, as a running
  // product's have; measured from the start, the live figures' p99 was that warm-up (appends alone:
  // p99 250 ms with it, 6 ms without).
  const warmup = config.rate * config.warmupSeconds;
  const planned = config.rate * config.liveSeconds;
  const interval = 1000 / config.rate;
  const historyEnd = Date.parse(lastRecordedAt);
  let failed = 0;
  let lastCompletion = 0;
  const appends: Promise<void>[] = [];
  const started = performance.now();
  const measuredFrom = started + warmup * interval;
  for (let i = 0; i < warmup + planned; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const id = `ol${String(i + 1).padStart(7, '0')}`;
    const rep = Math.floor(random() * reps.length);
    const quantity = 1 + Math.floor(random() * 10);
    const net = (quantity * 49).toFixed(2);
    const recordedAt = historyEnd + (performance.now() - started); // the history's clock runs on
    const correlationId = randomUUID();
    const event: NewEvent = {
      eventId: randomUUID(),
      type: 'OrderPlaced',
      data: {
        id,
        repId: reps[rep] as string,
        customerId: `c${String(1 + rep + reps.length * Math.floor(random() * 50)).padStart(5, '0')}`,
        placedAt: new Date(historyEnd - random() * 7 * 86_400_000).toISOString(),
        lines: [
          { sku: 'CRM-SEAT-PRO', category: 'software', quantity, unitPrice: '49.00', discount: 0, netAmount: net },
        ],
        netAmount: net,
      },
      metadata: {
        actor: { userId: reps[rep] as string, role: 'rep' },
        correlationId,
        causationId: correlationId,
        recordedAt: new Date(recordedAt).toISOString(),
      },
    };
    const sent = performance.now();
    const measured = i >= warmup;
    appends.push(
      store.append(`order-${id}`, [event], 'no-stream').then(
        (result) => {
          if (!measured) return;
          const now = performance.now();
          lastCompletion = now;
          appendMs.push(now - sent);
          const position = result.positions[0] as number;
          pending.push({ position, appendedAt: now });
          unsettled.push({ position, appendedAt: now });
          // The runner may already have passed it (the watcher saw that before this callback ran).
          if (position <= observed) settle();
        },
        () => {
          if (measured) failed++;
        },
      ),
    );
    if (i % config.rate === 0)
      progress(`live: ${i - warmup} of ${planned} appends, ${pending.length} awaiting the projection`);
  }
  await Promise.all(appends);
  const elapsed = (lastCompletion - measuredFrom) / 1000;
  const deadline = performance.now() + 30_000;
  while ((pending.length > 0 || unsettled.length > 0) && performance.now() < deadline) await sleep(20);
  const unseen = pending.length;
  watching = false;
  await watch;
  await runner.stop();
  await watcher.end();
  return {
    planned,
    appended: appendMs.length,
    failed,
    unseen,
    seconds: elapsed,
    achievedRate: appendMs.length / elapsed,
    append: latencies(appendMs),
    freshness: latencies(freshness),
    settledFreshness: latencies(settledFreshness),
  };
}

interface Results {
  readonly load: LoadResult;
  readonly floorBefore: Rate;
  readonly floorAfter: Rate;
  readonly rebuild: RebuildResult;
  readonly queries: QueryResult;
  readonly scoped: Record<string, Latencies>;
  readonly live: LiveResult;
}

function report(r: Results, config: Config): string {
  const floor = r.floorBefore.perSecond >= r.floorAfter.perSecond ? r.floorBefore : r.floorAfter;
  const ms = (n: number) => `${fmt(n, 1)} ms`;
  const rows: string[][] = [
    [
      'load (not measured)',
      `${fmt(r.load.events)} events in ${fmt(r.load.appends)} appends, ${config.loadWriters} at a time`,
      `${fmt(r.load.seconds, 1)} s`,
      `${fmt(r.load.events / r.load.seconds)} events/s`,
    ],
    [
      'floor: catch-up read, before',
      `${fmt(r.floorBefore.events)} events, pages of ${PAGE}`,
      `${fmt(r.floorBefore.seconds, 2)} s`,
      `${fmt(r.floorBefore.perSecond)} events/s`,
    ],
    [
      'floor: catch-up read, after',
      `${fmt(r.floorAfter.events)} events, pages of ${PAGE}`,
      `${fmt(r.floorAfter.seconds, 2)} s`,
      `${fmt(r.floorAfter.perSecond)} events/s`,
    ],
    [
      'rebuild',
      `${fmt(r.rebuild.events)} events, batches of ${PAGE}${r.rebuild.swapped ? '' : ' (NOT swapped)'}`,
      `${fmt(r.rebuild.seconds, 2)} s`,
      `${fmt(r.rebuild.perSecond)} events/s`,
    ],
    [
      '  of which replaying batches',
      'apply + checkpoint per batch, until the last batch',
      `${fmt(r.rebuild.replaySeconds, 2)} s`,
      `${fmt(r.rebuild.events / r.rebuild.replaySeconds)} events/s`,
    ],
    [
      '  then deriving and swapping',
      'figures and scorecards derived once, schema swapped',
      `${fmt(r.rebuild.seconds - r.rebuild.replaySeconds, 2)} s`,
      '',
    ],
    [
      'rebuild memory (RSS)',
      `before ${fmt(r.rebuild.rssBeforeMiB)} MiB${r.rebuild.collected ? ' (after a full GC)' : ''}, peak ${fmt(r.rebuild.rssPeakMiB)} MiB; JS heap peak ${fmt(r.rebuild.heapPeakMiB)} MiB`,
      '',
      `+${fmt(r.rebuild.rssPeakMiB - r.rebuild.rssBeforeMiB)} MiB`,
    ],
    [
      'scorecard query, 1 rep',
      `${fmt(r.queries.all.count)} sequential, mixed grains; p50 ${ms(r.queries.all.p50)}, p95 ${ms(r.queries.all.p95)}`,
      '',
      `p99 ${ms(r.queries.all.p99)}`,
    ],
    ...Object.entries(r.scoped).map(([scope, l]) => [
      `scorecard query, ${scope}`,
      `${fmt(l.count)} sequential; p50 ${ms(l.p50)}`,
      '',
      `p99 ${ms(l.p99)}`,
    ]),
    [
      'live appends',
      `${fmt(r.live.appended)} of ${fmt(r.live.planned)} at ${config.rate}/s planned, after ${config.warmupSeconds} s of warm-up; append p50 ${ms(r.live.append.p50)}, p99 ${ms(r.live.append.p99)}`,
      `${fmt(r.live.seconds, 1)} s`,
      `${fmt(r.live.achievedRate, 1)} appends/s`,
    ],
    [
      'live freshness',
      `append done → checkpoint passed; p50 ${ms(r.live.freshness.p50)}, max ${ms(r.live.freshness.max)}`,
      '',
      `p99 ${ms(r.live.freshness.p99)}`,
    ],
    [
      '  stored scorecards (BI)',
      `append done → settled in reporting.scorecards; p50 ${ms(r.live.settledFreshness.p50)}, max ${ms(r.live.settledFreshness.max)}`,
      '',
      `p99 ${ms(r.live.settledFreshness.p99)}`,
    ],
  ];
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const goals: string[][] = [
    [
      'rebuild ÷ floor (events/s)',
      `${(r.rebuild.perSecond / floor.perSecond).toFixed(2)}×`,
      `≥ ${GOALS.rebuildVsFloor}×`,
      verdict(r.rebuild.perSecond / floor.perSecond >= GOALS.rebuildVsFloor),
    ],
    [
      'rebuild events/s',
      fmt(r.rebuild.perSecond),
      `≥ ${fmt(GOALS.rebuildRate)}`,
      verdict(r.rebuild.perSecond >= GOALS.rebuildRate),
    ],
    [
      `live freshness p99 at ${fmt(r.live.achievedRate)} appends/s`,
      ms(r.live.freshness.p99),
      `< ${GOALS.freshnessP99Ms} ms`,
      verdict(r.live.freshness.p99 < GOALS.freshnessP99Ms && r.live.unseen === 0 && r.live.failed === 0),
    ],
    [
      'scorecard query p99',
      ms(r.queries.all.p99),
      `< ${GOALS.queryP99Ms} ms`,
      verdict(r.queries.all.p99 < GOALS.queryP99Ms),
    ],
    ...Object.entries(r.scoped).map(([scope, l]) => [
      `scorecard query p99, ${scope}`,
      ms(l.p99),
      `< ${GOALS.queryP99Ms} ms`,
      verdict(l.p99 < GOALS.queryP99Ms),
    ]),
  ];
  const byGrain = Object.entries(r.queries.byGrain)
    .map(([grain, l]) => `${grain} ${fmt(l.p50, 1)}/${fmt(l.p99, 1)}`)
    .join(', ');
  const warnings = [
    ...(r.floorBefore.events !== r.load.events || r.floorAfter.events !== r.load.events
      ? [
          `! the catch-up reads returned ${fmt(r.floorBefore.events)} / ${fmt(r.floorAfter.events)} events of the ${fmt(r.load.events)} loaded`,
        ]
      : []),
    ...(r.live.failed > 0 ? [`! ${r.live.failed} live appends failed`] : []),
    ...(r.live.unseen > 0
      ? [`! ${r.live.unseen} live events not projected 30 s after the last append (left out of the freshness figures)`]
      : []),
    ...(r.live.achievedRate < config.rate * 0.95
      ? [`! the live phase reached ${fmt(r.live.achievedRate, 1)} appends/s of the ${config.rate} asked`]
      : []),
  ];
  return [
    table(['step', 'what', 'time', 'figure'], rows, 2),
    ...(warnings.length > 0 ? ['', ...warnings] : []),
    '',
    `scorecard query p50/p99 ms by grain: ${byGrain}`,
    `events by type: ${Object.entries(r.load.byType)
      .sort((a, b) => b[1] - a[1])
      .map(([type, n]) => `${type} ${fmt(n)}`)
      .join(', ')}`,
    '',
    table(['goal', 'measured', 'goal', ''], goals, 1),
    '',
    'Freshness is measured in this process: append through PostgresEventStore, a ProjectionRunner',
    '(woken by each append, polling every 20 ms as the fallback) applying it, the checkpoint polled every 5 ms on its own connection: the path of',
    'embedded mode minus HTTP. Memory is this process only (PostgreSQL is not counted).',
  ].join('\n');
}

async function main(): Promise<void> {
  const config = readConfig();
  const scheduled = scheduledEvents(config.shape);
  const server = await startServer();
  const stopOnSignal = () => {
    void server.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const database = `bench_projection_${randomBytes(4).toString('hex')}`;
  const adminUrl = withDatabase(server.adminUrl, 'postgres');
  let created = false;
  try {
    const machine = await machineInfo(adminUrl, server);
    const shape = config.shape;
    console.log('Projection benchmark');
    console.log(`machine   ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}`);
    console.log(`node      ${machine.node}`);
    console.log(`postgres  ${machine.postgres}; ${machine.settings}`);
    console.log(
      `workload  ${fmt(shape.events)} events over ${YEAR}: ${shape.teams} teams, ${shape.teams * shape.repsPerTeam} reps, ` +
        `${fmt(shape.customers)} customers (${fmt(scheduled)} of set-up, weekly papers and reviews); ` +
        `${fmt(config.queries)} queries; live ${config.rate}/s for ${config.liveSeconds} s after ${config.warmupSeconds} s of warm-up`,
    );
    if (shape.events < scheduled)
      console.log(`! BENCH_EVENTS is below the ${fmt(scheduled)} scheduled events: the log is cut short in the year`);
    console.log('');

    await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
    created = true;
    const url = withDatabase(server.adminUrl, database);
    await migrateEventStore(url);
    await migrateReadModel(url);
    // The pools embedded mode opens (see libs/platform/src/runtime.ts).
    const store = new PostgresEventStore(new Pool({ connectionString: url, max: 20 }));
    const pool = openPool(url, (error) => console.error(`read-model connection lost: ${error.message}`));
    try {
      const load = await loadHistory(store, salesHistory(shape), config.loadWriters);
      progress('vacuum analyze');
      await withPgClient(url, (client) => client.query('VACUUM (ANALYZE) event_store.events'));
      progress('catch-up read (floor), before the rebuild');
      const floorBefore = await catchUpRead(store);
      const rebuilt = await rebuild(store, pool, url, floorBefore.events);
      progress('catch-up read (floor), after the rebuild');
      const floorAfter = await catchUpRead(store);
      const queries = await scorecardQueries(pool, repIds(shape), config.queries, shape.seed + 2);
      const scoped = await scopedQueries(pool, shape, shape.seed + 3);
      const live = await liveFreshness(store, pool, url, config, load.lastRecordedAt);
      progress('');
      const results: Results = {
        load,
        floorBefore,
        floorAfter,
        rebuild: rebuilt,
        queries,
        scoped,
        live,
      };
      const loadAfter = loadavg()
        .map((n) => n.toFixed(2))
        .join(' ');
      console.log(report(results, config));
      console.log(`\nload average at start ${machine.load}, at end ${loadAfter}`);

      const resultsDir = resolve(__dirname, '..', '..', 'bench', 'results');
      await mkdir(resultsDir, { recursive: true });
      const file = join(resultsDir, `projection-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      await writeFile(file, `${JSON.stringify({ machine, config, goals: GOALS, results }, null, 2)}\n`);
      console.log(`\nfigures saved to ${file}`);
    } finally {
      await store.close();
      await pool.end();
    }
  } finally {
    if (created && !process.env['BENCH_KEEP_DATABASE'])
      await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
