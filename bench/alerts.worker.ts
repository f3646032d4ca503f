/**
 * The measured side of the alert benchmark, in its own process so that its memory is the
 * evaluation's alone (no generator, loader or rebuild garbage). Started with --expose-gc; the
 * parent sends one `WorkerJob`, gets one `WorkerResult` (or an error) back, and the process exits.
 *
 * 1. `runs` dry-run evaluations, `AlertEvaluator.evaluate(at)` as the alert worker calls it (all
 *    reps, settings and active alerts from the database), each after a full GC: wall time, RSS and
 *    JS heap sampled every 10 ms, and the kernel's high-water RSS (`process.resourceUsage().maxRSS`).
 * 2. Only then (so it cannot raise that high-water mark before it is read) the same evaluation
 *    taken apart, `runs` times: every query `loadSituations` and `activeAlerts` send, through a pool
 *    that times them; grouping rows into situations; the rules; the reconciliation.
 * 3. The baseline: the captured queries, same SQL and parameters, sent alone one after another,
 *    `runs` times (the database and the driver without any of our code), and each once under
 *    EXPLAIN (ANALYZE, BUFFERS) for the server's own time and plan.
 */
import { performance } from 'node:perf_hooks';
import { Pool, type QueryArrayConfig } from 'pg';
import { AlertEvaluator } from '@salesledger/alerts/alert-evaluator';
import { loadSituations } from '@salesledger/read-model/rep-situations';
import { reconcile } from '@salesledger/domain/alerts/alert-reconcile.policy';
import { evaluateRules } from '@salesledger/domain/alerts/alert-rules.policy';
import { ALERT_RULE_IDS } from '@salesledger/domain/alerts/alert-settings';
import { PostgresEventStore } from '@salesledger/event-store/postgres-event-store.adapter';
import { openPool } from '@salesledger/postgres/pool';

export interface WorkerJob {
  readonly url: string;
  readonly at: string;
  readonly runs: number;
}

export interface EvaluationRun {
  readonly ms: number;
  readonly rssBeforeMiB: number;
  readonly rssPeakMiB: number;
  readonly heapBeforeMiB: number;
  readonly heapPeakMiB: number;
  readonly samples: number;
}

export interface QueryTiming {
  readonly label: string;
  readonly rows: number;
  /** Median over the runs, round trip as loadSituations saw it (send, execute, receive, parse rows). */
  readonly ms: number;
  /** Median over the runs, the same SQL and parameters sent alone (the baseline). */
  readonly aloneMs: number;
  /** EXPLAIN ANALYZE's Execution Time: the server's work, without sending rows to the client. */
  readonly serverMs: number;
  /** The plan's nodes, one per line, indented, with actual rows and loops. */
  readonly plan: string;
  readonly sql: string;
}

export interface WorkerResult {
  readonly reps: number;
  readonly decisionsByRule: Record<string, number>;
  readonly repsByRule: Record<string, number>;
  readonly severityByRule: Record<string, Record<string, number>>;
  readonly repsAlerting: number;
  readonly actionsByKind: Record<string, number>;
  readonly actionsByRuleAndKind: Record<string, Record<string, number>>;
  readonly activeAlerts: number;
  readonly runs: readonly EvaluationRun[];
  readonly rssBeforeFirstMiB: number;
  /** Kernel high-water RSS of this process after the evaluation runs (and before the breakdown). */
  readonly maxRssMiB: number;
  readonly maxRssBeforeFirstMiB: number;
  readonly collected: boolean;
  readonly breakdown: {
    readonly settingsMs: number;
    readonly loadSituationsMs: number;
    readonly queriesMs: number;
    readonly rulesMs: number;
    readonly activeAlertsMs: number;
    readonly reconcileMs: number;
    readonly totalMs: number;
  };
  readonly baselineMs: number;
  readonly baselineServerMs: number;
  readonly queries: readonly QueryTiming[];
}

const SAMPLE_MS = 10;
const mib = (bytes: number) => bytes / 2 ** 20;
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};
const gc = (globalThis as { gc?: () => void }).gc;
const collect = () => {
  gc?.();
  gc?.();
};

/** What a query reads, by the tables it names (first match wins: the last-visit query may join reps). */
const LABELS: readonly [RegExp, string][] = [
  [/order_id = ANY/i, 'earlier versions of amended orders'],
  [/FROM\s+\w+\.visits\b/i, 'last visit'],
  [/FROM\s+\w+\.order_versions\b/i, 'sales of the month'],
  [/FROM\s+\w+\.target_changes\b/i, 'targets of the month'],
  [/FROM\s+\w+\.papers\b/i, 'unsubmitted papers'],
  [/FROM\s+\w+\.customer_losses\b/i, 'customers lost'],
  [/FROM\s+\w+\.requests\b/i, 'unanswered requests'],
  [/FROM\s+\w+\.alerts\b/i, 'active alerts'],
  [/FROM\s+\w+\.holidays\b/i, 'holidays'],
  [/FROM\s+\w+\.reps\b/i, 'reps (+ team on the day)'],
];
const labelOf = (sql: string) => LABELS.find(([pattern]) => pattern.test(sql))?.[1] ?? sql.slice(0, 40);

