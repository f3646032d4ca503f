import type { Role } from '@salesledger/domain/event';

/** A JSON Schema (draft 2020-12) as plain data, so it ships in the swc build and serialises as is. */
export type JsonSchema = { readonly [keyword: string]: unknown };

const SCHEMA_DRAFT = 'https://json-schema.org/draft/2020-12/schema';
export const SCHEMA_BASE = 'https://salesledger.dev/schemas/events/v1';
/** Every type's data shape is version 1 on `salesledger.events.v1`; see docs/integration-events.md. */
export const SCHEMA_VERSION = 1;

const schemaId = (type: string): string => `${SCHEMA_BASE}/${type}.json`;

/** An object with exactly these properties: anything undocumented makes a message invalid. */
export function closed(required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(required),
    properties: { ...required, ...optional },
  };
}

/** A map whose keys are ids chosen by clients (team ids, rep ids, categories). */
export const mapOf = (values: JsonSchema): JsonSchema => ({ type: 'object', additionalProperties: values });

/** Takes a record so the compiler insists on every member of the union, and on nothing else. */
export const enumOf = <Value extends string>(members: Record<Value, true>): JsonSchema => ({
  type: 'string',
  enum: Object.keys(members),
});

/** Ids are chosen by clients (letters, digits, `_ . : -` on input), not UUIDs. */
export const id: JsonSchema = { type: 'string', minLength: 1 };
export const text: JsonSchema = { type: 'string' };
export const flag: JsonSchema = { type: 'boolean' };
export const count: JsonSchema = { type: 'integer', minimum: 0 };
export const day: JsonSchema = { type: 'string', format: 'date' };
/** Instants the server makes (its clock, computed due times): always RFC 3339 in UTC. */
export const instant: JsonSchema = { type: 'string', format: 'date-time' };
/**
 * Instants a client sent (when a visit happened, an order was placed): kept as sent, because the
 * figures are computed from them. The API accepts any strict ISO-8601 form, so the seconds or the
 * offset may be missing; a time without an offset is UTC.
 */
export const clientInstant: JsonSchema = {
  type: 'string',
  minLength: 4,
  description: 'ISO-8601 as the client sent it, e.g. 2026-03-02T09:30:00Z; without an offset it is UTC',
};
/** Amounts are decimal strings with two places, so sums never drift through binary floats. */
export const money: JsonSchema = { type: 'string', pattern: '^(0|[1-9][0-9]*)\\.[0-9]{2}$' };
export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

const ROLE = enumOf<Role>({
  admin: true,
  director: true,
  manager: true,
  rep: true,
  analyst: true,
  system: true,
});

/** The full message schema of one event type: the common envelope around the type's data. */
export const eventSchema = (type: string, spec: EnvelopeSpec): JsonSchema =>
  envelopeSchema(schemaId(type), type, { const: type }, spec);

interface EnvelopeSpec {
  readonly stream: string;
  readonly description: string;
  readonly data: JsonSchema;
}

export function envelopeSchema($id: string, title: string, type: JsonSchema, spec: EnvelopeSpec): JsonSchema {
  return {
    $schema: SCHEMA_DRAFT,
    $id,
    title,
    description: spec.description,
    ...closed({
      id: { type: 'string', format: 'uuid', description: 'event id: the same on every redelivery' },
      type,
      schemaVersion: { const: SCHEMA_VERSION },
      streamId: { type: 'string', pattern: spec.stream, description: 'the message key' },
      revision: { ...count, description: "the event's place in its stream, from 0" },
      position: { ...count, description: "the event's place in the whole log" },
      recordedAt: instant,
      actor: closed({ userId: id, role: ROLE }),
      data: spec.data,
    }),
  };
}

/** Stream ids are `<prefix>-<id>`: the id of the entity an event is about is the rest of its stream id. */
export const streamOf = (prefix: string): string => `^${prefix}-.`;
