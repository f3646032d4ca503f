import { Injectable } from '@nestjs/common';
import {
  COMPANY_SETTINGS_STREAM,
  companySettingsDecider,
  type CompanySettings,
} from '@salesledger/domain/company/company-settings.decider';
import { customerDecider, type CustomerData } from '@salesledger/domain/customers/customer.decider';
import { NotFoundError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import { repDecider } from '@salesledger/domain/organisation/rep.decider';
import {
  teamDecider,
  userDecider,
  type TeamData,
  type UserData,
} from '@salesledger/domain/organisation/organisation.deciders';
import { streams } from '@salesledger/domain/streams';
import { load, loadRegistered } from './load';

/**
 * What commands check before they decide: that the entities they name exist, and whose they are.
 * Read from the entities' streams, so a check is never behind the log.
 */
@Injectable()
export class Lookups {
  constructor(private readonly store: EventStore) {}

  /** The rep and the team it belongs to: what ownership checks need. */
  async repOwnership(repId: string): Promise<{ repId: string; teamId: string }> {
    const rep = await load(this.store, streams.rep(repId), repDecider);
    if (rep.status === 'none') throw new NotFoundError(`rep ${repId} does not exist`);
    return { repId, teamId: rep.teamId };
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

  customer(customerId: string): Promise<CustomerData> {
    return loadRegistered(this.store, streams.customer(customerId), customerDecider, `customer ${customerId}`);
  }
}
