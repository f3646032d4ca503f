import type { RecordedEvent } from '@salesledger/domain/event';
import type { AlertMessage } from '../delivery/delivery.port';
import { acceptsAlert, type WebhookSubscription } from '../delivery/webhook.channel';
import { deliveryIdOf, type NewDelivery } from './outbox-delivery';

/**
 * Which alert events are worth a message, and of what kind. A severity change is always warning to
 * critical (easing records nothing), and is sent as the alert again: the people told about a warning
 * learn it turned critical, and a critical-only webhook subscription hears of it at all.
 */
export function deliveryKindOf(eventType: string): 'alert' | 'escalation' | undefined {
  if (eventType === 'AlertRaised' || eventType === 'AlertSeverityChanged') return 'alert';
  if (eventType === 'AlertEscalated') return 'escalation';
  return undefined;
}

export interface Audience {
  /** Email addresses: the rep's team managers for an alert, every director for an escalation. Empty without SMTP. */
  readonly emails: readonly string[];
  readonly subscriptions: readonly WebhookSubscription[];
}

/** One email per address (two users sharing a mailbox get one) and one webhook per subscription that wants it. */
export function deliveriesFor(event: RecordedEvent, message: AlertMessage, audience: Audience): NewDelivery[] {
  const kind = deliveryKindOf(event.type);
  if (!kind) return [];
  const alert = { alertId: message.alertId, streamId: event.streamId };
  const delivery = (channel: NewDelivery['channel'], recipient: string): NewDelivery => ({
    deliveryId: deliveryIdOf(event.eventId, channel, recipient),
    alert,
    channel,
    recipient,
    kind,
    message,
    sourcePosition: event.position,
  });
  const addresses = [...new Set(audience.emails.map((email) => email.trim().toLowerCase()))].sort();
  const subscriptions = audience.subscriptions.filter((subscription) => acceptsAlert(subscription, message));
  return [
    ...addresses.map((address) => delivery('email', address)),
    ...subscriptions.map((subscription) => delivery('webhook', subscription.id)),
  ];
}
