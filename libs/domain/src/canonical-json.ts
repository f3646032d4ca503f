import { configure } from 'safe-stable-stringify';

/**
 * Sorted keys and ES number/string serialisation: RFC 8785 canonical JSON for JSON values (the
 * equivalence with a JCS implementation is a property test). Not strict: the string hashed is the
 * string stored, so anything non-JSON is dropped alike from both.
 */
export const canonicalJson = configure({ deterministic: true, circularValue: Error }) as (value: unknown) => string;

/** Equal as JSON values, whatever the key order (stores may reorder keys). */
export const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);
