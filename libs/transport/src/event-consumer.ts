import type { Logger } from 'pino';
import { toRecordedEvent } from '@salesledger/contracts/integration-event';
import type { RecordedEvent } from '@salesledger/domain/event';
import { EVENT_PARTITIONS, type KafkaNames } from './topics';
import type { Consumption, Transport } from './transport.port';

export interface EventConsumerOptions {
  /** The event a batch stopped on, once it is pinned down (for status and alerting). */
  readonly onFailure?: (event: RecordedEvent, error: unknown) => Promise<void>;
  readonly log?: Logger;
}

/**
 * Joins a consumer group on the events topic and hands the partitions' batches, as domain events, to
 * `apply`: the batches of several partitions delivered together in one call (see `together`). A
 * failing batch is tried again event by event, so the one that fails is named; it then throws, the
 * offsets stay put and the broker delivers the batch again until a fix gets past it.
 */
export function consumeEvents(
  kafka: { readonly transport: Transport; readonly names: KafkaNames },
  groupId: string,
  apply: (events: RecordedEvent[]) => Promise<unknown>,
  { onFailure, log }: EventConsumerOptions = {},
): Promise<Consumption> {
  const applyTogether = together(apply, MAX_EVENTS_TOGETHER);
  return kafka.transport.consume({
    groupId,
    topic: kafka.names.events,
    concurrentPartitions: EVENT_PARTITIONS,
    handle: async (messages) => {
      const events = messages.flatMap((m) => (m.value === null ? [] : [toRecordedEvent(JSON.parse(m.value))]));
      try {
        await applyTogether(events);
      } catch (batchError) {
        if (events.length === 1) await onFailure?.(events[0] as RecordedEvent, batchError);
        if (events.length <= 1) throw batchError;
        // Outside `together`: the lock applyDelivered takes orders these with its calls.
        for (const event of events) {
          try {
            await apply([event]);
          } catch (error) {
            log?.error(
              { err: error, position: event.position, type: event.type, groupId },
              'event could not be applied',
            );
            await onFailure?.(event, error);
            throw error;
          }
        }
      }
    },
  });
}

/**
 * At most about one partition's fetch (kafkajs asks for 1 MB a partition): a transaction no larger
 * than a batch was holds the projection's lock, and the partitions it covers, no longer than it did
 * with a transaction per batch.
 */
const MAX_EVENTS_TOGETHER = 2000;

/**
 * Makes one call of `apply` (for the projector, one transaction) of the batches handed over while
 * the call before it runs, or in the same turn of the event loop, up to `maxItems` items unless a
 * batch alone holds more; one call at a time. A broker delivers a batch per partition; applied one
 * by one, the batches of six partitions took six transactions' fixed cost where one does. A call
 * that fails is made again for each of its batches alone, so the others' are applied and only the
 * bad batch fails.
 */
export function together<T>(
  apply: (items: T[]) => Promise<unknown>,
  maxItems = Infinity,
): (items: T[]) => Promise<void> {
  const waiting: { items: T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let running = false;
  const alone = async (batch: (typeof waiting)[number]) => {
    try {
      await apply(batch.items);
      batch.resolve();
    } catch (error) {
      batch.reject(error);
    }
  };
  const run = async () => {
    while (waiting.length > 0) {
      // The batches waiting longest, as many as fit in maxItems (the first whatever its size).
      let count = 1;
      let size = waiting[0]?.items.length ?? 0;
      for (; count < waiting.length; count++) {
        size += waiting[count]?.items.length ?? 0;
        if (size > maxItems) break;
      }
      const group = waiting.splice(0, count);
      try {
        await apply(group.flatMap((batch) => batch.items));
        for (const batch of group) batch.resolve();
      } catch (error) {
        if (group.length === 1) group[0]?.reject(error);
        else for (const batch of group) await alone(batch);
      }
    }
    running = false;
  };
  return (items) =>
    new Promise((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (running) return;
      running = true;
      // The partitions' batches of one fetch are handed over in the same turn: let them all come.
      setImmediate(() => void run());
    });
}
