import type { Provider } from '@nestjs/common';
import { projectionStatusesWithKafka } from '@salesledger/platform/projection-lag';
import type { Runtime } from '@salesledger/platform/runtime';
import type { ProjectionStatus } from '@salesledger/read-model/projection-status';

/** Reads where each projection stands, its lag counting Kafka's partitions when Kafka is on. */
export type ProjectionStatuses = () => Promise<ProjectionStatus[]>;

export const PROJECTION_STATUSES = 'projection statuses';

export const projectionStatusesOf = (runtime: Runtime): Provider => ({
  provide: PROJECTION_STATUSES,
  useValue: (() => projectionStatusesWithKafka(runtime)) satisfies ProjectionStatuses,
});
