import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { integrationEventHeaders, toIntegrationEvent } from '@salesledger/contracts/integration-event';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { LOCKS, tryHoldLock } from '@salesledger/postgres/advisory-locks';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import type { ScorecardFeed } from './scorecard-feed';
import type { KafkaNames } from './topics';
import type { OutgoingMessage, Transport } from './transport.port';

const RELAY = 'events';

export interface RelayOptions {
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  readonly retryMs?: number;
  readonly log?: Logger;
}

/** The Kafka message of a stored event: keyed by its (public) stream id, so a stream's order is kept. */
export function eventMessage(event: RecordedEvent): OutgoingMessage {
  const message = toIntegrationEvent(event);
  return { key: message.streamId, value: JSON.stringify(message), headers: integrationEventHeaders(message) };
}

const isAlertEvent = (event: RecordedEvent) => event.type.startsWith('Alert');

/**
 * Publishes the event log to Kafka, in log order, at least once (and the scorecard feed): the checkpoint moves only after the
 * broker acknowledged the page from every in-sync replica, so a crash re-sends at most one page,
 * which consumers recognise by stream revision (or event id). Alert events also go to the alerts topic.
 */
export class Relay {
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryMs: number;
  private readonly log?: Logger;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly names: KafkaNames,
    options: RelayOptions = {},
    /** The changed scorecards, published when the log is: between pages, by the same leader. */
    private readonly scorecards?: ScorecardFeed,
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 20;
    this.retryMs = options.retryMs ?? 1000;
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
    const pages = this.pages(await this.checkpoint());
    for (let page = await pages.next(); page.length > 0; page = await pages.next()) {
      await this.publish(page);
      published += page.length;
    }
    return published;
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let leader: PoolClient | undefined;
      try {
        let lost = false;
        leader = await this.becomeLeader(signal, () => (lost = true));
        if (!leader) return;
        this.log?.info('relay publishing the event log');
        // The leader alone moves the checkpoint, so it reads it once and keeps it from then on.
        const pages = this.pages(await this.checkpoint());
        while (!signal.aborted && !lost) {
          const page = await pages.next();
          if (page.length > 0) await this.publish(page);
          else if (((await this.scorecards?.publishChanges()) ?? 0) === 0)
            await sleep(this.pollIntervalMs, undefined, { signal }).catch(() => undefined);
        }
      } catch (error) {
        this.log?.error({ err: error }, 'relay stopped; retrying');
        await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
      } finally {
        leader?.release(true); // closing the connection frees the lock for a standby relay
      }
    }
  }

  /**
   * The log's pages from a checkpoint on, each read while the one before is being sent: a page
   * handed out is taken as published (the caller publishes it before asking for the next).
   */
  private pages(from: string | null): { next(): Promise<RecordedEvent[]> } {
    let ahead: Promise<RecordedEvent[]> | undefined;
    let checkpoint = from;
    const read = () => {
      const page = this.store.readAll(checkpoint, this.batchSize);
      // A failed read-ahead surfaces when its page is asked for, not as an unhandled rejection.
      page.catch(() => undefined);
      return page;
    };
    return {
      next: async () => {
        const page = await (ahead ?? read());
        ahead = undefined;
        if (page.length > 0) {
          checkpoint = (page.at(-1) as RecordedEvent).checkpoint;
          ahead = read();
        }
        return page;
      },
    };
  }

  private async becomeLeader(signal: AbortSignal, onLost: () => void): Promise<PoolClient | undefined> {
    while (!signal.aborted) {
      const client = await tryHoldLock(this.pool, LOCKS.relayLeader, onLost);
      if (client) return client;
      await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
    }
    return undefined;
  }

  private async checkpoint(): Promise<string | null> {
    const { rows } = await this.pool.query(
      `INSERT INTO ${OUTBOUND}.relay_checkpoints (name) VALUES ($1)
       ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING checkpoint`,
      [RELAY],
    );
    return rows[0].checkpoint;
  }

  private async publish(page: RecordedEvent[]): Promise<void> {
    const messages = page.map(eventMessage);
    // Keyed by the alert's stream too, so each alert's lifecycle stays in order for its consumers.
    const alerts = messages.filter((_, i) => isAlertEvent(page[i] as RecordedEvent));
    await this.transport.send([
      { topic: this.names.events, messages },
      { topic: this.names.alerts, messages: alerts },
    ]);
    const last = page.at(-1) as RecordedEvent;
    await this.pool.query(
      `UPDATE ${OUTBOUND}.relay_checkpoints SET checkpoint = $2, position = greatest(position, $3),
         events_published = events_published + $4, updated_at = now() WHERE name = $1`,
      [RELAY, last.checkpoint, Math.max(...page.map((e) => e.position)), page.length],
    );
  }
}
