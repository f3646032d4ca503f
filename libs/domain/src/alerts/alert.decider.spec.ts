import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, NotFoundError } from '../errors';
import type { AlertDecision } from './alert-rules.policy';
import { alertDecider, type AlertEvent } from './alert.decider';

const spec = specFor(alertDecider);

const RAISED_AT = '2026-03-09T10:00:00.000Z';
const warning: AlertDecision = {
  rule: 'pace-below-expected',
  repId: 'rep-1',
  teamId: 'team-1',
  period: '2026-03',
  severity: 'warning',
  evidence: { summary: 'behind', figures: { actual: '4000.00', expected: '5000.00', threshold: 0.85 }, positions: [1] },
};
const critical: AlertDecision = {
  ...warning,
  severity: 'critical',
  evidence: { ...warning.evidence, summary: 'far behind' },
};

const raised = (alertId = 'a1', decision = warning): AlertEvent => ({
  type: 'AlertRaised',
  data: { alertId, ...decision, raisedAt: RAISED_AT },
});
const acknowledged = (alertId = 'a1'): AlertEvent => ({
  type: 'AlertAcknowledged',
  data: { alertId, note: null, acknowledgedAt: '2026-03-09T11:00:00.000Z' },
});
const escalated: AlertEvent = {
  type: 'AlertEscalated',
  data: { alertId: 'a1', escalateAfterHours: 24, escalatedAt: '2026-03-10T10:00:00.000Z' },
};
const resolved = (alertId = 'a1'): AlertEvent => ({
  type: 'AlertResolved',
  data: { alertId, reason: 'condition-cleared', resolvedAt: '2026-03-11T10:00:00.000Z' },
});

const now = '2026-03-12T10:00:00.000Z';
const escalate = (at: string) => ({ kind: 'escalate' as const, alertId: 'a1', escalateAfterHours: 24, now: at });

describe('an alert, when raised', () => {
  it('given no alert for its key, then it is raised with its decision', () =>
    spec.given([]).when({ kind: 'raise', alertId: 'a1', decision: warning, now: RAISED_AT }).then([raised()]));

  it('given an open or acknowledged alert for the key, then nothing is raised: one active alert per key', () => {
    spec.given([raised()]).when({ kind: 'raise', alertId: 'a2', decision: warning, now }).then([]);
    spec.given([raised(), acknowledged()]).when({ kind: 'raise', alertId: 'a2', decision: warning, now }).then([]);
  });

  it('given an open warning, when the condition turns critical, then the alert records its new severity', () =>
    spec
      .given([raised(), acknowledged()])
      .when({ kind: 'raise', alertId: 'a2', decision: critical, now })
      .then([
        {
          type: 'AlertSeverityChanged',
          data: { alertId: 'a1', from: 'warning', to: 'critical', evidence: critical.evidence, changedAt: now },
        },
      ]));

  it('given an open critical alert, when the condition eases to a warning, then nothing changes', () =>
    spec
      .given([raised('a1', critical)])
      .when({ kind: 'raise', alertId: 'a2', decision: warning, now })
      .then([]));

  it('given a resolved alert, when the condition returns, then a new alert is raised with a new id', () =>
    spec
      .given([raised(), resolved()])
      .when({ kind: 'raise', alertId: 'a2', decision: warning, now: RAISED_AT })
      .then([raised('a2')]));

  it('given a resolved alert, when raised again under its old id, then the id is refused', () =>
    spec
      .given([raised(), resolved()])
      .when({ kind: 'raise', alertId: 'a1', decision: warning, now })
      .thenThrows(ConflictError, 'alert id a1 is already used'));
});

