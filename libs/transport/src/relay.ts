import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { integrationEventHeaders, integrationEventJson } from '@salesledger/contracts/integration-event';
import type { RecordedEventJson } from '@salesledger/domain/event';
import type { EventStore, LogWakeup } from '@salesledger/domain/event-store.port';
import { followLog } from '@salesledger/event-store/log-follower';
import { LOCKS, tryHoldLock } from '@salesledger/postgres/advisory-locks';
import { outboundCheckpoint, passOutboundPage } from '@salesledger/read-model/outbound-checkpoints';
import type { ScorecardFeed } from './scorecard-feed';
import type { KafkaNames } from './topics';
import type { OutgoingMessage, TopicMessages, Transport } from './transport.port';

/** The relay's row in `outbound.relay_checkpoints`: its position is the highest one every partition has acknowledged. */
export const RELAY = 'events';

export interface RelayOptions {
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  readonly retryMs?: number;
  /**
   * How long the leader's sends of the log may keep failing before it lets a standby relay lead (one that
   * can reach the broker, say), and how long it then stands aside before competing again.
   */
  readonly stepDownAfterMs?: number;
  /** Woken by appends, the relay reads at once instead of at its next poll. */
  readonly wakeup?: LogWakeup;
  readonly log?: Logger;
}

/** The Kafka message of a stored event: keyed by its (public) stream id, so a stream's order is kept. */
export function eventMessage(event: RecordedEventJson): OutgoingMessage {
  const { envelope, json } = integrationEventJson(event);
  return { key: envelope.streamId, value: json, headers: integrationEventHeaders(envelope) };
}

const isAlertEvent = (event: RecordedEventJson) => event.type.startsWith('Alert');

/**
 * Publishes the event log to Kafka, in log order, at least once (and the scorecard feed): the checkpoint moves only after the
 * broker acknowledged the page from every in-sync replica, so a crash re-sends at most one page,
 * which consumers recognise by stream revision (or event id). Alert events also go to the alerts topic.
 */
export class Relay {
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private readonly batchSize: number;
  private readonly retryMs: number;
  private readonly stepDownAfterMs: number;
  private readonly log?: Logger;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly names: KafkaNames,
    private readonly options: RelayOptions = {},
    /** The changed scorecards, published by the same leader whenever no page of the log is in hand. */
    private readonly scorecards?: ScorecardFeed,
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.retryMs = options.retryMs ?? 1000;
    this.stepDownAfterMs = options.stepDownAfterMs ?? 30_000;
    this.log = options.log;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** Publishes what the log holds now (tests and benchmarks); returns how many events it published. */
  async publishPending(): Promise<number> {
    let published = 0;
    for await (const page of this.store.pages(await outboundCheckpoint(this.pool, RELAY), this.batchSize, 'json')) {
      await this.publish(page);
      published += page.length;
    }
    return published;
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let leader: PoolClient | undefined;
      const term = new AbortController();
      const stop = () => term.abort();
      signal.addEventListener('abort', stop, { once: true });
      // Since when every send of the log has failed. Only the log's sends count: the scorecards feed
      // or the checkpoint's database failing is no reason to hand the log to another relay.
      let failingSince: number | undefined;
      let steppingDown = false;
      const send = async (batches: readonly TopicMessages[]): Promise<void> => {
        // A send that fails may have taken the client's retries, tens of seconds, to say so.
        const started = Date.now();
        try {
          await this.transport.send(batches);
          failingSince = undefined;
        } catch (error) {
          failingSince ??= started;
          steppingDown = Date.now() - failingSince >= this.stepDownAfterMs;
          if (steppingDown) term.abort();
          throw error;
        }
      };
      // A feed that fails is left for a while, and the log goes on: were its failure to end the
      // follower, which runs the feed first whenever it starts, the log's pages would seldom be sent.
      let feedResumesAt = 0;
      const publishScorecards = async (): Promise<number> => {
        if (!this.scorecards || Date.now() < feedResumesAt) return 0;
        try {
          return await this.scorecards.publishChanges();
        } catch (error) {
          this.log?.warn({ err: error }, `scorecards feed failed; trying it again in ${this.retryMs} ms`);
          feedResumesAt = Date.now() + this.retryMs;
          return 0;
        }
      };
      try {
        leader = await this.becomeLeader(signal, stop);
        if (!leader) return;
        const lockHolder = leader;
        this.log?.info('relay publishing the event log');
        // Until the lock is lost, the log's sends have failed for too long, or the relay stops: then after the page in hand.
        await followLog(
          this.store,
          {
            checkpoint: () => outboundCheckpoint(this.pool, RELAY),
            // Through the session that holds the lock: once it is lost, a page acknowledged late
            // cannot move the checkpoint back behind a new leader's.
            handle: (page) => this.publish(page, send, lockHolder),
            idle: publishScorecards,
          },
          term.signal,
          {
            name: 'relay',
            // The events pass on unread: their data is published as the JSON text the store holds.
            form: 'json',
            pageSize: this.batchSize,
            pollIntervalMs: this.options.pollIntervalMs ?? 20,
            retryMs: this.retryMs,
            wakeup: this.options.wakeup,
            log: this.log,
          },
        );
      } catch (error) {
        this.log?.error({ err: error }, 'relay stopped; retrying');
        await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
      } finally {
        signal.removeEventListener('abort', stop);
        leader?.release(true); // closing the connection frees the lock for a standby relay
      }
      if (steppingDown && !signal.aborted) {
        this.log?.warn(`relay stepping down: its sends of the log have failed for ${this.stepDownAfterMs} ms`);
        await sleep(this.stepDownAfterMs, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async becomeLeader(signal: AbortSignal, onLost: () => void): Promise<PoolClient | undefined> {
    while (!signal.aborted) {
      const client = await tryHoldLock(this.pool, LOCKS.relayLeader, onLost);
      if (client) return client;
      await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
    }
    return undefined;
  }

  private async publish(
    page: readonly RecordedEventJson[],
    send = (batches: readonly TopicMessages[]) => this.transport.send(batches),
    checkpoints: Pool | PoolClient = this.pool,
  ): Promise<void> {
    const messages = page.map(eventMessage);
    // Keyed by the alert's stream too, so each alert's lifecycle stays in order for its consumers.
    const alerts = messages.filter((_, i) => isAlertEvent(page[i] as RecordedEventJson));
    await send([
      { topic: this.names.events, messages },
      { topic: this.names.alerts, messages: alerts },
    ]);
    await passOutboundPage(checkpoints, RELAY, page);
  }
}
