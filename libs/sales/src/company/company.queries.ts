import { QueryHandler } from '@nestjs/cqrs';
import { companyPlanDecider, type CompanyPlan } from '@salesledger/domain/company/company-plan.decider';
import type { CompanySettings } from '@salesledger/domain/company/company-settings.decider';
import { NotFoundError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { streams } from '@salesledger/domain/streams';
import { AppQuery, AppQueryHandler, type Access } from '../bus/application-bus';
import { load } from '../shared/load';
import { Lookups } from '../shared/lookups';

export class GetSettings extends AppQuery<CompanySettings> {}

export class GetCompanyPlan extends AppQuery<CompanyPlan & { version: number }> {
  constructor(
    principal: Principal,
    readonly year: number,
  ) {
    super(principal);
  }
}

/** The rules everyone works under: every signed-in user may read them. */
@QueryHandler(GetSettings)
export class GetSettingsHandler extends AppQueryHandler<GetSettings> {
  constructor(private readonly lookups: Lookups) {
    super();
  }

  access(): Access {
    return 'none';
  }

  handle() {
    return this.lookups.settings();
  }
}

@QueryHandler(GetCompanyPlan)
export class GetCompanyPlanHandler extends AppQueryHandler<GetCompanyPlan> {
  constructor(private readonly store: EventStore) {
    super();
  }

  access(): Access {
    return { resource: 'company plans' };
  }

  async handle({ year }: GetCompanyPlan) {
    const state = await load(this.store, streams.companyPlan(year), companyPlanDecider);
    if (!state.plan) throw new NotFoundError(`no company plan for ${year}`);
    return { ...state.plan, version: state.version };
  }
}

export const COMPANY_QUERY_HANDLERS = [GetSettingsHandler, GetCompanyPlanHandler];
