import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemoOrganisation } from '@salesledger/demo/demo-organisation';
import { withDataJson, type RecordedEvent } from '@salesledger/domain/event';
import { streams } from '@salesledger/domain/streams';
import { tokenHash } from '@salesledger/sales/shared/token-hash';
import { domainSamples, SAMPLE_TOKEN } from '../../../test/support/domain-samples';
import { MemoryEventStore } from '../../../test/support/memory-event-store';
import {
  integrationEventHeaders,
  integrationEventJson,
  toIntegrationEvent,
  toRecordedEvent,
  type IntegrationEvent,
} from './integration-event';
import { INTEGRATION_EVENT_SCHEMAS, isKnownEventType, validateIntegrationEvent } from './integration-event-schemas';

const DOMAIN_SOURCES = join(__dirname, '../../domain/src');
const DEMO_TYPES = ['DemoSeedingStarted', 'DemoSeedingFinished'];
const INTERNAL_KEYS = [
  'hash',
  'checkpoint',
  'metadata',
  'correlationId',
  'causationId',
  'commandId',
  'commandFingerprint',
];

/** Event types as the deciders declare them: `DomainEvent<'A' | 'B', ...>` and `registrationDecider<'C', ...>`. */
function declaredEventTypes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declaredEventTypes(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts')) return [];
    const source = readFileSync(path, 'utf8');
    const unions = [...source.matchAll(/(?:DomainEvent|registrationDecider)<\s*('\w+'(?:\s*\|\s*'\w+')*)/g)];
    return unions.flatMap((match) => [...(match[1] as string).matchAll(/'(\w+)'/g)].map((name) => name[1] as string));
  });
}

const keysDeep = (value: unknown): string[] =>
  typeof value !== 'object' || value === null
    ? []
    : Object.entries(value).flatMap(([key, inner]) => [...(Array.isArray(value) ? [] : [key]), ...keysDeep(inner)]);

const invalidOnly = (events: RecordedEvent[]) =>
  events
    .map((event) => ({ type: event.type, result: validateIntegrationEvent(toIntegrationEvent(event)) }))
    .filter(({ result }) => !result.valid);

let samples: RecordedEvent[];
beforeAll(async () => {
  samples = await domainSamples();
});

const sampleOf = (type: string): RecordedEvent => {
  const sample = samples.find((event) => event.type === type);
  if (!sample) throw new Error(`no ${type} sample`);
  return sample;
};

describe('the schemas', () => {
  it('cover every event type the domain declares, and nothing it no longer does', () => {
    const declared = new Set(declaredEventTypes(DOMAIN_SOURCES));
    expect(declared.size).toBeGreaterThan(30);
    expect(Object.keys(INTEGRATION_EVENT_SCHEMAS).sort()).toEqual([...declared, ...DEMO_TYPES].sort());
  });

  it('each name their type in their $id', () => {
    for (const [type, schema] of Object.entries(INTEGRATION_EVENT_SCHEMAS))
      expect(schema.$id).toBe(`https://salesledger.dev/schemas/events/v1/${type}.json`);
  });

  it('are all documented for the BI teams', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/integration-events.md'), 'utf8');
    const missing = Object.keys(INTEGRATION_EVENT_SCHEMAS).filter((type) => !doc.includes(`v1/${type}.json`));
    expect(missing).toEqual([]);
  });
});

describe('a published event', () => {
  it('exists, from the real deciders, for every domain event type', () => {
    const sampled = new Set(samples.map((event) => event.type));
    const unsampled = Object.keys(INTEGRATION_EVENT_SCHEMAS).filter((t) => !sampled.has(t) && !DEMO_TYPES.includes(t));
    expect(unsampled).toEqual([]);
  });

  it('is valid against its schema, for every sample', () => {
    expect(invalidOnly(samples)).toEqual([]);
  });

  it('carries the envelope and nothing internal', () => {
    for (const event of samples) {
      const message = toIntegrationEvent(event);
      const json = JSON.stringify(message);
      expect(Object.keys(message).sort()).toEqual(
        ['actor', 'data', 'id', 'position', 'recordedAt', 'revision', 'schemaVersion', 'streamId', 'type'].sort(),
      );
      expect(keysDeep(message).filter((key) => INTERNAL_KEYS.includes(key))).toEqual([]);
      const { correlationId, causationId, commandFingerprint } = event.metadata;
      for (const secret of [event.hash, correlationId, causationId, commandFingerprint])
        expect(json).not.toContain(secret);
    }
  });

  it('gives a consumer back everything the projections read', () => {
    for (const event of samples) {
      const back = toRecordedEvent(toIntegrationEvent(event));
      const { type, data, streamId, revision, position, eventId } = back;
      expect({ type, data, streamId, revision, position, eventId }).toEqual({
        type: event.type,
        data: event.data,
        streamId: event.type === 'TokenIssued' ? streamId : event.streamId,
        revision: event.revision,
        position: event.position,
        eventId: event.eventId,
      });
      expect(back.metadata).toMatchObject({ recordedAt: event.metadata.recordedAt, actor: event.metadata.actor });
    }
  });

  it('fills what the message lacks with neutral values', () => {
    const back = toRecordedEvent(toIntegrationEvent(sampleOf('OrderPlaced')));
    expect(back).toMatchObject({ hash: '', checkpoint: String(back.position) });
    expect(back.metadata).toEqual({
      actor: back.metadata.actor,
      recordedAt: back.metadata.recordedAt,
      correlationId: back.eventId,
      causationId: back.eventId,
    });
  });

  it('is the same message when built from data kept as JSON text, as the relay publishes it', () => {
    for (const event of samples) {
      const { envelope, json } = integrationEventJson(withDataJson(event));
      expect(JSON.parse(json)).toEqual(toIntegrationEvent(event));
      expect(json).toBe(JSON.stringify(toIntegrationEvent(event)));
      expect(integrationEventHeaders(envelope)).toEqual(integrationEventHeaders(toIntegrationEvent(event)));
    }
  });

  it('has the headers the relay sets', () => {
    const message = toIntegrationEvent(sampleOf('VisitLogged'));
    expect(integrationEventHeaders(message)).toEqual({
      'event-id': message.id,
      'event-type': 'VisitLogged',
      position: String(message.position),
      'schema-version': '1',
      'content-type': 'application/json',
    });
  });
});

