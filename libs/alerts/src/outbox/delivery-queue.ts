import type { ClientBase, Pool } from 'pg';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import { inTransaction } from '@salesledger/postgres/pool';
import type { ChannelName, DeliveryKind, NewDelivery } from './outbox-delivery';

const T = `${OUTBOUND}.alert_deliveries`;

/** A delivery a sender has claimed: `attempt` is the attempt it is about to make (1-based). */
export interface ClaimedDelivery {
  readonly deliveryId: string;
  readonly alertId: string | null;
  readonly alertStreamId: string | null;
  readonly channel: ChannelName;
  readonly recipient: string;
  readonly kind: DeliveryKind;
  readonly message: unknown;
  readonly attempt: number;
}

/** Inserts what is not there yet (by delivery id); returns how many were new. */
export async function insertDeliveries(
  client: ClientBase,
  deliveries: readonly NewDelivery[],
  now: Date,
): Promise<number> {
  let inserted = 0;
  for (const d of deliveries) {
    const { rowCount } = await client.query(
      `INSERT INTO ${T} (delivery_id, alert_id, alert_stream_id, channel, recipient, kind, message,
         next_attempt_at, source_position, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $9, $8, $9) ON CONFLICT (delivery_id) DO NOTHING`,
      [
        d.deliveryId,
        d.alert?.alertId ?? null,
        d.alert?.streamId ?? null,
        d.channel,
        d.recipient,
        d.kind,
        JSON.stringify(d.message),
        d.sourcePosition,
        now,
      ],
    );
    inserted += rowCount ?? 0;
  }
  return inserted;
}

/**
 * Leases up to `limit` due deliveries until `leaseUntil` and counts the attempt. Rows another
 * sender is claiming are skipped, not waited for, and the statement commits at once: no
 * transaction stays open while the channel sends. A sender that dies mid-send leaves the lease to
 * expire, after which the delivery is due again, with the same delivery id.
 */
export async function claimDue(
  pool: Pool,
  now: Date,
  leaseUntil: Date,
  channels: readonly ChannelName[],
  limit: number,
): Promise<ClaimedDelivery[]> {
  const { rows } = await pool.query(
    `UPDATE ${T} SET attempt = attempt + 1, lease_until = $2
     WHERE delivery_id IN (
       SELECT delivery_id FROM ${T}
       WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         AND channel = ANY($3)
       ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)
     RETURNING delivery_id, alert_id, alert_stream_id, channel, recipient, kind, message, attempt`,
    [now, leaseUntil, channels, limit],
  );
  return rows.map((row) => ({
    deliveryId: row.delivery_id,
    alertId: row.alert_id,
    alertStreamId: row.alert_stream_id,
    channel: row.channel,
    recipient: row.recipient,
    kind: row.kind,
    message: row.message,
    attempt: row.attempt,
  }));
}

/**
 * The outcome of one attempt. Each update names the attempt it settles: a sender whose lease ran
 * out while another took the delivery over cannot overwrite the newer attempt's outcome. A success
 * also settles a delivery cancelled while it was in flight (its subscription went): it happened.
 * Returns whether it settled anything.
 */
export async function settle(pool: Pool | ClientBase, claimed: ClaimedDelivery, change: Settlement): Promise<boolean> {
  const [assignments, values] = assignmentsOf(change);
  const settleable = change.status === 'delivered' ? `('pending', 'cancelled')` : `('pending')`;
  const { rowCount } = await pool.query(
    `UPDATE ${T} SET ${assignments}, lease_until = NULL
     WHERE delivery_id = $1 AND attempt = $2 AND status IN ${settleable}`,
    [claimed.deliveryId, claimed.attempt, ...values],
  );
  return (rowCount ?? 0) > 0;
}

export type Settlement =
  | { readonly status: 'delivered'; readonly at: Date; readonly nothingToRecord: boolean }
  | { readonly status: 'pending'; readonly nextAttemptAt: Date; readonly error: string }
  | { readonly status: 'dead'; readonly error: string };

function assignmentsOf(change: Settlement): [string, unknown[]] {
  switch (change.status) {
    case 'delivered': {
      const recorded = `recorded_at = CASE WHEN $4 THEN $3::timestamptz END`;
      return [
        `status = 'delivered', delivered_at = $3, last_error = NULL, ${recorded}`,
        [change.at, change.nothingToRecord],
      ];
    }
    case 'pending':
      return [`next_attempt_at = $3, last_error = $4`, [change.nextAttemptAt, change.error]];
    case 'dead':
      return [`status = 'dead', last_error = $3`, [change.error]];
  }
}

/** A 410: the subscription is disabled and none of its deliveries is attempted again. */
export async function disableSubscription(pool: Pool, subscriptionId: string, reason: string, now: Date) {
  await inTransaction(pool, async (client) => {
    await client.query(
      `UPDATE ${OUTBOUND}.webhook_subscriptions SET enabled = false, disabled_reason = $2, disabled_at = $3
       WHERE id = $1`,
      [subscriptionId, reason, now],
    );
    await client.query(
      `UPDATE ${T} SET status = 'cancelled', lease_until = NULL, last_error = $2
       WHERE channel = 'webhook' AND recipient = $1 AND status = 'pending'`,
      [subscriptionId, `subscription disabled: ${reason}`],
    );
  });
}

/** Delivered, with an AlertDelivered still to record (the sender stopped, or the store was unavailable). */
export async function unrecorded(pool: Pool, limit: number) {
  const { rows } = await pool.query(
    `SELECT delivery_id, alert_id, alert_stream_id, channel, recipient, delivered_at FROM ${T}
     WHERE status = 'delivered' AND recorded_at IS NULL ORDER BY delivered_at LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    deliveryId: row.delivery_id as string,
    alertId: row.alert_id as string,
    streamId: row.alert_stream_id as string,
    channel: row.channel as ChannelName,
    to: row.recipient as string,
    deliveredAt: row.delivered_at as Date,
  }));
}

export async function markRecorded(pool: Pool, deliveryId: string, now: Date, note?: string): Promise<void> {
  await pool.query(`UPDATE ${T} SET recorded_at = $2, last_error = coalesce($3, last_error) WHERE delivery_id = $1`, [
    deliveryId,
    now,
    note ?? null,
  ]);
}
