import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** Runs `work` now and every `everyMs`, one run at a time; a failed run is logged and tried at the next tick. */
export function schedule(
  name: string,
  work: () => Promise<void>,
  everyMs: number,
  log: Logger,
): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      await work().catch((error: unknown) => log.error({ err: error }, `${name}: run failed`));
      await sleep(everyMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    stop: async () => {
      stopping.abort();
      await loop;
    },
  };
}