describe('a token issued', () => {
  const hash = tokenHash(SAMPLE_TOKEN);

  it('is published under a stable pseudonym: neither the token nor its hash appear', () => {
    const event = sampleOf('TokenIssued');
    expect(event.streamId).toBe(streams.token(hash));
    const message = toIntegrationEvent(event);
    expect(message.streamId).toMatch(/^token-[0-9a-f]{32}$/);
    expect(toIntegrationEvent(event).streamId).toBe(message.streamId);
    const published = JSON.stringify([message, integrationEventHeaders(message)]);
    for (const secret of [SAMPLE_TOKEN, hash, hash.slice(0, 32), hash.slice(32)])
      expect(published).not.toContain(secret);
  });

  it('is refused with the stored stream id', () => {
    const message = { ...toIntegrationEvent(sampleOf('TokenIssued')), streamId: streams.token(hash) };
    expect(validateIntegrationEvent(message)).toEqual({
      valid: false,
      errors: ['/streamId must match pattern "^token-[0-9a-f]{32}$"'],
    });
  });
});

type Message = Record<string, any>;

describe('a wrong message', () => {
  it.each<[string, string, (m: Message) => void, string]>([
    [
      'lacks a data field',
      'OrderPlaced',
      (m) => delete m.data.customerId,
      "/data must have required property 'customerId'",
    ],
    [
      'lacks an envelope field',
      'OrderPlaced',
      (m) => delete m.recordedAt,
      "(message) must have required property 'recordedAt'",
    ],
    ['has a wrong type', 'OrderPlaced', (m) => (m.revision = '3'), '/revision must be integer'],
    ['has money as a number', 'OrderPlaced', (m) => (m.data.netAmount = 53.98), '/data/netAmount must be string'],
    [
      'has an extra envelope property',
      'OrderPlaced',
      (m) => (m.hash = 'ab12'),
      '(message) must NOT have additional properties: "hash"',
    ],
    [
      'has an extra data property',
      'OrderPlaced',
      (m) => (m.data.lines[0].margin = 3),
      '/data/lines/0 must NOT have additional properties: "margin"',
    ],
    [
      'has an unknown role',
      'VisitLogged',
      (m) => (m.actor.role = 'owner'),
      '/actor/role must be equal to one of the allowed values',
    ],
    [
      'has an unknown visit kind',
      'VisitLogged',
      (m) => (m.data.kind = 'cold-call'),
      '/data/kind must be equal to one of the allowed values: ["prospecting","existing-customer","follow-up"]',
    ],
    [
      'has an unknown alert rule',
      'AlertRaised',
      (m) => (m.data.rule = 'too-quiet'),
      '/data/rule must be equal to one of the allowed values',
    ],
    [
      'has a malformed instant',
      'OrderPlaced',
      (m) => (m.recordedAt = 'yesterday'),
      '/recordedAt must match format "date-time"',
    ],
    ['has a malformed day', 'RepLeft', (m) => (m.data.leftOn = '2026-02-30'), '/data/leftOn must match format "date"'],
    [
      'has another schema version',
      'OrderPlaced',
      (m) => (m.schemaVersion = 2),
      '/schemaVersion must be equal to constant: 1',
    ],
    [
      'is in the wrong stream',
      'OrderPlaced',
      (m) => (m.streamId = 'visit-o-1'),
      '/streamId must match pattern "^order-."',
    ],
  ])('is refused when it %s', (_name, type, spoil, error) => {
    const message = structuredClone(toIntegrationEvent(sampleOf(type))) as Message;
    spoil(message);
    const result = validateIntegrationEvent(message);
    expect(result.valid).toBe(false);
    expect(result.valid ? [] : result.errors.join('\n')).toContain(error);
  });

  it.each([null, 'OrderPlaced', 42, [], {}])('is refused, not thrown on, when it is %p', (message) => {
    expect(validateIntegrationEvent(message).valid).toBe(false);
  });
});

describe('an event of a type this version does not know', () => {
  const newer = (): IntegrationEvent => ({
    ...toIntegrationEvent(sampleOf('RepHired')),
    type: 'RepPromoted',
    data: { level: 'senior', since: '2026-04-01' },
  });

  it('is valid when its envelope is', () => {
    expect(validateIntegrationEvent(newer())).toEqual({ valid: true });
    expect(validateIntegrationEvent({ ...newer(), revision: -1 }).valid).toBe(false);
  });

  it('passes through to the consumer unchanged', () => {
    const back = toRecordedEvent(newer());
    expect(back).toMatchObject({ type: 'RepPromoted', data: { level: 'senior', since: '2026-04-01' } });
    expect(toIntegrationEvent(back)).toEqual(newer());
  });
});

describe('the demo organisation', () => {
  it('publishes only known, valid events', async () => {
    const store = new MemoryEventStore();
    await seedDemoOrganisation(store, new Date('2026-03-15T12:00:00.000Z'));
    const events = await store.readAll(null, Number.MAX_SAFE_INTEGER);
    expect(events.filter((event) => !isKnownEventType(event.type)).map((e) => e.type)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(DEMO_TYPES));
    expect(invalidOnly(events)).toEqual([]);
  });
});
