/** What a manager or a subscriber is told about one alert. */
export interface AlertMessage {
  readonly alertId: string;
  readonly rule: string;
  readonly repId: string;
  readonly repName?: string;
  readonly period: string;
  readonly severity: 'warning' | 'critical';
  readonly status: string;
  readonly raisedAt: string;
  /** A sentence for a person, such as the evidence's summary. */
  readonly summary: string;
  /** As the rules write it (docs/alerts.md): its `figures` are shown in emails, all of it goes to webhooks. */
  readonly evidence: unknown;
}

/** The open alerts one manager gets in a single email; `day` is the day summarised (YYYY-MM-DD). */
export interface AlertDigest {
  readonly day: string;
  readonly alerts: readonly AlertMessage[];
}

interface DeliveryAttempt {
  /** Idempotency key, stable across retries: the receiver dedupes on it. */
  readonly deliveryId: string;
  /** 1-based. */
  readonly attempt: number;
  /** An email address, or a webhook subscription id. */
  readonly to: string;
}

export type Delivery = DeliveryAttempt &
  (
    | { readonly kind: 'alert' | 'escalation'; readonly message: AlertMessage }
    | { readonly kind: 'digest'; readonly digest: AlertDigest }
  );

export type DeliveryOutcome =
  | { readonly outcome: 'delivered' }
  /** Transient: 5xx, timeout, 429, connection refused. */
  | { readonly outcome: 'retry'; readonly afterMs: number; readonly reason: string }
  /** The webhook receiver answered 410: disable the subscription. */
  | { readonly outcome: 'gone'; readonly reason: string }
  /** Permanent: retrying the same delivery would get the same answer. */
  | { readonly outcome: 'failed'; readonly reason: string };

export interface DeliveryChannel {
  readonly name: 'email' | 'webhook';
  /** A `retry` outcome on this attempt number means the caller dead-letters the delivery. */
  readonly maxAttempts: number;
  deliver(delivery: Delivery): Promise<DeliveryOutcome>;
}
