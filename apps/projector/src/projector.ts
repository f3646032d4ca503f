import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { SystemClock } from '@salesledger/domain/clock.port';
import { TimeDrivenFacts } from '@salesledger/sales/time-driven-facts';
import {
  applyDelivered,
  ProjectionRunner,
  recordProjectionFailure,
  Settler,
  type Projection,
} from '@salesledger/read-model/projection-runner';
import { consumeEvents } from '@salesledger/transport/event-consumer';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { projectionProgress } from '@salesledger/read-model/projection-status';
import { kafkaBacklog, projectorGroupId } from '@salesledger/platform/projection-lag';
import type { Runtime } from '@salesledger/platform/runtime';
import { schedule } from '@salesledger/platform/schedule';
import type { Stop } from '@salesledger/platform/service';

/** How often a look that is due waits for the read model to catch up (at start, behind a backlog). */
const CAUGHT_UP_CHECK_MS = 2_000;

/**
 * Builds the read models: from the event log, each projection from its own checkpoint; or, with
 * Kafka on, as a member of the projector consumer group, sharing the partitions with its replicas.
 */
export async function startProjector(runtime: Runtime, log: Logger): Promise<Stop> {
  const feeds: { stop(): Promise<void> }[] = [];
  if (runtime.kafka) {
    for (const projection of PROJECTIONS)
      feeds.push(await consumeProjection(runtime.kafka, runtime.readModel, projection, log));
  } else {
    for (const projection of PROJECTIONS) {
      const runner = new ProjectionRunner(runtime.eventStore, runtime.readModel, projection, {
        log,
        wakeup: runtime.appendWakeup,
      });
      runner.start();
      feeds.push(runner);
    }
  }
  const lookingForFacts = lookForTimeDrivenFacts(runtime, log);
  log.info(`projector running${runtime.kafka ? ' from Kafka' : ''}: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  return async () => {
    // Together: a look asking an unreachable broker for its lag would hold up the consumers' stop.
    await Promise.all([lookingForFacts?.stop(), ...feeds.map((feed) => feed.stop())]);
  };
}

/**
 * Appends the facts time alone makes true (lapsed customers, overdue papers, missed SLAs) every
 * `SALESLEDGER_TIME_FACTS_SECONDS`, and never at 0 (replicas that leave it to one of them). Only on
 * a caught-up read model: a customer whose later orders are not projected yet has not lapsed. A look
 * that is due waits for that, then goes ahead at once rather than a whole period later, so a fresh
 * start's papers overdue since yesterday are facts (and alerts) within seconds.
 */
function lookForTimeDrivenFacts(runtime: Runtime, log: Logger): { stop(): Promise<void> } | undefined {
  const everyMs = runtime.config.timeFactsSeconds * 1000;
  if (everyMs === 0) return undefined;
  const facts = new TimeDrivenFacts(runtime.eventStore, runtime.readModel, new SystemClock());
  let lookedAt = -Infinity;
  return schedule(
    'time-driven facts',
    async () => {
      if (performance.now() - lookedAt < everyMs) return;
      if (!(await caughtUp(runtime))) return;
      lookedAt = performance.now();
      await facts.run();
    },
    Math.min(CAUGHT_UP_CHECK_MS, everyMs),
    log,
  );
}

/**
 * Every projection has applied the whole log. With Kafka on, the highest position applied can be
 * the head while another partition still holds older events, so that also takes the relay's
 * checkpoint at that head (it moves only once every partition has acknowledged a page: the topic
 * holds the whole log up to it) and then every projector group having committed the topic.
 */
export async function caughtUp(runtime: Pick<Runtime, 'readModel' | 'eventStore' | 'kafka'>): Promise<boolean> {
  const statuses = await projectionProgress(runtime.readModel, runtime.eventStore);
  if (!statuses.every((status) => status.lagEvents === 0 && status.state === 'running')) return false;
  const kafka = runtime.kafka;
  if (!kafka) return true;
  const head = Math.max(0, ...statuses.map((status) => status.position ?? 0));
  const { relayed, lags } = await kafkaBacklog(runtime.readModel, kafka);
  return relayed >= head && [...lags.values()].every((lag) => lag === 0);
}

/**
 * One projection as a member of its consumer group (the group's members split the partitions
 * between them): each delivered batch applied, skipping what was applied before, then its stored
 * scorecards settled beside the batches. `onBatch` hears of each
 * transaction: how many events were delivered to it (the batches of several partitions, applied
 * together), how many were new, and how long it took.
 */
export async function consumeProjection(
  kafka: NonNullable<Runtime['kafka']>,
  pool: Pool,
  projection: Projection,
  log: Logger,
  onBatch?: (delivered: number, fresh: number, ms: number) => void,
): Promise<{ stop(): Promise<void> }> {
  const settler = new Settler(pool, projection, undefined, { log });
  settler.poke();
  const consumer = await consumeEvents(
    kafka,
    projectorGroupId(kafka.names, projection),
    async (events) => {
      const started = performance.now();
      const applied = await applyDelivered(pool, projection, events);
      settler.poke();
      onBatch?.(events.length, applied, performance.now() - started);
      return applied;
    },
    {
      onFailure: (event, error) => recordProjectionFailure(pool, projection.name, event, error),
      log,
    },
  );
  return {
    stop: async () => {
      await consumer.stop();
      await settler.stop();
    },
  };
}
