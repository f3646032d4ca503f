import { readFile } from 'node:fs/promises';
import { AlertEvaluator, afterActions, type Evaluation } from '@salesledger/alerts/alert-evaluator';
import type { ActiveAlert, AlertAction } from '@salesledger/domain/alerts/alert-reconcile.policy';
import {
  ALERT_RULE_IDS,
  alertSettingsWith,
  DEFAULT_ALERT_SETTINGS,
  type AlertRuleId,
  type AlertSettings,
} from '@salesledger/domain/alerts/alert-settings';
import { daysOf, periodRange } from '@salesledger/domain/scorecards/grains';
import { openFromEnvironment } from '@salesledger/platform/service';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A usage error: printed as is, exit code 2, nothing evaluated. */
class UsageError extends Error {}

function instant(value: string, option: string): string {
  if (!ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(`${option} must be an ISO-8601 instant with a zone, e.g. 2026-11-27T09:00:00Z`);
  return new Date(value).toISOString();
}

function day(value: string, option: string): string {
  if (!ISO_DAY.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(`${option} must be a day, YYYY-MM-DD`);
  return value;
}

/** Settings to try over those in force: `over(base)` lays the file's fields over `base`. */
type Tuning = { readonly over: (base: AlertSettings) => AlertSettings };

/**
 * The --settings file: any subset of the alert settings. It is checked here, over the defaults, so
 * a mistake is a usage error before anything opens.
 */
async function tuningFrom(file: string | undefined): Promise<Tuning | undefined> {
  if (!file) return undefined;
  const fail = (error: unknown): never => {
    const problems = (error as { problems?: { field: string; message: string }[] }).problems;
    const detail = problems ? problems.map((p) => `${p.field}: ${p.message}`).join('; ') : (error as Error).message;
    throw new UsageError(`--settings ${file}: ${detail}`);
  };
  let partial: unknown;
  try {
    partial = JSON.parse(await readFile(file, 'utf8'));
    alertSettingsWith(DEFAULT_ALERT_SETTINGS, partial);
  } catch (error) {
    fail(error);
  }
  return {
    over: (base) => {
      try {
        return alertSettingsWith(base, partial);
      } catch (error) {
        return fail(error);
      }
    },
  };
}

/** Opens the runtime for a command, runs it, closes; a usage error exits 2 before anything opens. */
async function withEvaluator(name: string, work: (evaluator: AlertEvaluator) => Promise<void>): Promise<void> {
  const { runtime } = await openFromEnvironment(name);
  try {
    await work(new AlertEvaluator(runtime.eventStore, runtime.readModel));
  } finally {
    await runtime.close();
  }
}

async function guarded(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}

/**
 * `salesledger alerts evaluate [--at] [--apply] [--settings]`: every rule as of an instant, over
 * the facts recorded by then. A dry run prints what would be raised, resolved and escalated;
 * `--apply` appends it (as the worker would).
 */
export function evaluateAlerts(options: { at?: string; apply?: boolean; settings?: string; json?: boolean }) {
  return guarded(async () => {
    const at = options.at ? instant(options.at, '--at') : new Date().toISOString();
    const tuning = await tuningFrom(options.settings);
    if (options.apply && tuning) throw new UsageError('--apply uses the company settings; drop --settings');
    await withEvaluator('alerts-evaluate', async (evaluator) => {
      const settings = tuning?.over(await evaluator.settingsAt(at));
      const evaluation = await evaluator.evaluate(at, { settings });
      if (options.apply) await evaluator.apply(evaluation.actions, new Date());
      if (options.json) console.log(JSON.stringify(evaluation, null, 2));
      else printEvaluation(evaluation, options.apply === true);
    });
  });
}

function printEvaluation({ at, reps, active, actions }: Evaluation, applied: boolean): void {
  console.log(`${applied ? 'Applied' : 'Dry run (add --apply to raise)'}: ${reps} reps evaluated as of ${at}`);
  if (actions.length === 0) return console.log('nothing to raise, resolve or escalate');
  const known = new Map(active.map((alert) => [alert.alertId, alert]));
  console.log(
    columns(
      ['action', 'rule', 'rep', 'period', 'severity', 'why'],
      actions.map(({ command }) => {
        const alert = command.kind === 'raise' ? command.decision : known.get(command.alertId);
        const why =
          command.kind === 'raise'
            ? command.decision.evidence.summary
            : command.kind === 'resolve'
              ? command.reason
              : 'unacknowledged too long: to the director';
        return [command.kind, alert?.rule ?? '', alert?.repId ?? '', alert?.period ?? '', alert?.severity ?? '', why];
      }),
    ),
  );
}

interface RuleReport {
  raised: number;
  becameCritical: number;
  escalatedIfUnacknowledged: number;
  resolved: number;
  reps: Set<string>;
  openAtEnd: number;
}

/**
 * `salesledger alerts backtest --from --to [--time] [--settings]`: replays the period day by day
 * (one evaluation a day, at --time UTC), starting with no alert open and acknowledging none, and
 * reports per rule what would have been raised. Every rule is evaluated, enabled or not, with the
 * company's settings of each day; --settings lays the fields it gives over those. Nothing is appended.
 */
export function backtestAlerts(options: { from: string; to: string; time: string; settings?: string; json?: boolean }) {
  return guarded(async () => {
    const from = day(options.from, '--from');
    const to = day(options.to, '--to');
    if (to < from) throw new UsageError('--to must not be before --from');
    if (!HH_MM.test(options.time)) throw new UsageError('--time must be HH:MM (UTC)');
    const days = daysOf({ start: from, end: periodRange('day', to).end });
    if (days.length > 366) throw new UsageError('a back-test covers at most 366 days');
    const tuning = await tuningFrom(options.settings);
    await withEvaluator('alerts-backtest', async (evaluator) => {
      const report = new Map<AlertRuleId, RuleReport>(
        ALERT_RULE_IDS.map((rule) => [
          rule,
          { raised: 0, becameCritical: 0, escalatedIfUnacknowledged: 0, resolved: 0, reps: new Set(), openAtEnd: 0 },
        ]),
      );
      let active: ActiveAlert[] = [];
      const daily: { at: string; actions: readonly AlertAction[] }[] = [];
      for (const d of days) {
        const at = `${d}T${options.time}:00.000Z`;
        const inForce = allRulesOn(await evaluator.settingsAt(at));
        const settings = tuning ? tuning.over(inForce) : inForce;
        const { actions } = await evaluator.evaluate(at, { active, settings });
        count(report, active, actions);
        active = afterActions(active, actions);
        daily.push({ at, actions });
      }
      for (const alert of active) (report.get(alert.rule) as RuleReport).openAtEnd++;
      if (options.json) console.log(JSON.stringify({ from, to, time: options.time, rules: jsonReport(report), daily }));
      else printBacktest(from, to, options.time, report, tuning !== undefined);
    });
  });
}

const allRulesOn = (settings: AlertSettings): AlertSettings => ({
  ...settings,
  rules: Object.fromEntries(
    Object.entries(settings.rules).map(([rule, config]) => [rule, { ...config, enabled: true }]),
  ) as AlertSettings['rules'],
});

function count(report: Map<AlertRuleId, RuleReport>, active: readonly ActiveAlert[], actions: readonly AlertAction[]) {
  const known = new Map(active.map((alert) => [alert.alertId, alert]));
  for (const { command } of actions) {
    const alert = known.get(command.alertId);
    const rule = command.kind === 'raise' ? command.decision.rule : alert?.rule;
    if (!rule) continue;
    const line = report.get(rule) as RuleReport;
    if (command.kind === 'raise') {
      if (alert) line.becameCritical++;
      else line.raised++;
      line.reps.add(command.decision.repId);
    } else if (command.kind === 'escalate') line.escalatedIfUnacknowledged++;
    else if (command.kind === 'resolve') line.resolved++;
  }
}

const jsonReport = (report: Map<AlertRuleId, RuleReport>) =>
  Object.fromEntries([...report].map(([rule, line]) => [rule, { ...line, reps: line.reps.size }]));

function printBacktest(from: string, to: string, time: string, report: Map<AlertRuleId, RuleReport>, tried: boolean) {
  console.log(
    `Back-test ${from} to ${to}, evaluated daily at ${time} UTC, ` +
      `with the company settings in force each day, every rule on${tried ? ', and the settings given over them' : ''}:`,
  );
  console.log(
    columns(
      ['rule', 'raised', 'became critical', 'reps', 'resolved', 'escalated if unacknowledged', 'open at end'],
      [...report].map(([rule, line]) => [
        rule,
        String(line.raised),
        String(line.becameCritical),
        String(line.reps.size),
        String(line.resolved),
        String(line.escalatedIfUnacknowledged),
        String(line.openAtEnd),
      ]),
    ),
  );
}

function columns(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
