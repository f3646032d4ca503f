import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import type { JsonObject, NewEvent } from './event';
import { chainHash, eventDigest } from './event-hash';

const event = (data: JsonObject): NewEvent => ({
  eventId: '4a0c5c43-3f7e-4e8c-9d55-2f1c1f0d5b11',
  type: 'OrderPlaced',
  data,
  metadata: {
    actor: { userId: 'u1', role: 'rep' },
    correlationId: 'c',
    causationId: 'c',
    recordedAt: '2026-03-02T09:30:00.000Z',
  },
});

describe('event digest', () => {
  it('is the SHA-256 of the RFC 8785 canonical JSON of the event, for any JSON data', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary' })),
        fc.string({ minLength: 1, unit: 'binary' }),
        (data, streamId) => {
          const e = event(data as JsonObject);
          const reference = canonicalize({
            streamId,
            eventId: e.eventId,
            type: e.type,
            data: e.data,
            metadata: e.metadata,
          });
          expect(eventDigest(streamId, e).toString('hex')).toBe(
            createHash('sha256')
              .update(reference ?? '')
              .digest('hex'),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('does not depend on key order', () => {
    expect(eventDigest('s', event({ a: 1, b: { c: [1, 'x'], d: null } }))).toEqual(
      eventDigest('s', event({ b: { d: null, c: [1, 'x'] }, a: 1 })),
    );
  });
});

describe('chain hash', () => {
  it('is sha256(previous || digest || revision as 8 bytes big-endian)', () => {
    const previous = Buffer.alloc(32, 1);
    const digest = Buffer.alloc(32, 2);
    const revision = Buffer.from([0, 0, 0, 0, 0, 0, 1, 2]);
    const expected = createHash('sha256').update(previous).update(digest).update(revision).digest();
    expect(chainHash(previous, digest, 258)).toEqual(expected);
    expect(chainHash(null, digest, 258)).toEqual(createHash('sha256').update(digest).update(revision).digest());
  });
});
