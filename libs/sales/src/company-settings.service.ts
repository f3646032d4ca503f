import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import {
  COMPANY_SETTINGS_STREAM,
  companySettingsDecider,
  type CompanySettings,
  type CompanySettingsCommand,
} from '@salesledger/domain/company/company-settings.decider';
import { EventStore } from '@salesledger/domain/event-store.port';
import { assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { commandContext } from './command-context';
import { load } from './load';

/** Company-wide rules, changed by directors; changes are events like any other, so they are audited. */
@Injectable()
export class CompanySettingsService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  current(): Promise<CompanySettings> {
    return load(this.store, COMPANY_SETTINGS_STREAM, companySettingsDecider);
  }

  async change(principal: Principal, command: CompanySettingsCommand): Promise<CompanySettings> {
    assertMayWrite(principal, 'company settings');
    const context = commandContext(principal, randomUUID(), this.clock);
    return (await handleCommand(this.store, COMPANY_SETTINGS_STREAM, companySettingsDecider, command, context)).state;
  }
}
