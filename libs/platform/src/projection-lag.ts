import {
  projectionProgress,
  projectionStatuses,
  type ProjectionStatus,
} from '@salesledger/read-model/projection-status';
import { outboundCheckpoint, outboundPosition } from '@salesledger/read-model/outbound-checkpoints';
import type { Projection } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { RELAY } from '@salesledger/transport/relay';
import type { KafkaNames } from '@salesledger/transport/topics';
import type { Runtime } from './runtime';

type Kafka = NonNullable<Runtime['kafka']>;

/** How long a status read waits for the broker before it gives up on the lag. */
const KAFKA_ANSWER_MS = 5_000;

/** A projection's consumer group on the events topic. */
export function projectorGroupId(names: KafkaNames, projection: Projection): string {
  return `${names.projectorGroup}.${projection.name}`;
}

/**
 * Messages of the events topic each projector group has not committed, by projection; with
 * `sentBefore`, only those the relay sent before that instant.
 */
export async function projectorLags(kafka: Kafka, sentBefore?: Date): Promise<Map<string, number>> {
  const lags = await Promise.all(
    PROJECTIONS.map((projection) =>
      kafka.transport.lag(projectorGroupId(kafka.names, projection), kafka.names.events, sentBefore),
    ),
  );
  return new Map(PROJECTIONS.map((projection, i) => [projection.name, lags[i] ?? 0]));
}

/** Messages of the events topic the projector groups have not committed, all groups together. */
export async function projectorLag(kafka: Kafka): Promise<number> {
  return [...(await projectorLags(kafka)).values()].reduce((sum, lag) => sum + lag, 0);
}

export class KafkaLagUnknown extends Error {}

/**
 * Each projection's status, as `projectionStatuses` gives it. With Kafka on, the highest position
 * applied says nothing of a partition that lags behind it, so a projection's lag in events is also
 * at least what the relay has yet to publish plus what its group has yet to commit on the topic.
 * Throws `KafkaLagUnknown` when the broker does not answer in time.
 */
export async function projectionStatusesWithKafka(
  runtime: Pick<Runtime, 'readModel' | 'eventStore' | 'kafka'>,
): Promise<ProjectionStatus[]> {
  const { kafka, readModel, eventStore } = runtime;
  if (!kafka) return projectionStatuses(readModel, eventStore);
  // The relay's position before the groups' lag: an event relayed in between then counts twice (an
  // overstatement) rather than in neither count.
  const relayed = await outboundPosition(readModel, RELAY);
  const [statuses, head, lags] = await Promise.all([
    projectionStatuses(readModel, eventStore),
    eventStore.head(),
    withinTime(projectorLags(kafka)),
  ]);
  const unrelayed = Math.max(0, (head?.position ?? 0) - relayed);
  return statuses.map((status) => ({
    ...status,
    lagEvents: Math.max(status.lagEvents, unrelayed + (lags.get(status.name) ?? 0)),
  }));
}

async function withinTime<T>(asking: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KafkaLagUnknown(`Kafka did not answer within ${KAFKA_ANSWER_MS / 1000} s`)),
      KAFKA_ANSWER_MS,
    );
  });
  // A late answer (or failure) of the broker is dropped, not left unhandled.
  asking.catch(() => undefined);
  try {
    return await Promise.race([
      asking.catch((error: unknown) => {
        throw new KafkaLagUnknown(`Kafka did not answer: ${(error as Error).message}`, { cause: error });
      }),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * No projection has failed or trails the log by more than `seconds` of recorded time. With Kafka
 * on, the highest position applied says nothing of a lagging partition, so also: the next event
 * the relay has to publish was recorded no more than `seconds` before the head, and no projector
 * group has left uncommitted a message the relay sent more than `seconds` ago.
 */
export async function freshWithin(
  runtime: Pick<Runtime, 'readModel' | 'eventStore' | 'kafka'>,
  seconds: number,
): Promise<boolean> {
  const { kafka, readModel, eventStore } = runtime;
  const statuses = await projectionProgress(readModel, eventStore);
  if (!statuses.every((s) => s.state === 'running' && s.lagSeconds <= seconds)) return false;
  if (!kafka) return true;
  const sentBefore = new Date(Date.now() - seconds * 1000);
  const [head, [unrelayed]] = await Promise.all([
    eventStore.head(),
    outboundCheckpoint(readModel, RELAY).then((checkpoint) => eventStore.readAll(checkpoint, 1)),
  ]);
  if (head && unrelayed && Date.parse(head.recordedAt) - Date.parse(unrelayed.metadata.recordedAt) > seconds * 1000)
    return false;
  return [...(await projectorLags(kafka, sentBefore)).values()].every((lag) => lag === 0);
}
