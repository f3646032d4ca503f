import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { alertDecider } from '@salesledger/domain/alerts/alert.decider';
import { SystemClock, type Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { NotFoundError } from '@salesledger/domain/errors';
import type { EventStore } from '@salesledger/domain/event-store.port';
import type { DeliveryChannel, DeliveryOutcome } from '../delivery/delivery.port';
import { isLastAttempt, retryLater } from '../delivery/retry.policy';
import {
  claimDue,
  disableSubscription,
  markRecorded,
  settle,
  unrecorded,
  type ClaimedDelivery,
} from './delivery-queue';
import { attemptOf, type ChannelName } from './outbox-delivery';

export interface SenderOptions {
  /** How long a claimed delivery is left to one sender; longer than any channel's timeout. */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
}

type Recordable = { deliveryId: string; alertId: string; streamId: string; channel: ChannelName; to: string };

/**
 * Sends due deliveries, at least once each with a stable delivery id, and records each delivery of
 * an alert on its stream exactly once: the row is marked delivered first, then `record-delivery`
 * appends AlertDelivered (the decider ignores a delivery id it has), then the row is marked recorded.
 * A crash before the mark resends with the same id; one after it only records, never resends.
 */
export class DeliverySender {
  private readonly channels: ReadonlyMap<ChannelName, DeliveryChannel>;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly clock: Clock;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    channels: readonly DeliveryChannel[],
    private readonly options: SenderOptions = {},
  ) {
    this.channels = new Map(channels.map((channel) => [channel.name, channel]));
    this.leaseMs = options.leaseMs ?? 120_000;
    this.batchSize = options.batchSize ?? 10;
    this.clock = options.clock ?? new SystemClock();
  }

  /** Claims the due deliveries and attempts them in parallel; how many it attempted. */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    const claimed = await claimDue(
      this.pool,
      now,
      new Date(now.getTime() + this.leaseMs),
      [...this.channels.keys()],
      this.batchSize,
    );
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  /** Records the deliveries made whose AlertDelivered is not in the log yet; how many it recorded. */
  async recordDelivered(): Promise<number> {
    let recorded = 0;
    for (const row of await unrecorded(this.pool, 100)) if (await this.record(row, row.deliveredAt)) recorded++;
    return recorded;
  }

  private async attempt(claimed: ClaimedDelivery): Promise<void> {
    const channel = this.channels.get(claimed.channel) as DeliveryChannel;
    // A restart after a crash during the last attempt: it counted, and its outcome is unknown.
    if (claimed.attempt > channel.maxAttempts) {
      await settle(this.pool, claimed, { status: 'dead', error: 'the worker stopped during the last attempt' });
      return;
    }
    let outcome: DeliveryOutcome;
    try {
      outcome = await channel.deliver(attemptOf(claimed));
    } catch (error) {
      // Channels answer refusals; a throw is a bug or an outage of ours, worth another try.
      outcome = retryLater(claimed.attempt, `the ${claimed.channel} channel failed: ${(error as Error).message}`);
    }
    await this.settle(claimed, outcome, channel);
  }

  private async settle(claimed: ClaimedDelivery, outcome: DeliveryOutcome, channel: DeliveryChannel) {
    const now = this.clock.now();
    const log = this.options.log?.child({ deliveryId: claimed.deliveryId, attempt: claimed.attempt });
    switch (outcome.outcome) {
      case 'delivered': {
        const { alertId, alertStreamId: streamId } = claimed;
        const settled = await settle(this.pool, claimed, { status: 'delivered', at: now, nothingToRecord: !streamId });
        if (settled && alertId && streamId) {
          await this.record(
            { deliveryId: claimed.deliveryId, alertId, streamId, channel: claimed.channel, to: claimed.recipient },
            now,
          );
        }
        return;
      }
      case 'retry': {
        if (isLastAttempt(claimed.attempt, channel.maxAttempts)) {
          log?.warn({ reason: outcome.reason }, 'alert delivery dead-lettered after its last attempt');
          await settle(this.pool, claimed, { status: 'dead', error: outcome.reason });
        } else {
          const nextAttemptAt = new Date(now.getTime() + outcome.afterMs);
          await settle(this.pool, claimed, { status: 'pending', nextAttemptAt, error: outcome.reason });
        }
        return;
      }
      case 'gone':
        log?.warn({ subscription: claimed.recipient, reason: outcome.reason }, 'webhook subscription disabled');
        await disableSubscription(this.pool, claimed.recipient, outcome.reason, now);
        return;
      case 'failed':
        log?.warn({ reason: outcome.reason }, 'alert delivery failed for good');
        await settle(this.pool, claimed, { status: 'dead', error: outcome.reason });
        return;
    }
  }

  /** Appends AlertDelivered unless its stream has it; a failure leaves it for `recordDelivered`. */
  private async record(delivery: Recordable, deliveredAt: Date): Promise<boolean> {
    const { deliveryId, alertId, streamId, channel, to } = delivery;
    const command = {
      kind: 'record-delivery' as const,
      alertId,
      channel,
      deliveryId,
      to,
      now: deliveredAt.toISOString(),
    };
    const context = {
      commandId: `delivery/${deliveryId}`,
      actor: { userId: 'alert-delivery', role: 'system' as const },
      correlationId: deliveryId,
      now: this.clock.now(),
    };
    try {
      await handleCommand(this.store, streamId, alertDecider, command, context);
      await markRecorded(this.pool, deliveryId, this.clock.now());
      return true;
    } catch (error) {
      // An alert its stream does not know will never be recordable: say so instead of retrying forever.
      if (error instanceof NotFoundError) await markRecorded(this.pool, deliveryId, this.clock.now(), error.message);
      else this.options.log?.warn({ err: error, deliveryId }, 'AlertDelivered not recorded yet; will retry');
      return false;
    }
  }
}
