/**
 * Alert evaluation benchmark: every lag-alert rule over every rep of a large organisation, as the
 * alert worker runs it on its schedule (`AlertEvaluator.evaluate(now)` over all reps).
 *
 * It generates the log of an organisation (BENCH_REPS reps in teams of 20, five customers each,
 * monthly targets; every working day of the month of BENCH_AT, and of BENCH_HISTORY_MONTHS months
 * before it, until BENCH_AT: visits, orders with amendments and cancellations, customer requests
 * answered or not, weekly plans and reports on time, late or missing, customers lost or lapsed,
 * hires, moves and departures; see bench/alert-organisation.ts), appends it through our
 * PostgreSQL adapter to a fresh embedded PostgreSQL, checks it against the published event
 * contracts, and builds the read model with the real projections (`rebuildReadModel`). Then:
 *
 *   - seeds the alerts as a day of running would have left them: a dry run 25 h before BENCH_AT,
 *     its actions applied, half the alerts it raised acknowledged by their managers, the alerts
 *     projection caught up (not measured);
 *   - measures, in a child process of its own (bench/alerts.worker.ts, --expose-gc), BENCH_RUNS dry
 *     runs of `evaluate(BENCH_AT)`: reads, rules, reconciliation, no append. Wall time; memory as
 *     the process's RSS and JS heap sampled every 10 ms during each run, and the kernel's
 *     high-water RSS of the process (`process.resourceUsage().maxRSS`), against the RSS before the
 *     first run. Then the same evaluation taken apart: each query, grouping rows into situations,
 *     rules, reconciliation;
 *   - the baseline, in the same child: the queries the evaluation sent (same SQL, same
 *     parameters) sent alone, without grouping, rules or reconciliation; and each under EXPLAIN
 *     ANALYZE for the server's own time;
 *   - `apply` of the resulting actions once (raises, resolutions, escalations appended through the
 *     alert decider, one command after another as the worker does): time, no goal. Then the alerts
 *     projection catches up and the same evaluation is run again: it must propose no action.
 *
 *   npm run bench:alerts
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL       postgres://... of a server to use (its user must be able to CREATE DATABASE);
 *                            by default a fresh embedded PostgreSQL is started in a temp dir and removed
 *   BENCH_REPS               reps of the organisation                                (default 10000)
 *   BENCH_RUNS               measured evaluations, and breakdown and baseline passes (default 5)
 *   BENCH_AT                 the evaluation instant; the log ends there   (default 2026-11-18T10:00:00.000Z)
 *   BENCH_HISTORY_MONTHS     whole months of activity before BENCH_AT's month        (default 0)
 *   BENCH_CUSTOMERS_PER_REP  customers of each rep                                   (default 5)
 *   BENCH_SEED               seed of the generated log                               (default 20261118)
 *   BENCH_LOAD_WRITERS       concurrent appends while loading the log                (default 8)
 *   BENCH_CPU_PROFILE        1: the measuring process writes a V8 CPU profile (.cpuprofile) to bench/results/
 *   BENCH_KEEP_DATABASE      1: with BENCH_DATABASE_URL, leave the database (its name is printed) for inspection
 *
 * Prints one table and the ratios against the goals of the issue (< 1 s and < 200 MB for all rules
 * over 10,000 reps); exits 0 whether or not a goal is met (a measurement, not a test). Raw figures,
 * with the query plans, go to bench/results/ (git-ignored).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { AlertEvaluator } from '@salesledger/alerts/alert-evaluator';
import type { AlertAction } from '@salesledger/domain/alerts/alert-reconcile.policy';
import { alertDecider, type AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { handleCommand } from '@salesledger/domain/command-handler';
import type { JsonObject } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { toIntegrationEvent } from '@salesledger/contracts/integration-event';
import { validateIntegrationEvent } from '@salesledger/contracts/integration-event-schemas';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { migrateEventStore } from '@salesledger/event-store/postgres-migrations';
import { withPgClient } from '@salesledger/postgres/client';
import { alertsProjection } from '@salesledger/read-model/alert-projection';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { openPool } from '@salesledger/postgres/pool';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { rebuildReadModel } from '@salesledger/read-model/rebuild';
import { alertOrganisation, setUpEvents, type OrganisationShape } from './alert-organisation';
import type { WorkerJob, WorkerResult } from './alerts.worker';
import { fmt, intFromEnv, machineInfo, startServer, table, withDatabase } from './harness';
import { loadHistory, type LoadResult } from './sales-history';
import { prng } from './workload';

const GOALS = { seconds: 1, memoryMiB: 200 };
const REBUILD_BATCH = 5000;
/** Of the alerts the seed run raises, the share its managers acknowledge. */
const ACKNOWLEDGED = 0.5;
const SEED_HOURS_BEFORE = 25;
const RESULTS_DIR = resolve(__dirname, '..', '..', 'bench', 'results');

