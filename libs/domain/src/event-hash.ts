import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { NewEvent } from './event';

/**
 * SHA-256 of an event's content in RFC 8785 canonical JSON, so the digest survives any store's
 * re-serialisation (key order, whitespace) of the same values.
 */
export function eventDigest(streamId: string, event: NewEvent): Buffer {
  const content = canonicalize({
    streamId,
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });
  return createHash('sha256').update(content ?? '').digest();
}

/** Link i of a stream's chain: sha256(hash of link i-1 || digest of event i || revision as int64 BE). */
export function chainHash(previous: Buffer | null, digest: Buffer, revision: number): Buffer {
  const revisionBytes = Buffer.alloc(8);
  revisionBytes.writeBigInt64BE(BigInt(revision));
  return createHash('sha256')
    .update(previous ?? Buffer.alloc(0))
    .update(digest)
    .update(revisionBytes)
    .digest();
}
