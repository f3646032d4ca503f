import { createHash } from 'node:crypto';

/** Tokens are only ever kept as this hash: in memory, and as the name of their stream. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
