import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { SystemClock, type Clock } from '@salesledger/domain/clock.port';
import { ConflictError, InvalidInputError, NotFoundError, type FieldProblem } from '@salesledger/domain/errors';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import { inTransaction } from '@salesledger/postgres/pool';
import type { UrlGuardConfig } from '../delivery/delivery.config';
import type { Severity } from '../delivery/webhook.channel';
import { assertDeliverableUrl, UndeliverableUrlError, type ResolveHost } from '../delivery/webhook-url.guard';
import { allSubscriptions, subscriptionOf, type StoredSubscription } from './webhook-subscriptions.adapter';

export interface NewWebhookSubscription {
  /** Chosen by the client so a retry is recognised (409 when taken); generated when absent. */
  readonly id?: string;
  readonly url: string;
  /** The severities it wants; both by default. */
  readonly severities?: readonly Severity[];
}

/** A subscription as listed: never with its secret, which is only shown at creation. */
export type WebhookSubscriptionView = Omit<StoredSubscription, 'secret'>;

export type CreatedWebhookSubscription = WebhookSubscriptionView & { readonly secret: string };

const SEVERITIES: readonly Severity[] = ['warning', 'critical'];
const ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Creates, lists and deletes webhook subscriptions (the HTTP routes delegate here). */
export class WebhookSubscriptionService {
  constructor(
    private readonly pool: Pool,
    private readonly urlGuard: UrlGuardConfig,
    private readonly clock: Clock = new SystemClock(),
    private readonly resolve?: ResolveHost,
  ) {}

  /** The URL must be deliverable now (assertDeliverableUrl); the secret is a fresh Standard Webhooks key. */
  async create(input: NewWebhookSubscription): Promise<CreatedWebhookSubscription> {
    const severities = [...new Set(input.severities ?? SEVERITIES)];
    await this.validate(input, severities);
    const id = input.id ?? `whs_${randomUUID()}`;
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const { rows } = await this.pool.query(
      `INSERT INTO ${OUTBOUND}.webhook_subscriptions (id, url, secret, severities, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [id, input.url, secret, severities, this.clock.now()],
    );
    if (!rows[0]) throw new ConflictError(`webhook subscription ${id} already exists`);
    return subscriptionOf(rows[0]);
  }

  async list(): Promise<WebhookSubscriptionView[]> {
    return (await allSubscriptions(this.pool)).map(({ secret: _secret, ...view }) => view);
  }

  /** Its deliveries not yet made are cancelled with it. */
  async delete(id: string): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(`DELETE FROM ${OUTBOUND}.webhook_subscriptions WHERE id = $1`, [id]);
      if (!rowCount) throw new NotFoundError(`webhook subscription ${id} does not exist`);
      await client.query(
        `UPDATE ${OUTBOUND}.alert_deliveries SET status = 'cancelled', lease_until = NULL,
           last_error = 'the subscription was deleted'
         WHERE channel = 'webhook' AND recipient = $1 AND status = 'pending'`,
        [id],
      );
    });
  }

  /** Every problem at once, by field, as a 400. */
  private async validate(input: NewWebhookSubscription, severities: readonly Severity[]): Promise<void> {
    const problems: FieldProblem[] = [];
    if (input.id !== undefined && !ID.test(input.id)) {
      problems.push({ field: 'id', message: 'must be 1 to 100 letters, digits, ".", "_", ":" or "-"' });
    }
    if (severities.length === 0 || severities.some((severity) => !SEVERITIES.includes(severity))) {
      problems.push({ field: 'severities', message: 'must be a non-empty list of warning and critical' });
    }
    try {
      await assertDeliverableUrl(String(input.url), this.urlGuard, this.resolve);
    } catch (error) {
      if (!(error instanceof UndeliverableUrlError)) throw error;
      problems.push(...error.problems);
    }
    if (problems.length > 0) throw new InvalidInputError(problems);
  }
}
