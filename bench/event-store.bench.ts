/**
 * Event-store benchmark: our PostgreSQL adapter against Emmett's PostgreSQL event store and against
 * bare `pg` on the same server, each in its own fresh database and its own process. The contestants
 * take turns: each append workload runs in rounds (the order rotating every round) and the catch-up
 * read in passes, so that load from elsewhere on the machine does not land on one contestant only.
 *
 *   npm run bench
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL   postgres://... of a server to use (its user must be able to CREATE DATABASE);
 *                        by default a fresh embedded PostgreSQL is started in a temp dir and removed
 *   BENCH_EVENTS         events of the concurrent single-event append workload       (default 12000)
 *   BENCH_WRITERS        concurrent writers of that workload, one set of streams each (default 16)
 *   BENCH_BATCH_EVENTS   events of the batched append workload                        (default 48000)
 *   BENCH_BATCH_SIZE     events per batched append call                               (default 100)
 *   BENCH_BATCH_WRITERS  concurrent writers of the batched workload                   (default 1)
 *   BENCH_ROUNDS         rounds each append workload is split into                    (default 3)
 *   BENCH_WARMUP         events written before measuring, half single, half batched   (default 4000)
 *   BENCH_READ_PAGE      page size of the catch-up read                               (default 1000)
 *   BENCH_READ_PASSES    measured catch-up passes over the whole log                  (default 3)
 *   BENCH_POOL           connections per contestant                                    (default 16)
 *   BENCH_CONTESTANTS    comma-separated subset of salesledger,unsealed,emmett,raw    (default all)
 *
 * Prints one table and the ratios against the goals of the issue; exits 0 whether or not a goal is
 * met (a measurement, not a test). Raw figures also go to bench/results/ (git-ignored).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { withPgClient } from '@salesledger/postgres/client';
import { fmt, intFromEnv, machineInfo, startServer, table, withDatabase } from './harness';
import type { WorkerCommand, WorkerReply } from './contestant.worker';
import {
  makeEvents,
  rate,
  total,
  type BenchConfig,
  type Contestant,
  type ContestantResult,
  type Measurement,
} from './workload';

const CONTESTANTS: readonly Contestant[] = ['salesledger', 'unsealed', 'emmett', 'raw'];
const LABEL: Record<Contestant, string> = {
  salesledger: 'salesledger PostgresEventStore',
  unsealed: 'same, before the sealed log',
  emmett: 'emmett-postgresql',
  raw: 'raw pg',
};

function readConfig(): BenchConfig {
  const batchSize = intFromEnv('BENCH_BATCH_SIZE', 100);
  const rounds = intFromEnv('BENCH_ROUNDS', 3);
  const perRound = (events: number, unit: number) => Math.max(unit, Math.round(events / rounds / unit) * unit);
  return {
    singleEvents: perRound(intFromEnv('BENCH_EVENTS', 12_000), 1) * rounds,
    writers: intFromEnv('BENCH_WRITERS', 16),
    batchEvents: perRound(intFromEnv('BENCH_BATCH_EVENTS', 48_000), batchSize) * rounds,
    batchSize,
    batchWriters: intFromEnv('BENCH_BATCH_WRITERS', 1),
    rounds,
    warmupEvents: intFromEnv('BENCH_WARMUP', 4_000, 0),
    readPageSize: intFromEnv('BENCH_READ_PAGE', 1000),
    readPasses: intFromEnv('BENCH_READ_PASSES', 3),
    poolSize: intFromEnv('BENCH_POOL', 16),
  };
}

function readContestants(): Contestant[] {
  const text = process.env['BENCH_CONTESTANTS'];
  if (!text) return [...CONTESTANTS];
  const chosen = text.split(',').map((name) => name.trim());
  const unknown = chosen.filter((name) => !CONTESTANTS.includes(name as Contestant));
  if (unknown.length > 0) throw new Error(`BENCH_CONTESTANTS: unknown ${unknown.join(', ')}`);
  return CONTESTANTS.filter((name) => chosen.includes(name));
}

/** A contestant's process; commands go one at a time. */
class Worker {
  private readonly child: ChildProcess;
  private pending: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | undefined;
  private exited: Error | undefined;

