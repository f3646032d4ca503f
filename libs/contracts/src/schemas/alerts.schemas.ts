import type { AlertEvidence, AlertSeverity } from '@salesledger/domain/alerts/alert-rules.policy';
import { ALERT_RULE_IDS, type AlertRuleId, type AlertSettings } from '@salesledger/domain/alerts/alert-settings';
import type { AlertChannel, ResolveReason } from '@salesledger/domain/alerts/alert.decider';
import {
  closed,
  count,
  day,
  enumOf,
  eventSchema,
  flag,
  id,
  instant,
  mapOf,
  money,
  nullable,
  streamOf,
  text,
  type JsonSchema,
} from './schema-parts';

const SEVERITY = enumOf<AlertSeverity>({ warning: true, critical: true });
const alertStream = streamOf('alert');
const positive: JsonSchema = { type: 'integer', minimum: 1 };
const ratio: JsonSchema = { type: 'number', exclusiveMinimum: 0, maximum: 1 };

/** The figures compared and the log positions of the events behind them, so an alert explains itself. */
const evidence: JsonSchema = closed(
  {
    summary: text,
    figures: mapOf({ type: ['string', 'number', 'null'] }),
    positions: { type: 'array', items: count },
  } satisfies Record<Exclude<keyof AlertEvidence, 'paceCurve'>, JsonSchema>,
  { paceCurve: { type: 'array', items: closed({ day, actual: money, expected: money }) } },
);

const rules: Record<AlertRuleId, JsonSchema> = {
  'pace-below-expected': closed({
    enabled: flag,
    warningBelow: ratio,
    criticalBelow: ratio,
    afterWorkingDays: positive,
  }),
  'no-recent-visit': closed({ enabled: flag, workingDaysWithoutVisit: positive }),
  'plan-overdue': closed({ enabled: flag, overdueHours: positive }),
  'report-overdue': closed({ enabled: flag, overdueHours: positive }),
  'lost-customers': closed({ enabled: flag, atLeast: positive }),
  'request-past-sla': closed({ enabled: flag }),
};
const settings: Record<keyof AlertSettings, JsonSchema> = {
  rules: closed(rules),
  escalateAfterHours: positive,
  churnAfterDays: positive,
};

export const ALERT_SCHEMAS = {
  AlertSettingsSet: eventSchema('AlertSettingsSet', {
    stream: '^company-settings$',
    description: "The lag alert rules' switches and thresholds, escalation delay and churn days changed.",
    data: closed(settings),
  }),
  AlertRaised: eventSchema('AlertRaised', {
    stream: alertStream,
    description: 'A lag alert rule holds for a rep and period: the alert is open, with its evidence.',
    data: closed({
      alertId: id,
      rule: { type: 'string', enum: [...ALERT_RULE_IDS] },
      repId: id,
      teamId: id,
      period: text,
      severity: SEVERITY,
      evidence,
      raisedAt: instant,
    }),
  }),
  AlertSeverityChanged: eventSchema('AlertSeverityChanged', {
    stream: alertStream,
    description: 'An open alert got worse (warning to critical), with the new evidence.',
    data: closed({ alertId: id, from: SEVERITY, to: SEVERITY, evidence, changedAt: instant }),
  }),
  AlertDelivered: eventSchema('AlertDelivered', {
    stream: alertStream,
    description: 'An alert reached a recipient: an email address, or a webhook subscription id.',
    data: closed({
      alertId: id,
      channel: enumOf<AlertChannel>({ 'in-app': true, email: true, webhook: true, kafka: true }),
      deliveryId: id,
      to: text,
      deliveredAt: instant,
    }),
  }),
  AlertAcknowledged: eventSchema('AlertAcknowledged', {
    stream: alertStream,
    description: 'Someone acknowledged an alert (the actor), with an optional note.',
    data: closed({ alertId: id, note: nullable(text), acknowledgedAt: instant }),
  }),
  AlertEscalated: eventSchema('AlertEscalated', {
    stream: alertStream,
    description: 'An alert nobody acknowledged for `escalateAfterHours` went to the director.',
    data: closed({ alertId: id, escalateAfterHours: positive, escalatedAt: instant }),
  }),
  AlertResolved: eventSchema('AlertResolved', {
    stream: alertStream,
    description: 'An alert closed: its condition cleared, its period ended or its rule was switched off.',
    data: closed({
      alertId: id,
      reason: enumOf<ResolveReason>({ 'condition-cleared': true, 'period-ended': true, 'rule-disabled': true }),
      resolvedAt: instant,
    }),
  }),
};
