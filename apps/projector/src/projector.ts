import type { Logger } from 'pino';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import type { Runtime } from '@salesledger/platform/runtime';
import type { Stop } from '@salesledger/platform/service';

/** Builds the read models from the event log, each projection from its own checkpoint. */
export async function startProjector(runtime: Runtime, log: Logger): Promise<Stop> {
  const runners = PROJECTIONS.map(
    (projection) => new ProjectionRunner(runtime.eventStore, runtime.readModel, projection, { log }),
  );
  for (const runner of runners) runner.start();
  log.info(`projector running: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  return async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
  };
}
