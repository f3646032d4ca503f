import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { InvalidInputError } from './errors';
import type { LogMark } from './log-verification';

const FORMAT = 'salesledger-audit-anchor/1';

/** What an anchor vouches for: the sealed log up to `seq` hashes to `chain`. */
export interface AnchorStatement extends LogMark {
  readonly format: typeof FORMAT;
  readonly issuedAt: string;
}

/** The statement, the Ed25519 signature over its canonical JSON, and the public key that made it. */
export interface SignedAnchor {
  readonly statement: AnchorStatement;
  readonly publicKey: string;
  readonly signature: string;
}

export function signAnchor(mark: LogMark, issuedAt: string, privateKey: KeyObject): SignedAnchor {
  const statement: AnchorStatement = { format: FORMAT, seq: mark.seq, chain: mark.chain, issuedAt };
  const signature = sign(null, Buffer.from(canonicalJson(statement)), privateKey);
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { statement, publicKey: publicKey.toString('base64'), signature: signature.toString('base64') };
}

/**
 * Parses an anchor and checks its signature against `trusted` (the configured key). The key inside
 * the file is only compared with it: someone able to rewrite the log could sign with a key of their own.
 */
export function openAnchor(text: string, trusted: KeyObject): AnchorStatement {
  const anchor = parse(text);
  const expectedKey = createPublicKey(trusted).export({ type: 'spki', format: 'der' }).toString('base64');
  if (anchor.publicKey !== expectedKey) throw invalid('it was signed with another key than the configured audit key');
  const signed = Buffer.from(canonicalJson(anchor.statement));
  if (!verify(null, signed, createPublicKey(trusted), Buffer.from(anchor.signature, 'base64')))
    throw invalid('its signature does not match its statement');
  return anchor.statement;
}

function parse(text: string): SignedAnchor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  const anchor = value as Partial<SignedAnchor> | null;
  const statement = anchor?.statement;
  const wellFormed =
    statement?.format === FORMAT &&
    Number.isSafeInteger(statement.seq) &&
    statement.seq >= 0 &&
    (statement.chain === null || (typeof statement.chain === 'string' && /^[0-9a-f]{64}$/.test(statement.chain))) &&
    typeof statement.issuedAt === 'string' &&
    typeof anchor?.publicKey === 'string' &&
    typeof anchor.signature === 'string';
  if (!wellFormed) throw invalid(`not a ${FORMAT} statement`);
  return anchor as SignedAnchor;
}

const invalid = (message: string) => new InvalidInputError([{ field: 'anchor', message }]);
