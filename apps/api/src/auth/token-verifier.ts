import { timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import type { Clock } from '@salesledger/domain/clock.port';
import type { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import type { DomainEvent } from '@salesledger/domain/decider';
import { tokenDecider, userDecider, type TokenData } from '@salesledger/domain/organisation/organisation.deciders';
import { streams } from '@salesledger/domain/streams';
import { OUTBOUND } from '@salesledger/postgres/schemas';
import { load } from '@salesledger/sales/shared/load';
import { tokenHash } from '@salesledger/sales/shared/token-hash';

/** How long a verdict is reused: a revocation reaches every replica within this. */
const VERDICT_MS = 1000;
/** How often a token's last use is written, at most. */
const USAGE_MS = 60_000;

interface Verdict {
  readonly principal?: Principal;
  readonly tokenId?: string;
  readonly until: number;
}

/**
 * Resolves a bearer token to its principal. Tokens are only ever kept as SHA-256 hashes: the
 * bootstrap token in memory, issued ones as the name of their stream. An issued token counts while
 * it is not expired, not revoked and its user not deactivated, as the user's stream says now.
 */
export class TokenVerifier {
  private readonly bootstrapDigest?: Buffer;
  private readonly verdicts = new Map<string, Verdict>();
  private readonly usageWritten = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly readModel: Pool,
    private readonly clock: Clock,
    bootstrapToken: string | undefined,
  ) {
    this.bootstrapDigest = bootstrapToken ? Buffer.from(tokenHash(bootstrapToken), 'hex') : undefined;
  }

  async verify(token: string): Promise<Principal | undefined> {
    const hash = tokenHash(token);
    if (this.bootstrapDigest && timingSafeEqual(Buffer.from(hash, 'hex'), this.bootstrapDigest)) {
      return { userId: 'bootstrap-admin', role: 'admin' };
    }
    const now = this.clock.now().getTime();
    let verdict = this.verdicts.get(hash);
    if (!verdict || verdict.until <= now) {
      verdict = { ...(await this.resolve(hash, now)), until: now + VERDICT_MS };
      this.remember(hash, verdict, now);
    }
    if (verdict.tokenId && verdict.principal) this.used(verdict.tokenId, now);
    return verdict.principal;
  }

  private async resolve(hash: string, now: number): Promise<Omit<Verdict, 'until'>> {
    const events = await this.store.readStream<DomainEvent<'TokenIssued', TokenData>>(streams.token(hash));
    const issued = events.reduce(tokenDecider.evolve, tokenDecider.initialState);
    if (!issued.registered) return {};
    const tokenId = issued.tokenId ?? (events[0]?.eventId as string);
    if (issued.expiresAt && Date.parse(issued.expiresAt) <= now) return { tokenId };
    const user = await load(this.store, streams.user(issued.userId), userDecider);
    if (!user.registered || !user.active || user.revokedTokens.includes(tokenId)) return { tokenId };
    return { tokenId, principal: { userId: user.id, role: user.role, teamId: user.teamId, repId: user.repId } };
  }

  /** Bounded: a flood of made-up tokens must not grow the process without end. */
  private remember(hash: string, verdict: Verdict, now: number): void {
    if (this.verdicts.size >= 10_000)
      for (const [key, old] of this.verdicts) if (old.until <= now) this.verdicts.delete(key);
    if (this.verdicts.size < 10_000) this.verdicts.set(hash, verdict);
  }

  /** Best effort: a failed write only leaves `lastUsedAt` older. */
  private used(tokenId: string, now: number): void {
    if ((this.usageWritten.get(tokenId) ?? 0) + USAGE_MS > now) return;
    this.usageWritten.set(tokenId, now);
    void this.readModel
      .query(
        `INSERT INTO ${OUTBOUND}.token_usage (token_id, last_used_at) VALUES ($1, $2)
         ON CONFLICT (token_id) DO UPDATE SET last_used_at = greatest(token_usage.last_used_at, excluded.last_used_at)`,
        [tokenId, new Date(now).toISOString()],
      )
      .catch(() => this.usageWritten.delete(tokenId));
  }
}
