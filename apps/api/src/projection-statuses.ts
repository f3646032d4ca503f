import type { Provider } from '@nestjs/common';
import { projectionStatusesWithKafka, type ProjectionStatusesWithKafka } from '@salesledger/platform/projection-lag';
import type { Runtime } from '@salesledger/platform/runtime';

/** Reads where each projection stands, its lag counting Kafka's partitions when Kafka is on. */
export type ProjectionStatuses = () => Promise<ProjectionStatusesWithKafka>;

export const PROJECTION_STATUSES = 'projection statuses';

export const projectionStatusesOf = (runtime: Runtime): Provider => ({
  provide: PROJECTION_STATUSES,
  useValue: (() => projectionStatusesWithKafka(runtime)) satisfies ProjectionStatuses,
});