  constructor(readonly contestant: Contestant) {
    this.child = fork(join(__dirname, 'contestant.worker.js'), [], { stdio: 'inherit' });
    this.child.on('message', (reply: WorkerReply) => {
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(reply);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`${contestant} worker exited (${signal ?? code})`);
      this.pending?.reject(this.exited);
      this.pending = undefined;
    });
  }

  async send(command: WorkerCommand): Promise<Extract<WorkerReply, { ok: true }>> {
    if (this.exited) throw this.exited;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(command);
    });
    if (!reply.ok) throw new Error(`${this.contestant}, ${command.op}: ${reply.error}`);
    return reply;
  }

  kill(): void {
    if (!this.exited) this.child.kill();
  }
}

/** The contestants in the order of round `round`: rotated, so none always goes first. */
const turn = <T>(items: readonly T[], round: number): T[] =>
  items.map((_, i) => items[(i + round) % items.length] as T);

async function runContestants(
  adminUrl: string,
  contestants: readonly Contestant[],
  config: BenchConfig,
  seed: number,
): Promise<ContestantResult[]> {
  const suffix = randomBytes(4).toString('hex');
  const databases = contestants.map((c) => `bench_${c}_${suffix}`.toLowerCase());
  const workers: Worker[] = [];
  const results = new Map<Contestant, ContestantResult>(
    contestants.map((c) => [c, { contestant: c, single: [], batch: [], reads: [], written: 0, seen: 0 }]),
  );
  const result = (worker: Worker) => results.get(worker.contestant) as ContestantResult;
  // A progress line on a terminal only; piped output stays just the report.
  const progress = (text: string) => {
    if (process.stdout.isTTY) process.stdout.write(`\r${text.padEnd(72)}\r`);
  };
  try {
    for (const [i, contestant] of contestants.entries()) {
      await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${databases[i]}`));
      const worker = new Worker(contestant);
      workers.push(worker);
      await worker.send({ op: 'open', contestant, url: withDatabase(adminUrl, databases[i] as string), config, seed });
    }
    for (const worker of workers) {
      progress(`warm-up: ${LABEL[worker.contestant]}`);
      await worker.send({ op: 'warmup' });
    }
    const steps: ['single' | 'batch', number, keyof Pick<ContestantResult, 'single' | 'batch'>][] = [
      ['single', config.singleEvents / config.rounds, 'single'],
      ['batch', config.batchEvents / config.rounds, 'batch'],
    ];
    for (const [op, events, key] of steps) {
      for (let round = 0; round < config.rounds; round++) {
        for (const worker of turn(workers, round)) {
          progress(`${op} appends, round ${round + 1}/${config.rounds}: ${LABEL[worker.contestant]}`);
          const { measurement } = await worker.send({ op, round, events });
          result(worker)[key].push(measurement as Measurement);
        }
      }
    }
    for (const worker of workers) {
      progress(`catch-up read, warm-up pass: ${LABEL[worker.contestant]}`);
      const { written, seen } = await worker.send({ op: 'prepare-read' });
      result(worker).written = written ?? 0;
      result(worker).seen = seen ?? 0;
    }
    for (let pass = 0; pass < config.readPasses; pass++) {
      for (const worker of turn(workers, pass)) {
        progress(`catch-up read, pass ${pass + 1}/${config.readPasses}: ${LABEL[worker.contestant]}`);
        const { measurement } = await worker.send({ op: 'read' });
        result(worker).reads.push(measurement as Measurement);
      }
    }
    for (const worker of workers) await worker.send({ op: 'close' });
    progress('');
  } finally {
    for (const worker of workers) worker.kill();
    for (const database of databases) {
      await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    }
  }
  return contestants.map((c) => results.get(c) as ContestantResult);
}

interface Goal {
  readonly name: string;
  readonly ours: number | undefined;
  readonly theirs: number | undefined;
  readonly target?: number;
}

function report(results: ContestantResult[], config: BenchConfig): string {
  const by = (c: Contestant) => results.find((r) => r.contestant === c);
  const rows: string[][] = [];
  const workloads: [string, (r: ContestantResult) => Measurement[]][] = [
    [`single appends, ${config.writers} writers`, (r) => r.single],
    [
      `batched appends, ${config.batchSize}/call, ${config.batchWriters} writer${config.batchWriters > 1 ? 's' : ''}`,
      (r) => r.batch,
    ],
    [`catch-up read, pages of ${config.readPageSize}`, (r) => r.reads],
  ];
  for (const [workload, pick] of workloads) {
    for (const result of results) {
      const steps = pick(result);
      const all = total(steps);
      const rates = steps.map(rate);
      const spread = `${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}`;
      rows.push([workload, LABEL[result.contestant], fmt(all.events), fmt(all.seconds, 2), fmt(rate(all)), spread]);
    }
  }
  const ours = by('salesledger');
  const emmett = by('emmett');
  const raw = by('raw');
  const single = (r?: ContestantResult) => (r ? rate(total(r.single)) : undefined);
  const batch = (r?: ContestantResult) => (r ? rate(total(r.batch)) : undefined);
  const read = (r?: ContestantResult) => (r ? rate(total(r.reads)) : undefined);
  const goals: Goal[] = [
    { name: 'batched append / raw multi-row INSERT', ours: batch(ours), theirs: batch(raw), target: 0.8 },
    { name: 'single appends / Emmett', ours: single(ours), theirs: single(emmett), target: 2 },
    { name: 'catch-up read / raw keyset SELECT', ours: read(ours), theirs: read(raw), target: 0.7 },
    { name: 'catch-up read / Emmett', ours: read(ours), theirs: read(emmett), target: 2 },
    { name: 'single appends / raw single-row INSERT', ours: single(ours), theirs: single(raw) },
    { name: 'batched append / Emmett', ours: batch(ours), theirs: batch(emmett) },
    // The sealed log may cost single appends 10 % at most (issue 13).
    { name: 'single appends / before the sealed log', ours: single(ours), theirs: single(by('unsealed')), target: 0.9 },
    { name: 'batched append / before the sealed log', ours: batch(ours), theirs: batch(by('unsealed')) },
    { name: 'catch-up read / before the sealed log', ours: read(ours), theirs: read(by('unsealed')) },
  ];
  const ratioRows = goals.map((goal) => {
    const ratio = goal.ours !== undefined && goal.theirs !== undefined ? goal.ours / goal.theirs : undefined;
    const verdict =
      ratio === undefined ? 'n/a' : goal.target === undefined ? 'info' : ratio >= goal.target ? 'PASS' : 'MISS';
    return [
      goal.name,
      ratio === undefined ? '-' : `${ratio.toFixed(2)}×`,
      goal.target ? `≥ ${goal.target}×` : '',
      verdict,
    ];
  });
  const warnings = results
    .filter((r) => r.seen !== r.written)
    .map(
      (r) =>
        `! ${LABEL[r.contestant]}: its catch-up read returned ${fmt(r.seen)} events of the ${fmt(r.written)} written`,
    );
  return [
    table(['workload', 'contestant', 'events', 'seconds', 'events/s', 'per round/pass'], rows, 2),
    ...(warnings.length > 0 ? ['', ...warnings] : []),
    '',
    table(['ratio (salesledger ÷ other, events/s)', 'measured', 'goal', ''], ratioRows, 1),
  ].join('\n');
}

async function main(): Promise<void> {
  const config = readConfig();
  const contestants = readContestants();
  const seed = 20_260_302;
  const sample = makeEvents(seed, 0, 100).map(({ event }) => event);
  const dataBytes = sample.reduce((sum, e) => sum + JSON.stringify(e.data).length, 0) / sample.length;
  const metadataBytes = sample.reduce((sum, e) => sum + JSON.stringify(e.metadata).length, 0) / sample.length;

  const server = await startServer();
  const stopOnSignal = () => {
    void server.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const adminUrl = withDatabase(server.adminUrl, 'postgres');
    const machine = await machineInfo(adminUrl, server);
    console.log('Event-store benchmark');
    console.log(`machine   ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}`);
    console.log(`node      ${machine.node}`);
    console.log(`postgres  ${machine.postgres}; ${machine.settings}`);
    console.log(
      `workload  OrderPlaced events, ${fmt(dataBytes)} B data + ${fmt(metadataBytes)} B metadata JSON; ` +
        `warm-up ${fmt(config.warmupEvents)} events; ${config.rounds} rounds per append workload, ` +
        `${config.readPasses} read passes; pool ${config.poolSize} per contestant`,
    );
    console.log('');

    const results = await runContestants(adminUrl, contestants, config, seed);
    const loadAfter = loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
    console.log(report(results, config));
    console.log(`\nload average at start ${machine.load}, at end ${loadAfter}`);

    const resultsDir = resolve(__dirname, '..', '..', 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, `event-store-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify({ machine, config, results }, null, 2)}\n`);
    console.log(`\nfigures saved to ${file}`);
  } finally {
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