describe('an alert, when a delivery is recorded', () => {
  const delivery = {
    kind: 'record-delivery' as const,
    alertId: 'a1',
    channel: 'email' as const,
    deliveryId: 'd1',
    to: 'manager@example.com',
    now,
  };
  const delivered: AlertEvent = {
    type: 'AlertDelivered',
    data: { alertId: 'a1', channel: 'email', deliveryId: 'd1', to: 'manager@example.com', deliveredAt: now },
  };

  it('given an open alert, then the delivery is recorded', () =>
    spec.given([raised()]).when(delivery).then([delivered]));

  it('given the same delivery id already recorded, then nothing is recorded twice', () =>
    spec.given([raised(), delivered]).when(delivery).then([]));

  it('given the alert was resolved since, then the delivery is still recorded', () =>
    spec.given([raised(), resolved()]).when(delivery).then([delivered]));

  it('given no such alert, then it is not found', () =>
    spec.given([]).when(delivery).thenThrows(NotFoundError, 'no such alert'));
});

describe('an alert, when acknowledged', () => {
  const acknowledge = { kind: 'acknowledge' as const, alertId: 'a1', note: 'calling them today', now };

  it('given an open alert, then the acknowledgement is recorded with its note', () =>
    spec
      .given([raised()])
      .when(acknowledge)
      .then([{ type: 'AlertAcknowledged', data: { alertId: 'a1', note: 'calling them today', acknowledgedAt: now } }]));

  it('given an escalated alert, then it can still be acknowledged, without a note', () =>
    spec
      .given([raised(), escalated])
      .when({ kind: 'acknowledge', alertId: 'a1', now })
      .then([{ type: 'AlertAcknowledged', data: { alertId: 'a1', note: null, acknowledgedAt: now } }]));

  it('given an acknowledged alert, then acknowledging again changes nothing', () =>
    spec.given([raised(), acknowledged()]).when(acknowledge).then([]));

  it('given a resolved alert, then it is a conflict', () =>
    spec.given([raised(), resolved()]).when(acknowledge).thenThrows(ConflictError, 'the alert is resolved'));

  it('given an earlier alert of the key, resolved before a new one was raised, then it is a conflict', () =>
    spec
      .given([raised(), resolved(), raised('a2')])
      .when(acknowledge)
      .thenThrows(ConflictError, 'the alert is resolved'));

  it('given no such alert, then it is not found', () =>
    spec
      .given([raised()])
      .when({ ...acknowledge, alertId: 'zz' })
      .thenThrows(NotFoundError));
});

describe('an alert, when escalated', () => {
  const escalatedNow = (at: string): AlertEvent => ({
    type: 'AlertEscalated',
    data: { alertId: 'a1', escalateAfterHours: 24, escalatedAt: at },
  });

  it('given an open alert raised a second short of 24 h ago, then it is too early', () =>
    spec.given([raised()]).when(escalate('2026-03-10T09:59:59.000Z')).then([]));

  it('given an open alert raised exactly 24 h ago, then it goes to the director', () =>
    spec
      .given([raised()])
      .when(escalate('2026-03-10T10:00:00.000Z'))
      .then([escalatedNow('2026-03-10T10:00:00.000Z')]));

  it('given an acknowledged, already escalated or resolved alert, then nothing happens', () => {
    spec.given([raised(), acknowledged()]).when(escalate(now)).then([]);
    spec.given([raised(), escalated]).when(escalate(now)).then([]);
    spec.given([raised(), resolved()]).when(escalate(now)).then([]);
  });
});

describe('an alert, when resolved', () => {
  const resolve = { kind: 'resolve' as const, alertId: 'a1', reason: 'condition-cleared' as const, now };
  const resolvedNow: AlertEvent = {
    type: 'AlertResolved',
    data: { alertId: 'a1', reason: 'condition-cleared', resolvedAt: now },
  };

  it('given an open, acknowledged or escalated alert, then it is resolved', () => {
    spec.given([raised()]).when(resolve).then([resolvedNow]);
    spec.given([raised(), acknowledged()]).when(resolve).then([resolvedNow]);
    spec.given([raised(), escalated]).when(resolve).then([resolvedNow]);
  });

  it('given a resolved alert, then nothing happens', () => spec.given([raised(), resolved()]).when(resolve).then([]));
});
