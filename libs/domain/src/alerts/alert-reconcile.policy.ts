import { streams } from '../streams';
import { dayOf, periodRange } from '../scorecards/grains';
import { PAPER_ALERT_WINDOW_DAYS, type AlertDecision, type AlertSeverity } from './alert-rules.policy';
import type { AlertRuleId, AlertSettings } from './alert-settings';
import { SEVERITY_RANK, type AlertCommand, type ResolveReason } from './alert.decider';

/** An alert not resolved yet, as the read model lists it. */
export interface ActiveAlert {
  readonly alertId: string;
  readonly rule: AlertRuleId;
  readonly repId: string;
  readonly period: string;
  readonly severity: AlertSeverity;
  readonly status: 'open' | 'acknowledged';
  readonly raisedAt: string;
  readonly escalated: boolean;
}

/** One pass of the rules: every rep evaluated (with or without decisions), and what the rules decided. */
export interface Evaluation {
  readonly repIds: readonly string[];
  readonly decisions: readonly AlertDecision[];
}

/** A command for the alert decider, and the stream it goes to. */
export interface AlertAction {
  readonly streamId: string;
  readonly command: AlertCommand;
}

/** Rules about a month: they look at the current month only, and a month that is over is settled. */
const MONTHLY: ReadonlySet<AlertRuleId> = new Set(['pace-below-expected', 'lost-customers']);
/** Rules about a week's papers: settled once the week is further back than the rules look. */
const WEEKLY: ReadonlySet<AlertRuleId> = new Set(['plan-overdue', 'report-overdue']);

export const alertStream = (key: { rule: string; repId: string; period: string }): string =>
  streams.alert(key.rule, key.repId, key.period);

/**
 * What one evaluation means for the alerts: raise what newly holds (or holds more severely),
 * resolve what no longer holds, escalate what waited too long. Resolves only what was evaluated:
 * the reps in `evaluation.repIds`, and for monthly rules the month of `now`.
 */
export function reconcile(
  active: readonly ActiveAlert[],
  evaluation: Evaluation,
  now: string,
  settings: AlertSettings,
  newAlertId: () => string,
): AlertAction[] {
  const decisions = strongestByStream(evaluation.decisions.filter((d) => settings.rules[d.rule].enabled));
  const evaluated = new Set(evaluation.repIds);
  const actions: AlertAction[] = [];
  for (const alert of active) {
    const streamId = alertStream(alert);
    const { alertId } = alert;
    const reason = resolution(alert, decisions.has(streamId), evaluated.has(alert.repId), now, settings);
    if (reason) actions.push({ streamId, command: { kind: 'resolve', alertId, reason, now } });
    else if (escalationDue(alert, now, settings.escalateAfterHours))
      actions.push({
        streamId,
        command: { kind: 'escalate', alertId, escalateAfterHours: settings.escalateAfterHours, now },
      });
  }
  const activeByStream = new Map(active.map((alert) => [alertStream(alert), alert]));
  for (const [streamId, decision] of decisions) {
    const alert = activeByStream.get(streamId);
    if (alert && SEVERITY_RANK[decision.severity] <= SEVERITY_RANK[alert.severity]) continue;
    actions.push({ streamId, command: { kind: 'raise', alertId: alert?.alertId ?? newAlertId(), decision, now } });
  }
  return actions;
}

function resolution(
  alert: ActiveAlert,
  stillHolds: boolean,
  evaluated: boolean,
  now: string,
  settings: AlertSettings,
): ResolveReason | null {
  // A disabled rule is not evaluated, and its alerts must not keep escalating.
  if (!settings.rules[alert.rule].enabled) return 'rule-disabled';
  const month = dayOf(now).slice(0, 7);
  if (MONTHLY.has(alert.rule) && alert.period < month) return 'period-ended';
  const lookedAtFrom = new Date(Date.parse(now) - PAPER_ALERT_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  if (WEEKLY.has(alert.rule) && periodRange('week', alert.period).end <= lookedAtFrom) return 'period-ended';
  if (!evaluated || stillHolds) return null;
  if (MONTHLY.has(alert.rule) && alert.period !== month) return null;
  return 'condition-cleared';
}

const escalationDue = (alert: ActiveAlert, now: string, afterHours: number) =>
  alert.status === 'open' && !alert.escalated && Date.parse(now) - Date.parse(alert.raisedAt) >= afterHours * 3_600_000;

/** Rules decide once per key; should two decisions share one, the more severe one counts. */
function strongestByStream(decisions: readonly AlertDecision[]): Map<string, AlertDecision> {
  const byStream = new Map<string, AlertDecision>();
  for (const decision of decisions) {
    const streamId = alertStream(decision);
    const known = byStream.get(streamId);
    if (!known || SEVERITY_RANK[decision.severity] > SEVERITY_RANK[known.severity]) byStream.set(streamId, decision);
  }
  return byStream;
}
