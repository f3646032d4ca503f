import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/**
 * Runs `work` now and then every `everyMs`, one run at a time. A run that reports work done (a
 * positive count) is followed at once by the next, so a backlog drains without waiting; a failed
 * run is logged, and the next waits at least a second (the database or the store being away).
 */
export function schedule(
  name: string,
  work: () => Promise<number | void>,
  everyMs: number,
  log: Logger,
): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      let wait = everyMs;
      try {
        if (((await work()) ?? 0) > 0) wait = 0;
      } catch (error) {
        log.error({ err: error }, `${name}: run failed`);
        wait = Math.max(everyMs, 1_000);
      }
      if (wait > 0) await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    stop: async () => {
      stopping.abort();
      await loop;
    },
  };
}
