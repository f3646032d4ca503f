import { createHash } from 'node:crypto';
import type { AlertDigest, AlertMessage, Delivery, DeliveryChannel } from '../delivery/delivery.port';

export type ChannelName = DeliveryChannel['name'];
export type DeliveryKind = Delivery['kind'];
export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** A row the dispatcher or the digest puts in `outbound.alert_deliveries`. */
export interface NewDelivery {
  readonly deliveryId: string;
  /** The alert and the stream its AlertDelivered goes to; null for a digest, which has no stream. */
  readonly alert: { readonly alertId: string; readonly streamId: string } | null;
  readonly channel: ChannelName;
  /** An email address, or a webhook subscription id. */
  readonly recipient: string;
  readonly kind: DeliveryKind;
  readonly message: AlertMessage | AlertDigest;
  /** The log position of the event it was dispatched for. */
  readonly sourcePosition: number | null;
}

/**
 * The idempotency key of a delivery, derived from what it is for (an event id, or a manager and a
 * day), its channel and its recipient: dispatching the same thing twice yields the same id, which
 * the table's primary key turns into one row, and every attempt sends as `webhook-id` / Message-ID.
 */
export function deliveryIdOf(...parts: readonly string[]): string {
  return `dlv_${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 40)}`;
}

/** What a channel takes for one attempt of a stored delivery. */
export function attemptOf(row: {
  deliveryId: string;
  attempt: number;
  recipient: string;
  kind: DeliveryKind;
  message: unknown;
}): Delivery {
  const base = { deliveryId: row.deliveryId, attempt: row.attempt, to: row.recipient };
  return row.kind === 'digest'
    ? { ...base, kind: 'digest', digest: row.message as AlertDigest }
    : { ...base, kind: row.kind, message: row.message as AlertMessage };
}
