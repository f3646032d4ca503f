import type { WebhookSubscription } from '@salesledger/alerts/delivery/webhook.channel';
import { alertAt, messageOf } from '@salesledger/alerts/outbox/alert-message';
import { deliveriesFor } from '@salesledger/alerts/outbox/dispatch.policy';
import type { RecordedEvent } from '@salesledger/domain/event';
import { anAlert } from '../delivery/alert-messages';
import { decision } from './outbox-fixture';

let position = 0;
const recorded = (type: string, data: object, eventId = `e-${++position}`): RecordedEvent =>
  ({
    eventId,
    type,
    data,
    streamId: 'alert-pace-below-expected-r1-2026-11',
    revision: position - 1,
    position,
  }) as never;

const subscription = (id: string, overrides: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  id,
  url: `https://hooks.example.com/${id}`,
  secret: 'whsec_x',
  severities: ['warning', 'critical'],
  enabled: true,
  ...overrides,
});

describe('which deliveries an alert event makes', () => {
  const raised = recorded('AlertRaised', { alertId: 'a-1' }, 'event-1');
  const audience = {
    emails: ['bea@example.com', 'BEA@example.com ', 'max@example.com'],
    subscriptions: [
      subscription('all'),
      subscription('critical-only', { severities: ['critical'] }),
      subscription('off', { enabled: false }),
    ],
  };

  it('makes one email per address and one webhook per subscription that wants the severity', () => {
    const deliveries = deliveriesFor(raised, anAlert({ alertId: 'a-1', severity: 'warning' }), audience);

    expect(deliveries.map((d) => [d.channel, d.recipient, d.kind])).toEqual([
      ['email', 'bea@example.com', 'alert'],
      ['email', 'max@example.com', 'alert'],
      ['webhook', 'all', 'alert'],
    ]);
    expect(deliveries[0]?.alert).toEqual({ alertId: 'a-1', streamId: raised.streamId });
  });

  it('derives the same delivery ids from the same event, different ones per recipient and event', () => {
    const ids = (event: RecordedEvent) => deliveriesFor(event, anAlert(), audience).map((d) => d.deliveryId);

    expect(ids(raised)).toEqual(ids(raised));
    expect(new Set(ids(raised)).size).toBe(4);
    expect(ids(recorded('AlertRaised', { alertId: 'a-1' }, 'event-2'))).not.toContain(ids(raised)[0]);
    expect(ids(raised)[0]).toMatch(/^dlv_[0-9a-f]{40}$/);
  });

  it('sends an escalation as such, and nothing for the other events of an alert', () => {
    const escalated = recorded('AlertEscalated', { alertId: 'a-1' });

    expect(deliveriesFor(escalated, anAlert(), audience).map((d) => d.kind)).toEqual(Array(4).fill('escalation'));
    for (const type of ['AlertDelivered', 'AlertAcknowledged', 'AlertResolved']) {
      expect(deliveriesFor(recorded(type, { alertId: 'a-1' }), anAlert(), audience)).toEqual([]);
    }
  });
});

describe('an alert as its stream tells it at an event', () => {
  const d = decision({ repId: 'r1', teamId: 't1', severity: 'warning' });
  const worse = { ...d.evidence, summary: 'Now far behind.' };
  const history = [
    recorded('AlertRaised', { ...d, alertId: 'a-1', raisedAt: '2026-11-09T08:00:00.000Z' }),
    recorded('AlertSeverityChanged', { alertId: 'a-1', from: 'warning', to: 'critical', evidence: worse }),
    recorded('AlertAcknowledged', { alertId: 'a-1', note: null }),
  ];

  it('takes the severity and evidence it turned to, up to that event only', () => {
    const at = (event: RecordedEvent) => alertAt(history, 'a-1', event.revision);

    expect(at(history[0]!)).toMatchObject({ severity: 'warning', status: 'open', teamId: 't1' });
    expect(at(history[1]!)).toMatchObject({ severity: 'critical', summary: 'Now far behind.', status: 'open' });
    expect(at(history[2]!)).toMatchObject({ severity: 'critical', status: 'acknowledged' });
    expect(alertAt(history, 'a-other', history[2]!.revision)).toBeUndefined();
  });

  it('names the rep in the message, and leaves the team out', () => {
    const message = messageOf(alertAt(history, 'a-1', history[0]!.revision)!, 'Ana Ruiz');

    expect(message).toMatchObject({ repId: 'r1', repName: 'Ana Ruiz', summary: d.evidence.summary });
    expect(message).not.toHaveProperty('teamId');
  });
});
