import type { Logger } from 'pino';
import type { Runtime } from '@salesledger/platform/runtime';
import type { Stop } from '@salesledger/platform/service';

/** Raises lag alerts to managers. Its rules arrive with the alerts issue (#6). */
export async function startAlertWorker(_runtime: Runtime, log: Logger): Promise<Stop> {
  log.info('alert worker started with no rules registered');
  return async () => undefined;
}
