import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { SystemClock, type Clock } from '@salesledger/domain/clock.port';
import type { WebhookConfig } from './delivery.config';
import type { AlertMessage, Delivery, DeliveryChannel, DeliveryOutcome } from './delivery.port';
import { retryAfterMs, retryLater } from './retry.policy';
import {
  resolveDeliverableTarget,
  UndeliverableUrlError,
  type DeliverableTarget,
  type ResolveHost,
} from './webhook-url.guard';

export type Severity = AlertMessage['severity'];

export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  /** `whsec_` + base64 key, as Standard Webhooks defines it. */
  readonly secret: string;
  readonly severities: readonly Severity[];
  readonly enabled: boolean;
}

export abstract class WebhookSubscriptions {
  abstract find(id: string): Promise<WebhookSubscription | undefined>;
}

export interface WebhookPayload {
  readonly type: 'alert.raised' | 'alert.escalated';
  /** When this attempt was sent; the alert's own times are in `data`. */
  readonly timestamp: string;
  readonly data: AlertMessage;
}

/** For the fan-out: whether this subscription wants this alert at all. */
export function acceptsAlert(subscription: WebhookSubscription, message: AlertMessage): boolean {
  return subscription.enabled && subscription.severities.includes(message.severity);
}

export class WebhookChannel implements DeliveryChannel {
  readonly name = 'webhook';
  readonly maxAttempts: number;

  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly config: WebhookConfig,
    private readonly clock: Clock = new SystemClock(),
    private readonly resolve?: ResolveHost,
  ) {
    this.maxAttempts = config.maxAttempts;
  }

  async deliver(delivery: Delivery): Promise<DeliveryOutcome> {
    if (delivery.kind === 'digest') return { outcome: 'failed', reason: 'digests go by email, not by webhook' };
    const subscription = await this.subscriptions.find(delivery.to);
    if (!subscription || !acceptsAlert(subscription, delivery.message)) {
      return { outcome: 'failed', reason: `subscription ${delivery.to} is unknown, disabled or not for this severity` };
    }
    let target: DeliverableTarget;
    try {
      target = await resolveDeliverableTarget(subscription.url, this.config.urlGuard, this.resolve);
    } catch (error) {
      if (error instanceof UndeliverableUrlError) return { outcome: 'failed', reason: error.reason };
      return retryLater(delivery.attempt, `cannot resolve ${subscription.url}: ${(error as Error).message}`);
    }
    const now = this.clock.now();
    const type = delivery.kind === 'escalation' ? 'alert.escalated' : 'alert.raised';
    const payload: WebhookPayload = { type, timestamp: now.toISOString(), data: delivery.message };
    const body = JSON.stringify(payload);
    const headers = signedHeaders(subscription.secret, delivery.deliveryId, now, body);
    if (!headers) return { outcome: 'failed', reason: `subscription ${subscription.id} has an invalid secret` };
    return this.send(target, headers, body, delivery.attempt);
  }

  private async send(
    target: DeliverableTarget,
    headers: OutgoingHttpHeaders,
    body: string,
    attempt: number,
  ): Promise<DeliveryOutcome> {
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    try {
      const response = await post(target, headers, body, signal);
      return outcomeOf(response, attempt, this.clock.now());
    } catch (error) {
      const reason = signal.aborted ? `no answer within ${this.config.timeoutMs} ms` : (error as Error).message;
      return retryLater(attempt, reason);
    }
  }
}

function signedHeaders(secret: string, deliveryId: string, now: Date, body: string): OutgoingHttpHeaders | undefined {
  let signature: string;
  try {
    signature = new Webhook(secret).sign(deliveryId, now, body);
  } catch {
    return undefined;
  }
  return {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'user-agent': 'Salesledger-Webhooks/1',
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

interface WebhookResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
}

/**
 * One POST to the addresses the guard checked: the pinned lookup stops a second DNS answer
 * (rebinding) from sending us elsewhere, while TLS still verifies the URL's host name.
 * Redirects are not followed, since their target was never checked.
 */
function post(target: DeliverableTarget, headers: OutgoingHttpHeaders, body: string, signal: AbortSignal) {
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const [first] = target.addresses;
  const pinned: LookupFunction = (_host, options, callback) =>
    options.all ? callback(null, [...target.addresses]) : callback(null, first.address, first.family);
  return new Promise<WebhookResponse>((resolve, reject) => {
    const req = request(target.url, { method: 'POST', headers, lookup: pinned, agent: false, signal }, (res) => {
      // The status is all we need; not reading the body keeps a hostile receiver from streaming at us.
      res.on('error', () => undefined);
      res.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function outcomeOf({ status, headers }: WebhookResponse, attempt: number, now: Date): DeliveryOutcome {
  const reason = `receiver answered ${status}`;
  if (status >= 200 && status < 300) return { outcome: 'delivered' };
  if (status === 410) return { outcome: 'gone', reason };
  if (status === 429 || status === 503) return retryLater(attempt, reason, retryAfterMs(headers['retry-after'], now));
  if (status === 408 || status >= 500) return retryLater(attempt, reason);
  return { outcome: 'failed', reason };
}