interface Config {
  readonly shape: OrganisationShape;
  readonly runs: number;
  readonly loadWriters: number;
}

function readConfig(): Config {
  const at = process.env['BENCH_AT'] || '2026-11-18T10:00:00.000Z';
  if (!Number.isFinite(Date.parse(at))) throw new Error(`BENCH_AT must be an instant, got ${at}`);
  return {
    shape: {
      reps: intFromEnv('BENCH_REPS', 10_000),
      repsPerTeam: 20,
      customersPerRep: intFromEnv('BENCH_CUSTOMERS_PER_REP', 5),
      at: new Date(at).toISOString(),
      historyMonths: intFromEnv('BENCH_HISTORY_MONTHS', 0, 0),
      seed: intFromEnv('BENCH_SEED', 20_261_118, 0),
    },
    runs: intFromEnv('BENCH_RUNS', 5),
    loadWriters: intFromEnv('BENCH_LOAD_WRITERS', 8),
  };
}

// A progress line on a terminal only; piped output stays just the report.
const progress = (text: string) => {
  if (process.stdout.isTTY) process.stdout.write(`\r${text.padEnd(72)}\r`);
};
const seconds = (since: number) => (performance.now() - since) / 1000;

interface ContractCheck {
  readonly read: number;
  readonly checked: number;
  readonly invalid: number;
  readonly examples: string[];
}

/** Reads the whole log back and checks every event against its published schema. */
async function checkContracts(store: EventStore): Promise<ContractCheck> {
  let read = 0;
  let invalid = 0;
  const examples: string[] = [];
  for await (const page of store.pages(null, 5000)) {
    for (const event of page) {
      read++;
      const validation = validateIntegrationEvent(toIntegrationEvent(event));
      if (!validation.valid) {
        invalid++;
        if (examples.length < 5) examples.push(`${event.type} at ${event.position}: ${validation.errors.join('; ')}`);
      }
    }
    progress(`checking contracts: ${read.toLocaleString('en-US')} events`);
  }
  return { read, checked: read, invalid, examples };
}

/** One command after another through the alert decider, as AlertEvaluator.apply does; returns the seconds. */
async function acknowledge(store: EventStore, actions: readonly AlertAction[], now: Date, share: number, seed: number) {
  const random = prng(seed);
  // In stream order, so that the same alerts are acknowledged whatever order the rows came in.
  const raised = actions
    .filter((a) => a.command.kind === 'raise')
    .sort((a, b) => (a.streamId < b.streamId ? -1 : 1))
    .filter(() => random() < share);
  for (const { streamId, command } of raised) {
    const decision = (command as Extract<AlertCommand, { kind: 'raise' }>).decision;
    await handleCommand(
      store,
      streamId,
      alertDecider,
      { kind: 'acknowledge', alertId: command.alertId, note: 'on it', now: now.toISOString() } as AlertCommand &
        JsonObject,
      {
        commandId: `ack/${command.alertId}`,
        correlationId: `ack/${command.alertId}`,
        actor: { userId: `manager-${decision.teamId}`, role: 'manager' },
        now,
      },
    );
  }
  return raised.length;
}

const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