interface Captured {
  readonly sql: string;
  readonly params: unknown[];
  /** 'array' where the query asked for its rows as arrays: the baseline asks the same. */
  readonly rowMode?: 'array';
  readonly ms: number;
  readonly rows: number;
}

/** A query as loadSituations asked it: rows as objects, or as arrays. */
const ask = (pool: Pool, q: Pick<Captured, 'sql' | 'params' | 'rowMode'>) =>
  q.rowMode ? pool.query({ text: q.sql, values: q.params, rowMode: q.rowMode }) : pool.query(q.sql, q.params);

/** A stand-in for the pool that times every query; loadSituations and AlertEvaluator only call `query`. */
function timingPool(pool: Pool, log: Captured[]): Pool {
  return {
    query: async (query: string | QueryArrayConfig, values: unknown[] = []) => {
      const { text: sql, values: params = values, rowMode } = typeof query === 'string' ? { text: query } : query;
      const started = performance.now();
      const result = await ask(pool, { sql, params, rowMode });
      log.push({ sql, params, rowMode, ms: performance.now() - started, rows: result.rowCount ?? result.rows.length });
      return result;
    },
  } as unknown as Pool;
}

const count = (into: Record<string, number>, key: string, n = 1) => {
  into[key] = (into[key] ?? 0) + n;
};

