import type { Logger } from 'pino';
import { SystemClock, type Clock } from '@salesledger/domain/clock.port';
import { ConfigError } from '@salesledger/domain/errors';
import type { Runtime } from '@salesledger/platform/runtime';
import { schedule } from '@salesledger/platform/schedule';
import type { Stop } from '@salesledger/platform/service';
import { loadDeliveryConfig, type DeliveryConfig } from '@salesledger/alerts/delivery/delivery.config';
import type { DeliveryChannel } from '@salesledger/alerts/delivery/delivery.port';
import { EmailChannel } from '@salesledger/alerts/delivery/email.channel';
import { WebhookChannel } from '@salesledger/alerts/delivery/webhook.channel';
import { DailyDigest, DEFAULT_DIGEST_HOUR } from '@salesledger/alerts/outbox/daily-digest';
import { DeliverySender } from '@salesledger/alerts/outbox/delivery-sender';
import { AlertOutboxDispatcher } from '@salesledger/alerts/outbox/outbox-dispatcher';
import { PostgresWebhookSubscriptions } from '@salesledger/alerts/outbox/webhook-subscriptions.adapter';

export interface AlertDeliveryOptions {
  /** Read for the channels (loadDeliveryConfig) and ALERT_DIGEST_HOUR; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  readonly dispatchIntervalMs?: number;
  readonly sendIntervalMs?: number;
  readonly digestIntervalMs?: number;
  /** How long one sender keeps a claimed delivery; by default 3x the slowest channel timeout, at least 1 min. */
  readonly leaseMs?: number;
}

/**
 * Runs the outbox in this process: the dispatcher (alert events to deliveries), the sender (due
 * deliveries to their channels, AlertDelivered back to the log) and, with SMTP configured, the daily
 * digest. Any number of processes may run it. Throws a ConfigError for bad delivery settings.
 */
export function startAlertDelivery(
  runtime: Pick<Runtime, 'eventStore' | 'readModel'> & Partial<Pick<Runtime, 'appendWakeup'>>,
  log: Logger,
  options: AlertDeliveryOptions = {},
): Stop {
  const env = options.env ?? process.env;
  const config = loadDeliveryConfig(env);
  const digestHour = digestHourOf(env);
  const clock = options.clock ?? new SystemClock();
  const pool = runtime.readModel;
  const email = config.email ? new EmailChannel(config.email) : undefined;
  const channels: DeliveryChannel[] = [new WebhookChannel(new PostgresWebhookSubscriptions(pool), config.webhook)];
  if (email) channels.push(email);
  const leaseMs = options.leaseMs ?? defaultLeaseMs(config);
  const component = log.child({ component: 'alert-delivery' });
  const dispatcher = new AlertOutboxDispatcher(runtime.eventStore, pool, { email: !!email, clock, log: component });
  const sender = new DeliverySender(pool, runtime.eventStore, channels, { leaseMs, clock, log: component });
  const digest = new DailyDigest(pool, { hourUtc: digestHour, clock, log: component });
  const dispatching = new AbortController();
  const dispatch = dispatcher.follow(dispatching.signal, {
    pollIntervalMs: options.dispatchIntervalMs ?? 200,
    wakeup: runtime.appendWakeup,
  });
  const loops = [
    schedule(
      'alert send',
      async () => (await sender.sendDue()) + (await sender.recordDelivered()),
      options.sendIntervalMs ?? 200,
      component,
    ),
    ...(email
      ? [schedule('alert digest', () => digest.createDue(), options.digestIntervalMs ?? 60_000, component)]
      : []),
  ];
  component.info(
    { channels: channels.map((c) => c.name), digestHourUtc: email ? digestHour : null },
    'alert delivery started',
  );
  return async () => {
    dispatching.abort();
    await Promise.all([dispatch, ...loops.map((loop) => loop.stop())]);
    email?.close();
  };
}

function defaultLeaseMs(config: DeliveryConfig): number {
  return Math.max(60_000, 3 * Math.max(config.webhook.timeoutMs, config.email?.timeoutMs ?? 0));
}

function digestHourOf(env: NodeJS.ProcessEnv): number {
  const raw = env.ALERT_DIGEST_HOUR;
  if (!raw) return DEFAULT_DIGEST_HOUR;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > 23)
    throw new ConfigError(['ALERT_DIGEST_HOUR must be an hour from 0 to 23 (UTC)']);
  return Number(raw);
}
