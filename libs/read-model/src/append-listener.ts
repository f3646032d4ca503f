import { Client } from 'pg';
import type { Logger } from 'pino';
import { APPENDED_CHANNEL } from '@salesledger/event-store/postgres-event-store.adapter';
import type { AppendWakeup } from './append-wakeup';

const RECONNECT_MS = 1000;

/**
 * Wakes this process's followers when any process appends to the PostgreSQL event store at `url`
 * (LISTEN on the store's channel, one connection). A lost connection is reopened; until then the
 * followers' polling covers the gap.
 */
export function listenForAppends(
  url: string,
  wakeup: AppendWakeup,
  log?: Logger,
): { readonly listening: Promise<void>; stop(): Promise<void> } {
  let heard: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (heard = resolve));
  let stopped = false;
  let client: Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const next = new Client({ connectionString: url });
    client = next;
    const reconnect = (error?: Error) => {
      if (client !== next || stopped) return;
      client = undefined;
      if (error) log?.warn({ err: error }, 'append notifications lost; reconnecting');
      void next.end().catch(() => undefined);
      retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    next.on('notification', () => wakeup.notify());
    next.on('error', reconnect);
    next.on('end', () => reconnect());
    try {
      await next.connect();
      await next.query(`LISTEN ${APPENDED_CHANNEL}`);
      heard();
    } catch (error) {
      reconnect(error as Error);
    }
  };
  void connect();
  return {
    /** Resolves once notifications are heard (the first LISTEN done). */
    listening,
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
