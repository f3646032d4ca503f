import {
  projectionProgress,
  projectionStatuses,
  type ProjectionStatus,
} from '@salesledger/read-model/projection-status';
import { outboundPosition } from '@salesledger/read-model/outbound-checkpoints';
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

/**
 * What Kafka still holds back from the projections: the highest position the relay has published,
 * then each projector group's uncommitted messages. Read in that order, an event relayed in between
 * counts in both (an overstatement) rather than in neither.
 */
export async function kafkaBacklog(
  readModel: Runtime['readModel'],
  kafka: Kafka,
): Promise<{ readonly relayed: number; readonly lags: Map<string, number> }> {
  const relayed = await outboundPosition(readModel, RELAY);
  return { relayed, lags: await projectorLags(kafka) };
}

export class KafkaLagUnknown extends Error {
  override readonly name = 'KafkaLagUnknown';
}

export interface ProjectionStatusesWithKafka {
  readonly statuses: ProjectionStatus[];
  /** Why the partitions' part of the lag is missing: then each `lagEvents` counts the highest position alone. */
  readonly kafkaLagUnknown?: string;
}

/**
 * Each projection's status, as `projectionStatuses` gives it. With Kafka on, the highest position
 * applied says nothing of a partition that lags behind it, so a projection's lag in events is also
 * at least what the relay has yet to publish plus what its group has yet to commit on the topic;
 * when the broker does not answer in time, the statuses come without that, and say why.
 */
export async function projectionStatusesWithKafka(
  runtime: Pick<Runtime, 'readModel' | 'eventStore' | 'kafka'>,
): Promise<ProjectionStatusesWithKafka> {
  const { kafka, readModel, eventStore } = runtime;
  if (!kafka) return { statuses: await projectionStatuses(readModel, eventStore) };
  const [statuses, head, backlog] = await Promise.all([
    projectionStatuses(readModel, eventStore),
    eventStore.head(),
    withinTime(kafkaBacklog(readModel, kafka)).catch((error: unknown) => {
      if (error instanceof KafkaLagUnknown) return error;
      throw error;
    }),
  ]);
  if (backlog instanceof KafkaLagUnknown) return { statuses, kafkaLagUnknown: backlog.message };
  const { relayed, lags } = backlog;
  const unrelayed = Math.max(0, (head?.position ?? 0) - relayed);
  return {
    statuses: statuses.map((status) => ({
      ...status,
      lagEvents: Math.max(status.lagEvents, unrelayed + (lags.get(status.name) ?? 0)),
    })),
  };
}

/**
 * No projection has failed or trails the log by more than `seconds` of recorded time. With Kafka
 * on, the highest position applied says nothing of a lagging partition, so also: no projector
 * group has left uncommitted a message the relay sent more than `seconds` ago. (Events the relay
 * has yet to send show in the first check: the projections apply only what it sent.) Throws
 * `KafkaLagUnknown` when the broker does not answer in time.
 */
export async function freshWithin(
  runtime: Pick<Runtime, 'readModel' | 'eventStore' | 'kafka'>,
  seconds: number,
): Promise<boolean> {
  const statuses = await projectionProgress(runtime.readModel, runtime.eventStore);
  if (!statuses.every((s) => s.state === 'running' && s.lagSeconds <= seconds)) return false;
  if (!runtime.kafka) return true;
  const lags = await withinTime(projectorLags(runtime.kafka, new Date(Date.now() - seconds * 1000)));
  return [...lags.values()].every((lag) => lag === 0);
}

/** The broker's answer, or `KafkaLagUnknown` after KAFKA_ANSWER_MS or when it fails. */
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
