import type { ClientBase, Pool } from 'pg';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import { WebhookSubscriptions, type Severity, type WebhookSubscription } from '../delivery/webhook.channel';

/** A row of `outbound.webhook_subscriptions` as the channel and the fan-out see it. */
export interface StoredSubscription extends WebhookSubscription {
  readonly disabledReason: string | null;
  readonly createdAt: string;
}

const COLUMNS = 'id, url, secret, severities, enabled, disabled_reason, created_at';

export function subscriptionOf(row: Record<string, unknown>): StoredSubscription {
  return {
    id: row.id as string,
    url: row.url as string,
    secret: row.secret as string,
    severities: row.severities as Severity[],
    enabled: row.enabled as boolean,
    disabledReason: (row.disabled_reason as string | null) ?? null,
    createdAt: (row.created_at as Date).toISOString(),
  };
}

/** The webhook channel's subscriptions, from `outbound.webhook_subscriptions`. */
export class PostgresWebhookSubscriptions extends WebhookSubscriptions {
  constructor(private readonly pool: Pool) {
    super();
  }

  async find(id: string): Promise<WebhookSubscription | undefined> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM ${OUTBOUND}.webhook_subscriptions WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? subscriptionOf(rows[0]) : undefined;
  }
}

export async function enabledSubscriptions(client: ClientBase): Promise<StoredSubscription[]> {
  const { rows } = await client.query(
    `SELECT ${COLUMNS} FROM ${OUTBOUND}.webhook_subscriptions WHERE enabled ORDER BY id`,
  );
  return rows.map(subscriptionOf);
}

export async function allSubscriptions(client: ClientBase | Pool): Promise<StoredSubscription[]> {
  const { rows } = await client.query(
    `SELECT ${COLUMNS} FROM ${OUTBOUND}.webhook_subscriptions ORDER BY created_at, id`,
  );
  return rows.map(subscriptionOf);
}