function planLines(node: Record<string, unknown>, depth = 0): string[] {
  const what = [
    node['Node Type'],
    node['Relation Name'] ? `on ${node['Relation Name']}` : '',
    node['Index Name'] ? `using ${node['Index Name']}` : '',
    node['Subplan Name'] ? `(${node['Subplan Name']})` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const figures = `rows=${node['Actual Rows']} loops=${node['Actual Loops']} time=${Number(node['Actual Total Time']).toFixed(1)} ms`;
  const children = (node['Plans'] as Record<string, unknown>[] | undefined) ?? [];
  return [`${'  '.repeat(depth)}${what}  ${figures}`, ...children.flatMap((child) => planLines(child, depth + 1))];
}

async function run(job: WorkerJob): Promise<WorkerResult> {
  const pool = openPool(job.url, (error) => console.error(`read-model connection lost: ${error.message}`));
  const storePool = new Pool({ connectionString: job.url, max: 2 });
  const store = new PostgresEventStore(storePool);
  try {
    const evaluator = new AlertEvaluator(store, pool);
    await pool.query('SELECT 1'); // connect before measuring
    collect();
    const rssBeforeFirst = process.memoryUsage().rss;
    const maxRssBeforeFirst = process.resourceUsage().maxRSS * 1024;

    // 1. The evaluations, as the alert worker runs them.
    const runs: EvaluationRun[] = [];
    let last: Awaited<ReturnType<AlertEvaluator['evaluate']>> | undefined;
    for (let i = 0; i < job.runs; i++) {
      last = undefined;
      collect();
      const before = process.memoryUsage();
      let rssPeak = before.rss;
      let heapPeak = before.heapUsed;
      let samples = 0;
      const sample = () => {
        const now = process.memoryUsage();
        rssPeak = Math.max(rssPeak, now.rss);
        heapPeak = Math.max(heapPeak, now.heapUsed);
        samples++;
      };
      const sampler = setInterval(sample, SAMPLE_MS);
      const started = performance.now();
      const evaluation = await evaluator.evaluate(job.at);
      const ms = performance.now() - started;
      sample();
      clearInterval(sampler);
      last = evaluation;
      runs.push({
        ms,
        rssBeforeMiB: mib(before.rss),
        rssPeakMiB: mib(rssPeak),
        heapBeforeMiB: mib(before.heapUsed),
        heapPeakMiB: mib(heapPeak),
        samples,
      });
    }
    const maxRss = process.resourceUsage().maxRSS * 1024;
    if (!last) throw new Error('no evaluation ran');

    const decisionsByRule: Record<string, number> = {};
    const severityByRule: Record<string, Record<string, number>> = {};
    const repsOfRule = new Map<string, Set<string>>();
    for (const d of last.decisions) {
      count(decisionsByRule, d.rule);
      count((severityByRule[d.rule] ??= {}), d.severity);
      repsOfRule.set(d.rule, (repsOfRule.get(d.rule) ?? new Set()).add(d.repId));
    }
    const actionsByKind: Record<string, number> = {};
    const actionsByRuleAndKind: Record<string, Record<string, number>> = {};
    for (const { streamId, command } of last.actions) {
      count(actionsByKind, command.kind);
      const rule = command.kind === 'raise' ? command.decision.rule : ruleOfStream(streamId);
      count((actionsByRuleAndKind[rule] ??= {}), command.kind);
    }
    const summary = {
      reps: last.reps,
      decisionsByRule,
      repsByRule: Object.fromEntries([...repsOfRule].map(([rule, reps]) => [rule, reps.size])),
      severityByRule,
      repsAlerting: new Set(last.decisions.map((d) => d.repId)).size,
      actionsByKind,
      actionsByRuleAndKind,
      activeAlerts: (await evaluator.activeAlerts()).length,
    };
    last = undefined;

    // 2. The same evaluation taken apart, as AlertEvaluator.evaluate does it.
    const parts: Record<string, number[]> = {};
    const perQuery = new Map<
      string,
      { ms: number[]; rows: number; sql: string; params: unknown[]; rowMode?: 'array' }
    >();
    for (let i = 0; i < job.runs; i++) {
      collect();
      const captured: Captured[] = [];
      const timed = timingPool(pool, captured);
      const partsEvaluator = new AlertEvaluator(store, timed);
      const t0 = performance.now();
      const settings = await partsEvaluator.settingsAt(job.at);
      const t1 = performance.now();
      const situations = await loadSituations(timed, job.at);
      const t2 = performance.now();
      const decisions = situations.flatMap((situation) => evaluateRules(situation, settings, job.at));
      const t3 = performance.now();
      const active = await partsEvaluator.activeAlerts();
      const t4 = performance.now();
      reconcile(active, { repIds: situations.map((s) => s.repId), decisions }, job.at, settings, () => 'x');
      const t5 = performance.now();
      const situationQueries = captured.filter((q) => labelOf(q.sql) !== 'active alerts');
      const queriesMs = situationQueries.reduce((sum, q) => sum + q.ms, 0);
      for (const [name, value] of Object.entries({
        settingsMs: t1 - t0,
        loadSituationsMs: t2 - t1,
        queriesMs,
        rulesMs: t3 - t2,
        activeAlertsMs: t4 - t3,
        reconcileMs: t5 - t4,
        totalMs: t5 - t0,
      }))
        (parts[name] ??= []).push(value);
      for (const q of captured) {
        const known = perQuery.get(labelOf(q.sql)) ?? {
          ms: [],
          rows: q.rows,
          sql: q.sql,
          params: q.params,
          rowMode: q.rowMode,
        };
        known.ms.push(q.ms);
        perQuery.set(labelOf(q.sql), known);
      }
    }
    const breakdown = Object.fromEntries(
      Object.entries(parts).map(([name, values]) => [name, median(values)]),
    ) as WorkerResult['breakdown'];

    // 3. Baseline: the same queries alone, then once each under EXPLAIN ANALYZE.
    const baselineRuns: number[] = [];
    const alone = new Map<string, number[]>();
    for (let i = 0; i < job.runs; i++) {
      let total = 0;
      for (const [label, q] of perQuery) {
        const started = performance.now();
        await ask(pool, q);
        const ms = performance.now() - started;
        total += ms;
        alone.set(label, [...(alone.get(label) ?? []), ms]);
      }
      baselineRuns.push(total);
    }
    const queries: QueryTiming[] = [];
    for (const [label, q] of perQuery) {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.sql}`, q.params);
      const explained = (rows[0] as { 'QUERY PLAN': Record<string, unknown>[] })['QUERY PLAN'][0] as Record<
        string,
        unknown
      >;
      queries.push({
        label,
        rows: q.rows,
        ms: median(q.ms),
        aloneMs: median(alone.get(label) ?? []),
        serverMs: Number(explained['Execution Time']),
        plan: planLines(explained['Plan'] as Record<string, unknown>).join('\n'),
        sql: q.sql.replace(/\s+/g, ' ').trim(),
      });
    }
    return {
      ...summary,
      runs,
      rssBeforeFirstMiB: mib(rssBeforeFirst),
      maxRssMiB: mib(maxRss),
      maxRssBeforeFirstMiB: mib(maxRssBeforeFirst),
      collected: gc !== undefined,
      breakdown,
      baselineMs: median(baselineRuns),
      baselineServerMs: queries.reduce((sum, q) => sum + q.serverMs, 0),
      queries,
    };
  } finally {
    await pool.end();
    await store.close();
  }
}

/** `alert-<rule>-<rep>-<period>`: the rule is one of the known ids, which contain dashes themselves. */
function ruleOfStream(streamId: string): string {
  return ALERT_RULE_IDS.find((rule) => streamId.startsWith(`alert-${rule}-`)) ?? 'unknown';
}

process.on('disconnect', () => process.exit(1));
process.once('message', (job: WorkerJob) => {
  run(job).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) =>
      process.send?.(
        { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        () => process.exit(1),
      ),
  );
});
