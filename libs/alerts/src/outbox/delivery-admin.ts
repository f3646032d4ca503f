import type { Pool } from 'pg';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import type { ChannelName, DeliveryKind, DeliveryStatus } from './outbox-delivery';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead', 'cancelled'];

/** A delivery as an operator lists it. */
export interface DeliverySummary {
  readonly deliveryId: string;
  readonly alertId: string | null;
  readonly channel: ChannelName;
  readonly recipient: string;
  readonly kind: DeliveryKind;
  readonly status: DeliveryStatus;
  readonly attempt: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The deliveries of one status, oldest first. */
export async function listDeliveries(
  pool: Pool,
  { status, limit = 100 }: { status: DeliveryStatus; limit?: number },
): Promise<DeliverySummary[]> {
  const { rows } = await pool.query(
    `SELECT * FROM ${OUTBOUND}.alert_deliveries WHERE status = $1 ORDER BY created_at, delivery_id LIMIT $2`,
    [status, limit],
  );
  return rows.map((row) => ({
    deliveryId: row.delivery_id,
    alertId: row.alert_id,
    channel: row.channel,
    recipient: row.recipient,
    kind: row.kind,
    status: row.status,
    attempt: row.attempt,
    nextAttemptAt: row.next_attempt_at.toISOString(),
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: iso(row.delivered_at),
  }));
}

/**
 * Puts dead deliveries back in the queue, due at `now` with a fresh count of attempts and the same
 * delivery id (so a receiver still recognises one it had after all). Without ids: every dead one.
 * Returns the ids replayed; an id that is not dead is left as it is.
 */
export async function replayDeadDeliveries(pool: Pool, deliveryIds: readonly string[] | 'all', now: Date) {
  const { rows } = await pool.query(
    `UPDATE ${OUTBOUND}.alert_deliveries SET status = 'pending', attempt = 0, next_attempt_at = $1, lease_until = NULL
     WHERE status = 'dead' AND ($2::text[] IS NULL OR delivery_id = ANY($2)) RETURNING delivery_id`,
    [now, deliveryIds === 'all' ? null : deliveryIds],
  );
  return rows.map((row) => row.delivery_id as string).sort();
}