function measure(job: WorkerJob): Promise<WorkerResult> {
  return new Promise((resolvePromise, reject) => {
    const profile = process.env['BENCH_CPU_PROFILE'] === '1';
    const child = fork(join(__dirname, 'alerts.worker.js'), [], {
      stdio: 'inherit',
      execArgv: ['--expose-gc', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${RESULTS_DIR}`] : [])],
    });
    let settled = false;
    child.once('message', (reply: { ok: true; result: WorkerResult } | { ok: false; error: string }) => {
      settled = true;
      if (reply.ok) resolvePromise(reply.result);
      else reject(new Error(`alerts worker: ${reply.error}`));
    });
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`alerts worker exited (${signal ?? code}) without an answer`));
    });
    child.send(job);
  });
}

interface ApplyResult {
  readonly actions: number;
  readonly byKind: Record<string, number>;
  readonly seconds: number;
  readonly evaluateSeconds: number;
}

async function evaluateAndApply(
  evaluator: AlertEvaluator,
  at: string,
): Promise<ApplyResult & { raised: AlertAction[] }> {
  const started = performance.now();
  const { actions } = await evaluator.evaluate(at);
  const evaluateSeconds = seconds(started);
  const applying = performance.now();
  await evaluator.apply(actions, new Date(at));
  return {
    actions: actions.length,
    byKind: countBy(actions, (a) => a.command.kind),
    seconds: seconds(applying),
    evaluateSeconds,
    raised: actions.filter((a) => a.command.kind === 'raise'),
  };
}

interface Results {
  readonly load: LoadResult;
  readonly contracts: ContractCheck;
  readonly rebuildSeconds: number;
  readonly readModelRows: Record<string, number>;
  readonly seed: ApplyResult & { acknowledged: number; projectSeconds: number; at: string };
  readonly measured: WorkerResult;
  readonly apply: ApplyResult & { projectSeconds: number };
  readonly after: { actions: number; byKind: Record<string, number> };
}

const ms = (n: number) => `${fmt(n, n < 10 ? 1 : 0)} ms`;

function report(r: Results, config: Config): string {
  const m = r.measured;
  const times = m.runs.map((run) => run.ms);
  const sorted = [...times].sort((a, b) => a - b);
  const p50 = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  const max = Math.max(...times);
  const rssPeak = Math.max(m.maxRssMiB, ...m.runs.map((run) => run.rssPeakMiB));
  const rssDelta = rssPeak - m.rssBeforeFirstMiB;
  const sampledDelta = Math.max(...m.runs.map((run) => run.rssPeakMiB - run.rssBeforeMiB));
  const heapPeak = Math.max(...m.runs.map((run) => run.heapPeakMiB));
  const heapDelta = Math.max(...m.runs.map((run) => run.heapPeakMiB - run.heapBeforeMiB));
  const b = m.breakdown;
  const pct = (part: number) => `${fmt((100 * part) / b.totalMs)} %`;

  const steps: string[][] = [
    [
      'load (not measured)',
      `${fmt(r.load.events)} events in ${fmt(r.load.appends)} appends, ${config.loadWriters} at a time`,
      `${fmt(r.load.seconds, 1)} s`,
      `${fmt(r.load.events / r.load.seconds)} events/s`,
    ],
    [
      'contracts (not measured)',
      `${fmt(r.contracts.read)} events read back, checked against their published schemas: ${fmt(r.contracts.invalid)} invalid`,
      '',
      '',
    ],
    [
      'rebuild (not measured)',
      `rebuildReadModel, batches of ${fmt(REBUILD_BATCH)}`,
      `${fmt(r.rebuildSeconds, 1)} s`,
      `${fmt(r.load.events / r.rebuildSeconds)} events/s`,
    ],
    [
      'seed (not measured)',
      `evaluate + apply at ${r.seed.at}: ${fmt(r.seed.actions)} actions; ${fmt(r.seed.acknowledged)} acknowledged`,
      `${fmt(r.seed.seconds, 1)} s`,
      '',
    ],
    [
      'evaluate, dry run',
      `${m.runs.length} runs: ${times.map((t) => fmt(t)).join(', ')} ms`,
      `p50 ${ms(p50)}`,
      `max ${ms(max)}`,
    ],
    [
      '  memory, high-water',
      `RSS ${fmt(m.rssBeforeFirstMiB)} MiB before the first run, ${fmt(rssPeak)} MiB peak (kernel maxRSS)`,
      '',
      `+${fmt(rssDelta)} MiB`,
    ],
    [
      '  memory, sampled',
      `per run, 10 ms samples: RSS +${fmt(sampledDelta)} MiB; JS heap peak ${fmt(heapPeak)} MiB`,
      '',
      `heap +${fmt(heapDelta)} MiB`,
    ],
    [
      'baseline: the queries alone',
      `the ${m.queries.length} queries of one evaluation, same SQL and parameters, median of ${config.runs}`,
      ms(m.baselineMs),
      `${fmt(m.baselineMs / p50, 2)}× evaluate`,
    ],
    ['  of which on the server', 'sum of EXPLAIN ANALYZE execution times', ms(m.baselineServerMs), ''],
    [
      'apply the actions',
      `${fmt(r.apply.actions)} commands, one after another (${Object.entries(r.apply.byKind)
        .map(([k, n]) => `${k} ${fmt(n)}`)
        .join(', ')})`,
      `${fmt(r.apply.seconds, 1)} s`,
      `${fmt(r.apply.actions / r.apply.seconds)} commands/s`,
    ],
    ['  then projected', 'alerts projection catch-up', `${fmt(r.apply.projectSeconds, 1)} s`, ''],
  ];

  const parts: string[][] = [
    ['company settings (readStream)', ms(b.settingsMs), pct(b.settingsMs)],
    ['loadSituations: queries and rows → situations', ms(b.loadSituationsMs), pct(b.loadSituationsMs)],
    // Two queries run at a time (the month's sales beside the rest), so their times overlap.
    ['  of which in queries, summed', ms(b.queriesMs), ''],
    ['rules (evaluateRules per rep)', ms(b.rulesMs), pct(b.rulesMs)],
    ['active alerts query', ms(b.activeAlertsMs), pct(b.activeAlertsMs)],
    ['reconcile', ms(b.reconcileMs), pct(b.reconcileMs)],
    ['total', ms(b.totalMs), '100 %'],
  ];

  const queries = m.queries.map((q) => [q.label, fmt(q.rows), ms(q.ms), ms(q.aloneMs), ms(q.serverMs)]);

  const rules = Object.keys({ ...m.decisionsByRule, ...m.actionsByRuleAndKind }).sort();
  const ruleRows = rules.map((rule) => {
    const severities = m.severityByRule[rule] ?? {};
    const actions = m.actionsByRuleAndKind[rule] ?? {};
    return [
      rule,
      fmt(m.decisionsByRule[rule] ?? 0),
      fmt(m.repsByRule[rule] ?? 0),
      Object.keys(severities).length > 1
        ? Object.entries(severities)
            .map(([s, n]) => `${s} ${fmt(n)}`)
            .join(', ')
        : '',
      fmt(actions['raise'] ?? 0),
      fmt(actions['resolve'] ?? 0),
      fmt(actions['escalate'] ?? 0),
    ];
  });

  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const goals: string[][] = [
    [
      `evaluate, ${fmt(m.reps)} reps, p50`,
      ms(p50),
      `< ${fmt(GOALS.seconds * 1000)} ms`,
      `${fmt(p50 / (GOALS.seconds * 1000), 2)}×`,
      verdict(p50 < GOALS.seconds * 1000),
    ],
    [
      `evaluate, slowest of ${m.runs.length} (first run cold)`,
      ms(max),
      `< ${fmt(GOALS.seconds * 1000)} ms`,
      `${fmt(max / (GOALS.seconds * 1000), 2)}×`,
      verdict(max < GOALS.seconds * 1000),
    ],
    [
      'memory: RSS growth, high-water',
      `${fmt(rssDelta)} MiB`,
      `< ${GOALS.memoryMiB} MB`,
      `${fmt(rssDelta / GOALS.memoryMiB, 2)}×`,
      verdict(rssDelta < GOALS.memoryMiB),
    ],
    [
      'memory: whole process peak RSS',
      `${fmt(rssPeak)} MiB`,
      `< ${GOALS.memoryMiB} MB`,
      `${fmt(rssPeak / GOALS.memoryMiB, 2)}×`,
      verdict(rssPeak < GOALS.memoryMiB),
    ],
  ];

  const warnings = [
    ...(r.contracts.invalid > 0
      ? [
          `! ${fmt(r.contracts.invalid)} of ${fmt(r.contracts.checked)} events do not match their contract: ${r.contracts.examples.join(' | ')}`,
        ]
      : []),
    ...(r.contracts.read !== r.load.events
      ? [`! the log read back ${fmt(r.contracts.read)} events of ${fmt(r.load.events)} loaded`]
      : []),
    ...(r.after.actions > 0
      ? [
          `! after applying and projecting, the same evaluation still proposes ${fmt(r.after.actions)} actions (${Object.entries(
            r.after.byKind,
          )
            .map(([k, n]) => `${k} ${fmt(n)}`)
            .join(', ')}); expected none`,
        ]
      : []),
    ...(m.collected
      ? []
      : ['! no GC between runs (--expose-gc missing): memory figures include garbage of earlier runs']),
  ];

  return [
    table(['step', 'what', 'time', 'figure'], steps, 2),
    '',
    `evaluation taken apart (medians of ${config.runs}):`,
    table(['part', 'time', 'share'], parts, 1),
    '',
    'queries of loadSituations and activeAlerts (median ms; "alone": the baseline; "server": EXPLAIN ANALYZE):',
    table(['query', 'rows', 'in evaluate', 'alone', 'server'], queries, 1),
    '',
    `what the rules said at ${config.shape.at}: ${fmt(m.reps)} reps evaluated, ${fmt(m.repsAlerting)} (${fmt((100 * m.repsAlerting) / m.reps)} %) with at least one decision; ${fmt(m.activeAlerts)} alerts active before`,
    table(['rule', 'decisions', 'reps', 'severity', 'raise', 'resolve', 'escalate'], ruleRows, 1),
    ...(warnings.length > 0 ? ['', ...warnings] : []),
    '',
    table(['goal', 'measured', 'goal', 'ratio', ''], goals, 1),
    '',
    `Memory is the measuring process's (a child with only the evaluator, its pool and the event`,
    'store client); PostgreSQL is not counted. "high-water" is the kernel\'s maxRSS of that process',
    'after the runs, against its RSS before the first run (after a full GC); the 10 ms samples miss',
    'peaks inside synchronous stretches (the rules), the high-water mark does not.',
    `after apply and projection, the same evaluation proposes ${fmt(r.after.actions)} actions.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const config = readConfig();
  const shape = config.shape;
  const server = await startServer();
  const stopOnSignal = () => {
    void server.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const database = `bench_alerts_${randomBytes(4).toString('hex')}`;
  const adminUrl = withDatabase(server.adminUrl, 'postgres');
  let created = false;
  try {
    const machine = await machineInfo(adminUrl, server);
    console.log('Alert evaluation benchmark');
    console.log(`machine   ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}`);
    console.log(`node      ${machine.node}`);
    console.log(`postgres  ${machine.postgres}; ${machine.settings}`);
    console.log(
      `workload  ${fmt(shape.reps)} reps in teams of ${shape.repsPerTeam}, ${shape.customersPerRep} customers each ` +
        `(${fmt(setUpEvents(shape))} set-up events at most); activity from ${shape.historyMonths} month(s) before ` +
        `the month of ${shape.at} until then; ${config.runs} measured runs`,
    );
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
      const load = await loadHistory(store, alertOrganisation(shape), config.loadWriters);
      progress('vacuum analyze');
      await withPgClient(url, (client) => client.query('VACUUM (ANALYZE) event_store.events'));
      const contracts = await checkContracts(store);

      progress('rebuilding the read model');
      const rebuildStarted = performance.now();
      const swapped = await rebuildReadModel(store, pool, url, {
        batchSize: REBUILD_BATCH,
        onProgress: (p) =>
          progress(`rebuild: ${p.applied.toLocaleString('en-US')} of ~${p.total.toLocaleString('en-US')} events`),
      });
      const rebuildSeconds = seconds(rebuildStarted);
      if (!swapped) throw new Error('the rebuild did not swap');
      // Fresh tables have no statistics until autovacuum gets to them: give the planner what it would have.
      progress('vacuum analyze');
      await withPgClient(url, (client) => client.query(`VACUUM (ANALYZE)`));
      const readModelRows: Record<string, number> = {};
      for (const t of [
        'reps',
        'team_memberships',
        'customers',
        'customer_losses',
        'order_versions',
        'visits',
        'papers',
        'requests',
        'target_changes',
      ]) {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${READ_MODEL}.${t}`);
        readModelRows[t] = rows[0].n;
      }

      const evaluator = new AlertEvaluator(store, pool);
      const alerts = new ProjectionRunner(store, pool, alertsProjection, { batchSize: 1000 });
      const project = async () => {
        const started = performance.now();
        await alerts.catchUp();
        return seconds(started);
      };

      // Seed: the state a day of running would leave.
      progress('seeding alerts');
      const seedAt = new Date(Date.parse(shape.at) - SEED_HOURS_BEFORE * 3_600_000).toISOString();
      const seeded = await evaluateAndApply(evaluator, seedAt);
      const acknowledged = await acknowledge(
        store,
        seeded.raised,
        new Date(Date.parse(seedAt) + 3_600_000),
        ACKNOWLEDGED,
        shape.seed + 1,
      );
      const seedProject = await project();
      await withPgClient(url, (client) => client.query(`VACUUM (ANALYZE) ${READ_MODEL}.alerts`));

      progress('measuring the evaluation');
      await mkdir(RESULTS_DIR, { recursive: true });
      const measured = await measure({ url, at: shape.at, runs: config.runs });

      progress('applying the actions');
      const applied = await evaluateAndApply(evaluator, shape.at);
      const applyProject = await project();
      const again = await evaluator.evaluate(shape.at);
      progress('');

      const results: Results = {
        load,
        contracts,
        rebuildSeconds,
        readModelRows,
        seed: {
          ...seeded,
          raised: undefined,
          acknowledged,
          projectSeconds: seedProject,
          at: seedAt,
        } as Results['seed'],
        measured,
        apply: { ...applied, raised: undefined, projectSeconds: applyProject } as Results['apply'],
        after: { actions: again.actions.length, byKind: countBy(again.actions, (a) => a.command.kind) },
      };
      const loadAfter = loadavg()
        .map((n) => n.toFixed(2))
        .join(' ');
      console.log(report(results, config));
      console.log(
        `\nread model: ${Object.entries(readModelRows)
          .map(([t, n]) => `${t} ${fmt(n)}`)
          .join(', ')}`,
      );
      console.log(
        `events by type: ${Object.entries(load.byType)
          .sort((a, b) => b[1] - a[1])
          .map(([type, n]) => `${type} ${fmt(n)}`)
          .join(', ')}`,
      );
      console.log(`\nload average at start ${machine.load}, at end ${loadAfter}`);

      await mkdir(RESULTS_DIR, { recursive: true });
      const file = join(RESULTS_DIR, `alerts-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      await writeFile(file, `${JSON.stringify({ machine, config, goals: GOALS, results }, null, 2)}\n`);
      console.log(`figures saved to ${file}`);
    } finally {
      await store.close();
      await pool.end();
    }
  } finally {
    const keep = process.env['BENCH_KEEP_DATABASE'] === '1' && process.env['BENCH_DATABASE_URL'];
    if (created && keep) console.log(`database ${database} kept`);
    else if (created)
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
