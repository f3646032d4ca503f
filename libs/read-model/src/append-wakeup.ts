import type { EventStore, LogWakeup } from '@salesledger/domain/event-store.port';

/**
 * Wakes the log's followers when an append of this process commits, so a follower waiting for
 * new events starts reading at once instead of at its next poll. Polling stays the fallback, for
 * appends made by other processes.
 */
export class AppendWakeup implements LogWakeup {
  private waiters = new Set<() => void>();
  private appends = 0;

  /** Appends heard so far: a follower notes it before reading, so one heard meanwhile is not missed. */
  get generation(): number {
    return this.appends;
  }

  /** Followers waiting now. */
  get waiting(): number {
    return this.waiters.size;
  }

  notify(): void {
    this.appends++;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves at the next append, after `ms` at the latest, or when the signal aborts; at once if
   * an append was heard since `generation`.
   */
  wait(ms: number, signal?: AbortSignal, generation = this.appends): Promise<void> {
    if (generation !== this.appends || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}

/** The same store, whose appends also wake the followers waiting on `wakeup`. */
export function notifyingAppends<Store extends EventStore>(store: Store, wakeup: AppendWakeup): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<EventStore['append']>) => {
        const result = await target.append(...args);
        wakeup.notify();
        return result;
      };
    },
  });
}
