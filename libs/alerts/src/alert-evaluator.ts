import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { reconcile, type ActiveAlert, type AlertAction } from '@salesledger/domain/alerts/alert-reconcile.policy';
import { evaluateRules, type AlertDecision } from '@salesledger/domain/alerts/alert-rules.policy';
import type { AlertSettings } from '@salesledger/domain/alerts/alert-settings';
import { alertDecider, type AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { handleCommand } from '@salesledger/domain/command-handler';
import { COMPANY_SETTINGS_STREAM, companySettingsDecider } from '@salesledger/domain/company/company-settings.decider';
import type { JsonObject } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { loadActiveAlerts, loadSituations } from '@salesledger/read-model/rep-situations';

export interface Evaluation {
  readonly at: string;
  readonly settings: AlertSettings;
  readonly reps: number;
  /** The alerts reconciled with (active before the actions). */
  readonly active: readonly ActiveAlert[];
  readonly decisions: readonly AlertDecision[];
  /** What the evaluation means for the alerts: raise, resolve, escalate. */
  readonly actions: readonly AlertAction[];
}

export interface EvaluateOptions {
  /** The alerts to reconcile with; by default those the read model holds now. */
  readonly active?: readonly ActiveAlert[];
  /** Settings to try instead of those in force (a back-test tuning thresholds). */
  readonly settings?: AlertSettings;
  /** Only these reps (an evaluation triggered by their changes); by default all. */
  readonly repIds?: readonly string[];
}

/**
 * Runs every rule over every rep at an instant and reconciles the outcome with the active alerts.
 * The rules and the reconciliation are pure (libs/domain/src/alerts); this gathers their inputs
 * from the log and the read model, and appends the resulting commands to the alerts' streams.
 */
export class AlertEvaluator {
  constructor(
    private readonly store: EventStore,
    private readonly readModel: Pool,
  ) {}

  /** What the rules say at `at`, from the facts recorded by then and (unless overridden) the settings in force then. */
  async evaluate(at: string, options: EvaluateOptions = {}): Promise<Evaluation> {
    const { active, repIds } = options;
    const settings = options.settings ?? (await this.settingsAt(at));
    const situations = await loadSituations(this.readModel, at, repIds);
    const decisions = situations.flatMap((situation) => evaluateRules(situation, settings, at));
    const before = active ?? (await this.activeAlerts(repIds));
    const actions = reconcile(before, { repIds: situations.map((s) => s.repId), decisions }, at, settings, randomUUID);
    return { at, settings, reps: situations.length, active: before, decisions, actions };
  }

  /**
   * Appends the actions. Each goes through the alert decider, which refuses what no longer
   * applies (an alert already raised by another replica, acknowledged meanwhile, ...), and is
   * keyed by a command id, so running the same evaluation twice appends nothing more.
   */
  async apply(actions: readonly AlertAction[], now: Date): Promise<void> {
    for (const { streamId, command } of actions) {
      const commandId = commandIdOf(streamId, command);
      await handleCommand(this.store, streamId, alertDecider, command as AlertCommand & JsonObject, {
        commandId,
        correlationId: commandId,
        actor: { userId: 'alert-worker', role: 'system' },
        now,
      });
    }
  }

  /** The company's alert settings as they stood at `at` (changes are events, so that is exact). */
  async settingsAt(at: string): Promise<AlertSettings> {
    const history = await this.store.readStream(COMPANY_SETTINGS_STREAM);
    return history
      .filter((event) => event.metadata.recordedAt <= at)
      .reduce(
        (state, event) => companySettingsDecider.evolve(state, event as never),
        companySettingsDecider.initialState,
      ).alerts;
  }

  activeAlerts(repIds?: readonly string[]): Promise<ActiveAlert[]> {
    return loadActiveAlerts(this.readModel, repIds);
  }
}

/** The same action on the same alert is one command, however often an evaluation proposes it. */
function commandIdOf(streamId: string, command: AlertCommand): string {
  switch (command.kind) {
    case 'raise':
      return `raise/${streamId}/${command.decision.severity}/${command.alertId}`;
    case 'resolve':
    case 'escalate':
      return `${command.kind}/${command.alertId}`;
    default:
      return `${command.kind}/${command.alertId}/${command.now}`;
  }
}

/** The active alerts after the actions, as the decider would leave them: a back-test's memory between days. */
export function afterActions(active: readonly ActiveAlert[], actions: readonly AlertAction[]): ActiveAlert[] {
  const byId = new Map(active.map((alert) => [alert.alertId, alert]));
  for (const { command } of actions) {
    const known = byId.get(command.alertId);
    if (command.kind === 'raise') {
      const { rule, repId, period, severity } = command.decision;
      byId.set(command.alertId, {
        alertId: command.alertId,
        rule,
        repId,
        period,
        severity,
        status: known?.status ?? 'open',
        raisedAt: known?.raisedAt ?? command.now,
        escalated: known?.escalated ?? false,
      });
    } else if (command.kind === 'resolve') byId.delete(command.alertId);
    else if (command.kind === 'escalate' && known) byId.set(command.alertId, { ...known, escalated: true });
  }
  return [...byId.values()];
}
