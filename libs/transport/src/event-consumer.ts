import type { Logger } from 'pino';
import { toRecordedEvent } from '@salesledger/contracts/integration-event';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { KafkaNames } from './topics';
import type { Consumption, Transport } from './transport.port';

export interface EventConsumerOptions {
  /** The event a batch stopped on, once it is pinned down (for status and alerting). */
  readonly onFailure?: (event: RecordedEvent, error: unknown) => Promise<void>;
  readonly log?: Logger;
}

/**
 * Joins a consumer group on the events topic and hands each partition's batch, as domain events, to
 * `apply`. A failing batch is tried again event by event, so the one that fails is named; it then
 * throws, the offsets stay put and the broker delivers the batch again until a fix gets past it.
 */
export function consumeEvents(
  kafka: { readonly transport: Transport; readonly names: KafkaNames },
  groupId: string,
  apply: (events: RecordedEvent[]) => Promise<unknown>,
  { onFailure, log }: EventConsumerOptions = {},
): Promise<Consumption> {
  return kafka.transport.consume({
    groupId,
    topic: kafka.names.events,
    handle: async (messages) => {
      const events = messages.flatMap((m) => (m.value === null ? [] : [toRecordedEvent(JSON.parse(m.value))]));
      try {
        await apply(events);
      } catch (batchError) {
        if (events.length === 1) await onFailure?.(events[0] as RecordedEvent, batchError);
        if (events.length <= 1) throw batchError;
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
