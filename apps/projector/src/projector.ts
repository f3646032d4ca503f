import type { Logger } from 'pino';
import type { Runtime } from '@salesledger/platform/runtime';
import type { Stop } from '@salesledger/platform/service';

/** Builds the read models from the event log. Projections arrive with the projection issue (#4). */
export async function startProjector(_runtime: Runtime, log: Logger): Promise<Stop> {
  log.info('projector started with no projections registered');
  return async () => undefined;
}
