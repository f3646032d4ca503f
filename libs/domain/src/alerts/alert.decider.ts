import type { Decider, DomainEvent } from '../decider';
import { ConflictError, NotFoundError } from '../errors';
import type { AlertDecision, AlertEvidence, AlertSeverity } from './alert-rules.policy';

export type AlertChannel = 'in-app' | 'email' | 'webhook' | 'kafka';
/** `open` is raised (or escalated) and not acknowledged; both `open` and `acknowledged` are still active. */
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type ResolveReason = 'condition-cleared' | 'period-ended' | 'rule-disabled';

export type AlertCommand =
  | { kind: 'raise'; alertId: string; decision: AlertDecision; now: string }
  | { kind: 'record-delivery'; alertId: string; channel: AlertChannel; deliveryId: string; to: string; now: string }
  | { kind: 'acknowledge'; alertId: string; note?: string; now: string }
  /** `escalateAfterHours` from the company's alert settings at the time. */
  | { kind: 'escalate'; alertId: string; escalateAfterHours: number; now: string }
  | { kind: 'resolve'; alertId: string; reason: ResolveReason; now: string };

export type AlertRaised = DomainEvent<'AlertRaised', AlertDecision & { alertId: string; raisedAt: string }>;
export type AlertSeverityChanged = DomainEvent<
  'AlertSeverityChanged',
  { alertId: string; from: AlertSeverity; to: AlertSeverity; evidence: AlertEvidence; changedAt: string }
>;
export type AlertDelivered = DomainEvent<
  'AlertDelivered',
  { alertId: string; channel: AlertChannel; deliveryId: string; to: string; deliveredAt: string }
>;
export type AlertAcknowledged = DomainEvent<
  'AlertAcknowledged',
  { alertId: string; note: string | null; acknowledgedAt: string }
>;
export type AlertEscalated = DomainEvent<
  'AlertEscalated',
  { alertId: string; escalateAfterHours: number; escalatedAt: string }
>;
export type AlertResolved = DomainEvent<
  'AlertResolved',
  { alertId: string; reason: ResolveReason; resolvedAt: string }
>;

export type AlertEvent =
  AlertRaised | AlertSeverityChanged | AlertDelivered | AlertAcknowledged | AlertEscalated | AlertResolved;

export type CurrentAlert = {
  alertId: string;
  severity: AlertSeverity;
  status: AlertStatus;
  raisedAt: string;
  escalated: boolean;
};

export type AlertState = {
  /** The key's latest alert; every earlier one is resolved. */
  current: CurrentAlert | null;
  alertIds: string[];
  deliveryIds: string[];
};

export const SEVERITY_RANK: Record<AlertSeverity, number> = { warning: 1, critical: 2 };

type Command<Kind extends AlertCommand['kind']> = Extract<AlertCommand, { kind: Kind }>;

/** The current alert, if the command names it; an id the stream never had is a 404. */
function named(state: AlertState, alertId: string): CurrentAlert | undefined {
  if (!state.alertIds.includes(alertId)) throw new NotFoundError('no such alert');
  return state.current?.alertId === alertId ? state.current : undefined;
}

function raise({ alertId, decision, now }: Command<'raise'>, state: AlertState): AlertEvent[] {
  const active = state.current?.status === 'resolved' ? null : state.current;
  if (active) {
    // One alert per key while the condition lasts: raising again only records it getting worse.
    if (SEVERITY_RANK[decision.severity] <= SEVERITY_RANK[active.severity]) return [];
    const { severity: from } = active;
    const data = { alertId: active.alertId, from, to: decision.severity, evidence: decision.evidence, changedAt: now };
    return [{ type: 'AlertSeverityChanged', data }];
  }
  if (state.alertIds.includes(alertId)) throw new ConflictError(`alert id ${alertId} is already used`);
  return [{ type: 'AlertRaised', data: { alertId, ...decision, raisedAt: now } }];
}

function recordDelivery(command: Command<'record-delivery'>, state: AlertState): AlertEvent[] {
  named(state, command.alertId);
  // Deliveries of an alert resolved since are still facts worth keeping.
  if (state.deliveryIds.includes(command.deliveryId)) return [];
  const { alertId, channel, deliveryId, to, now } = command;
  return [{ type: 'AlertDelivered', data: { alertId, channel, deliveryId, to, deliveredAt: now } }];
}

function acknowledge({ alertId, note, now }: Command<'acknowledge'>, state: AlertState): AlertEvent[] {
  const alert = named(state, alertId);
  if (!alert || alert.status === 'resolved') throw new ConflictError('the alert is resolved');
  // A second acknowledgement (another manager, a retried click) changes nothing: the first one stands.
  if (alert.status === 'acknowledged') return [];
  return [{ type: 'AlertAcknowledged', data: { alertId, note: note ?? null, acknowledgedAt: now } }];
}

function escalate({ alertId, escalateAfterHours, now }: Command<'escalate'>, state: AlertState): AlertEvent[] {
  const alert = named(state, alertId);
  const due = alert && Date.parse(now) - Date.parse(alert.raisedAt) >= escalateAfterHours * 3_600_000;
  // The worker's command: refusing quietly what is no longer true lets it race an acknowledgement.
  if (!alert || !due || alert.status !== 'open' || alert.escalated) return [];
  return [{ type: 'AlertEscalated', data: { alertId, escalateAfterHours, escalatedAt: now } }];
}

function resolve({ alertId, reason, now }: Command<'resolve'>, state: AlertState): AlertEvent[] {
  const alert = named(state, alertId);
  if (!alert || alert.status === 'resolved') return [];
  return [{ type: 'AlertResolved', data: { alertId, reason, resolvedAt: now } }];
}

const changeCurrent = (state: AlertState, change: Partial<CurrentAlert>): AlertState =>
  state.current ? { ...state, current: { ...state.current, ...change } } : state;

/** The alerts of one (rule, rep, period), one after another: raised, delivered, acknowledged, escalated, resolved. */
export const alertDecider: Decider<AlertCommand, AlertEvent, AlertState> = {
  initialState: { current: null, alertIds: [], deliveryIds: [] },
  decide: (command, state) => {
    switch (command.kind) {
      case 'raise':
        return raise(command, state);
      case 'record-delivery':
        return recordDelivery(command, state);
      case 'acknowledge':
        return acknowledge(command, state);
      case 'escalate':
        return escalate(command, state);
      case 'resolve':
        return resolve(command, state);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'AlertRaised': {
        const { alertId, severity, raisedAt } = event.data;
        const current: CurrentAlert = { alertId, severity, status: 'open', raisedAt, escalated: false };
        return { ...state, current, alertIds: [...state.alertIds, alertId] };
      }
      case 'AlertSeverityChanged':
        return changeCurrent(state, { severity: event.data.to });
      case 'AlertDelivered':
        return { ...state, deliveryIds: [...state.deliveryIds, event.data.deliveryId] };
      case 'AlertAcknowledged':
        return changeCurrent(state, { status: 'acknowledged' });
      case 'AlertEscalated':
        return changeCurrent(state, { escalated: true });
      case 'AlertResolved':
        return changeCurrent(state, { status: 'resolved' });
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
