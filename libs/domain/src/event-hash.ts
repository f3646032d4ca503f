import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { NewEvent } from './event';

/** An event serialised once, for the digest and for the store's parameters alike. */
export interface SerializedEvent {
  readonly data: string;
  readonly metadata: string;
  readonly digest: Buffer;
}

export function serializeEvent(streamId: string, event: NewEvent): SerializedEvent {
  const data = canonicalJson(event.data);
  const metadata = canonicalJson(event.metadata);
  // Keys in canonical (sorted) order, so this is the canonical JSON of the whole object.
  const content = `{"data":${data},"eventId":${JSON.stringify(event.eventId)},"metadata":${metadata},"streamId":${JSON.stringify(streamId)},"type":${JSON.stringify(event.type)}}`;
  return { data, metadata, digest: hash('sha256', content, 'buffer') };
}

/** SHA-256 of the event's stream id, id, type, data and metadata in canonical JSON. */
export function eventDigest(streamId: string, event: NewEvent): Buffer {
  return serializeEvent(streamId, event).digest;
}

/** Link i of a stream's chain: sha256(hash of link i-1 || digest of event i || revision as int64 BE). */
export function chainHash(previous: Buffer | null, digest: Buffer, revision: number): Buffer {
  const link = Buffer.alloc((previous?.length ?? 0) + digest.length + 8);
  previous?.copy(link);
  digest.copy(link, previous?.length ?? 0);
  link.writeBigInt64BE(BigInt(revision), link.length - 8);
  return hash('sha256', link, 'buffer');
}

/** Link `seq` of the whole log's chain: sha256(link seq-1 || seq as int64 BE || the event's stream-chain hash). */
export function logChainHash(previous: Buffer | null, seq: number, eventHash: Buffer): Buffer {
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigInt64BE(BigInt(seq));
  return hash('sha256', Buffer.concat([previous ?? Buffer.alloc(0), seqBytes, eventHash]), 'buffer');
}
