import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from '@salesledger/domain/event';

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/** Resolves a bearer token to the actor it stands for; tokens are only ever compared as hashes. */
export class TokenVerifier {
  private readonly bootstrapDigest?: Buffer;

  constructor(bootstrapToken: string | undefined) {
    this.bootstrapDigest = bootstrapToken ? digest(bootstrapToken) : undefined;
  }

  async verify(token: string): Promise<Actor | undefined> {
    if (this.bootstrapDigest && timingSafeEqual(digest(token), this.bootstrapDigest)) {
      return { userId: 'bootstrap-admin', role: 'admin' };
    }
    return undefined;
  }
}
