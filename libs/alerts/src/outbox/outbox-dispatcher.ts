import type { ClientBase, Pool } from 'pg';
import type { Logger } from 'pino';
import type { AlertRaised } from '@salesledger/domain/alerts/alert.decider';
import { SystemClock, type Clock } from '@salesledger/domain/clock.port';
import type { Checkpoint, RecordedEvent } from '@salesledger/domain/event';
import type { EventStore, LogWakeup } from '@salesledger/domain/event-store.port';
import { CheckpointMoved, followLog } from '@salesledger/event-store/log-follower';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import { inTransaction } from '@salesledger/postgres/pool';
import { outboundCheckpoint, passOutboundPage } from '@salesledger/read-model/outbound-checkpoints';
import { alertAt, messageOf, raisedFacts, type AlertFacts } from './alert-message';
import { deliveriesFor, deliveryKindOf } from './dispatch.policy';
import { insertDeliveries } from './delivery-queue';
import { applyOrganisationEvent, directorEmails, repName, teamManagerEmails } from './recipient-directory';
import { enabledSubscriptions, type StoredSubscription } from './webhook-subscriptions.adapter';

/** Its row in `outbound.relay_checkpoints`, next to the Kafka relay's. */
export const DISPATCHER = 'alert-outbox';

export interface DispatcherOptions {
  /** Whether email deliveries are made at all (SMTP_URL set). */
  readonly email: boolean;
  readonly batchSize?: number;
  /** When a new delivery is first due. */
  readonly clock?: Clock;
  readonly log?: Logger;
}

/**
 * Follows the log from its own checkpoint and turns alert events into deliveries: in one
 * transaction per page it keeps the recipients, inserts the page's deliveries (a delivery id already
 * there is left alone) and moves the checkpoint. So a crash re-reads at most the page in hand and
 * inserts nothing twice, and whatever was dispatched stays until a sender settles it. The checkpoint
 * is compared and set in that transaction, so a second replica never dispatches the same page twice:
 * the one that finds the checkpoint moved resumes from where it stands.
 */
export class AlertOutboxDispatcher {
  private readonly batchSize: number;
  private readonly clock: Clock;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly options: DispatcherOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.clock = options.clock ?? new SystemClock();
  }

  /** Follows the log until the signal aborts, dispatching page by page. */
  follow(signal: AbortSignal, options: { readonly pollIntervalMs?: number; readonly wakeup?: LogWakeup } = {}) {
    return followLog(
      this.store,
      {
        checkpoint: () => outboundCheckpoint(this.pool, DISPATCHER),
        handle: (page, from) => this.dispatch(page, from),
      },
      signal,
      { name: 'alert dispatch', pageSize: this.batchSize, log: this.options.log, ...options },
    );
  }

  /** Everything the log holds now (tests); returns how many events it read. */
  async dispatchPending(): Promise<number> {
    let read = 0;
    let from = await outboundCheckpoint(this.pool, DISPATCHER);
    for await (const page of this.store.pages(from, this.batchSize)) {
      await this.dispatch(page, from);
      from = (page.at(-1) as RecordedEvent).checkpoint;
      read += page.length;
    }
    return read;
  }

  /** The page that follows `from`, dispatched and checkpointed in one transaction. */
  private dispatch(page: readonly RecordedEvent[], from: Checkpoint | null): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query(
        `SELECT checkpoint FROM ${OUTBOUND}.relay_checkpoints WHERE name = $1 FOR UPDATE`,
        [DISPATCHER],
      );
      if ((rows[0]?.checkpoint ?? null) !== from) throw new CheckpointMoved();
      const dispatched = await this.apply(client, page);
      if (dispatched > 0) this.options.log?.debug({ deliveries: dispatched }, 'alert deliveries dispatched');
      await passOutboundPage(client, DISPATCHER, page);
    });
  }

  /** Returns how many deliveries the page made. */
  private async apply(client: ClientBase, page: readonly RecordedEvent[]): Promise<number> {
    let subscriptions: StoredSubscription[] | undefined;
    let dispatched = 0;
    for (const event of page) {
      await applyOrganisationEvent(client, event);
      const kind = deliveryKindOf(event.type);
      if (!kind) continue;
      const alert = await this.alertOf(event);
      if (!alert) {
        this.options.log?.warn({ eventId: event.eventId, streamId: event.streamId }, 'alert event of no raised alert');
        continue;
      }
      subscriptions ??= await enabledSubscriptions(client);
      const emails = !this.options.email
        ? []
        : kind === 'escalation'
          ? await directorEmails(client)
          : await teamManagerEmails(client, alert.teamId);
      const message = messageOf(alert, await repName(client, alert.repId));
      const deliveries = deliveriesFor(event, message, { emails, subscriptions });
      dispatched += await insertDeliveries(client, deliveries, this.clock.now());
    }
    return dispatched;
  }

  /** As raised, or, for a later event, as the alert's stream tells it up to that event. */
  private async alertOf(event: RecordedEvent): Promise<AlertFacts | undefined> {
    if (event.type === 'AlertRaised') return raisedFacts(event.data as AlertRaised['data']);
    const history = await this.store.readStream(event.streamId);
    return alertAt(history, event.data.alertId as string, event.revision);
  }
}
