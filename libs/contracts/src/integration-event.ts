import { createHash } from 'node:crypto';
import type { Actor, JsonObject, RecordedEvent, RecordedEventJson } from '@salesledger/domain/event';
import { SCHEMA_VERSION } from './schemas/schema-parts';

/**
 * What the relay publishes for one stored event (key: `streamId`). The hash chain, correlation and
 * causation ids and the command's id and fingerprint stay internal: they serve auditing and retries
 * inside Salesledger, and the command id of a token is the token's hash.
 */
export interface IntegrationEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: Type;
  /** Version of the type's data shape; 1 for every type on `salesledger.events.v1`. */
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly data: Data;
}

/**
 * Version 1 of the public shape. Data is published as the domain holds it: no type's data holds
 * anything internal, and the schemas are closed, so a field added in the domain but not to its
 * schema fails validation. Types this version does not know are published alike. Token streams are
 * renamed: see `publicStreamId`.
 */
export function toIntegrationEvent(event: RecordedEvent): IntegrationEvent {
  return { ...envelopeOf(event), data: event.data };
}

/** The message of a stored event as JSON text, its data spliced in as the store holds it, never parsed. */
export function integrationEventJson(event: RecordedEventJson): {
  readonly envelope: IntegrationEventEnvelope;
  readonly json: string;
} {
  const envelope = envelopeOf(event);
  // data comes last, as in toIntegrationEvent's messages.
  return { envelope, json: `${JSON.stringify(envelope).slice(0, -1)},"data":${event.dataJson}}` };
}

/** A message without its data. */
export type IntegrationEventEnvelope = Omit<IntegrationEvent, 'data'>;

function envelopeOf(event: Omit<RecordedEvent, 'data'>): IntegrationEventEnvelope {
  return {
    id: event.eventId,
    type: event.type,
    schemaVersion: SCHEMA_VERSION,
    streamId: publicStreamId(event.streamId),
    revision: event.revision,
    position: event.position,
    recordedAt: event.metadata.recordedAt,
    actor: { userId: event.metadata.actor.userId, role: event.metadata.actor.role },
  };
}

const TOKEN_STREAM = 'token-';

/**
 * A token's stream is named after the token's SHA-256, which the API looks tokens up by: it stays
 * internal. The published id is a second, domain-separated hash of it: stable, so every event of
 * the stream keeps one key (and one partition, in order), and it leads back to neither the token
 * nor the stored stream.
 */
export function publicStreamId(streamId: string): string {
  if (!streamId.startsWith(TOKEN_STREAM)) return streamId;
  const pseudonym = createHash('sha256').update(`salesledger.events.v1/token-stream/${streamId}`).digest('hex');
  return `${TOKEN_STREAM}${pseudonym.slice(0, 32)}`;
}

/**
 * The inverse, for consumers that feed the projections. What the message lacks gets neutral
 * values: each message starts its own causal chain (correlation and causation are its id), the
 * hash is empty (the audit trail is verified against the store, never a topic), and the
 * checkpoint is the position, which is no store checkpoint: Kafka consumers resume from offsets.
 * Types this version does not know pass through unchanged; projections ignore them.
 */
export function toRecordedEvent(message: IntegrationEvent): RecordedEvent {
  return {
    eventId: message.id,
    type: message.type,
    data: message.data,
    metadata: {
      actor: { userId: message.actor.userId, role: message.actor.role },
      correlationId: message.id,
      causationId: message.id,
      recordedAt: message.recordedAt,
    },
    streamId: message.streamId,
    revision: message.revision,
    position: message.position,
    checkpoint: String(message.position),
    hash: '',
  };
}

/** The Kafka headers the relay sets, so consumers can route and dedupe without parsing the value. */
export function integrationEventHeaders(message: IntegrationEventEnvelope): Record<string, string> {
  return {
    'event-id': message.id,
    'event-type': message.type,
    position: String(message.position),
    'schema-version': String(message.schemaVersion),
    'content-type': 'application/json',
  };
}
