import { setTimeout as sleep } from 'node:timers/promises';
import { EventStoreDBClient } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '@salesledger/domain/errors';
import { EsdbEventStore } from '@salesledger/event-store/esdb-event-store.adapter';
import { skipLoudly } from '../support/postgres-servers';
import { eventStoreContract, type StoreFixture } from './event-store.contract';

const url = process.env.EVENT_STORE_URL;
const esdbUrl = url?.startsWith('esdb://') || url?.startsWith('esdb+discover://') ? url : undefined;
if (!esdbUrl) skipLoudly('EventStoreDB', 'set EVENT_STORE_URL=esdb://...', { ciHasIt: false });

(esdbUrl ? describe : describe.skip)('EventStoreDB event store', () => {
  eventStoreContract(() => esdbFixture(esdbUrl ?? ''), { uniqueEventIdsAcrossStreams: false });
});

async function esdbFixture(url: string): Promise<StoreFixture> {
  const store = EsdbEventStore.connect(url);
  const client = EventStoreDBClient.connectionString(url);
  return {
    store,
    // EventStoreDB has no client transactions: a held append is a late one, and a rolled-back one is
    // an append at a revision the stream can never be at, which the store refuses whole.
    appendHeld: async (streamId, events, { holdMs, rollback }) => {
      await sleep(holdMs);
      if (!rollback) {
        await store.append(streamId, events, 'any');
        return;
      }
      await store.append(streamId, events, Number.MAX_SAFE_INTEGER).catch((error: unknown) => {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      });
    },
    storedEventIds: async () => {
      const ids: string[] = [];
      for await (const { event } of client.readAll()) {
        if (event && !event.type.startsWith('$') && !event.streamId.startsWith('$')) ids.push(event.id);
      }
      return ids;
    },
    close: async () => {
      await store.close();
      await client.dispose();
    },
  };
}
