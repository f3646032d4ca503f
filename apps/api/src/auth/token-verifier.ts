import { timingSafeEqual } from 'node:crypto';
import type { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { tokenDecider, userDecider } from '@salesledger/domain/organisation/organisation.deciders';
import { streams } from '@salesledger/domain/streams';
import { load } from '@salesledger/sales/shared/load';
import { tokenHash } from '@salesledger/sales/shared/token-hash';

/**
 * Resolves a bearer token to its principal. Tokens are only ever kept as SHA-256 hashes: the
 * bootstrap token in memory, issued ones as the name of their stream.
 */
export class TokenVerifier {
  private readonly bootstrapDigest?: Buffer;

  constructor(
    private readonly store: EventStore,
    bootstrapToken: string | undefined,
  ) {
    this.bootstrapDigest = bootstrapToken ? Buffer.from(tokenHash(bootstrapToken), 'hex') : undefined;
  }

  async verify(token: string): Promise<Principal | undefined> {
    const hash = tokenHash(token);
    if (this.bootstrapDigest && timingSafeEqual(Buffer.from(hash, 'hex'), this.bootstrapDigest)) {
      return { userId: 'bootstrap-admin', role: 'admin' };
    }
    const issued = await load(this.store, streams.token(hash), tokenDecider);
    if (!issued.registered) return undefined;
    const user = await load(this.store, streams.user(issued.userId), userDecider);
    if (!user.registered) return undefined;
    return { userId: user.id, role: user.role, teamId: user.teamId, repId: user.repId };
  }
}
