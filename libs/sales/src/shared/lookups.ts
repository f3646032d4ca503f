import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import {
  COMPANY_SETTINGS_STREAM,
  companySettingsDecider,
  type CompanySettings,
} from '@salesledger/domain/company/company-settings.decider';
import { customerDecider, type CustomerData } from '@salesledger/domain/customers/customer.decider';
import { NotFoundError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Ownership, Principal } from '@salesledger/domain/organisation/access.policy';
import { repDecider } from '@salesledger/domain/organisation/rep.decider';
import {
  teamDecider,
  userDecider,
  type TeamData,
  type UserData,
} from '@salesledger/domain/organisation/organisation.deciders';
import { streams } from '@salesledger/domain/streams';
import { load, loadRegistered } from './load';

/** Reps and customers known to exist, per process: enough for any organisation's working set. */
const KNOWN_IDS = 100_000;

/**
 * What commands check before they decide: that the entities they name exist, and whose they are.
 * Whatever can change is read from the entities' streams, so such a check is never behind the log.
 * Existence cannot change (no event unregisters a rep or a customer), so a rep or customer found
 * once is remembered and not read again: the hot commands (a visit, an order) then append with no
 * read before it.
 */
@Injectable()
export class Lookups {
  private readonly knownReps = new LRUCache<string, true>({ max: KNOWN_IDS });
  private readonly knownCustomers = new LRUCache<string, true>({ max: KNOWN_IDS });

  constructor(private readonly store: EventStore) {}

  /** The rep and the team it belongs to now: what ownership checks need. */
  async repOwnership(repId: string): Promise<{ repId: string; teamId: string }> {
    const rep = await load(this.store, streams.rep(repId), repDecider);
    if (rep.status === 'none') throw new NotFoundError(`rep ${repId} does not exist`);
    this.knownReps.set(repId, true);
    return { repId, teamId: rep.teamId };
  }

  /**
   * The owner of a rep's records as far as `principal`'s access turns on it. Of the access policy's
   * rules only a manager's (their own team) depends on the rep's team, which a move changes: for a
   * manager it is read now. Anyone else's verdict depends on the rep's id alone, so a rep known to
   * exist needs no read.
   */
  async repOwnershipFor(principal: Principal, repId: string): Promise<Ownership> {
    if (principal.role === 'manager' || !this.knownReps.has(repId)) return this.repOwnership(repId);
    return { repId };
  }

  /** Throws NotFoundError unless the customer is registered. */
  async customerExists(customerId: string): Promise<void> {
    if (!this.knownCustomers.has(customerId)) await this.customer(customerId);
  }

  team(teamId: string): Promise<TeamData> {
    return loadRegistered(this.store, streams.team(teamId), teamDecider, `team ${teamId}`);
  }

  user(userId: string): Promise<UserData> {
    return loadRegistered(this.store, streams.user(userId), userDecider, `user ${userId}`);
  }

  /** Company-wide rules as they stand: approval policy, holidays, papers due, alerts. */
  settings(): Promise<CompanySettings> {
    return load(this.store, COMPANY_SETTINGS_STREAM, companySettingsDecider);
  }

  async customer(customerId: string): Promise<CustomerData> {
    const customer = await loadRegistered(
      this.store,
      streams.customer(customerId),
      customerDecider,
      `customer ${customerId}`,
    );
    this.knownCustomers.set(customerId, true);
    return customer;
  }
}
