import { randomUUID } from 'node:crypto';
import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { companyPlanDecider, monthlyAmounts, type CompanyPlan } from '@salesledger/domain/company/company-plan.decider';
import {
  COMPANY_SETTINGS_STREAM,
  companySettingsDecider,
  type CompanySettings,
  type CompanySettingsCommand,
} from '@salesledger/domain/company/company-settings.decider';
import { InvalidInputError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { streams } from '@salesledger/domain/streams';
import { targetDecider } from '@salesledger/domain/targets/target.decider';
import { AppCommand, AppCommandHandler, type Access } from '../bus/application-bus';
import { commandContext } from '../shared/command-context';
import { Lookups } from '../shared/lookups';

type PlanResult = CompanyPlan & { version: number; repMonthTargets: number };

export class ChangeSettings extends AppCommand<CompanySettings> {
  constructor(
    principal: Principal,
    readonly command: CompanySettingsCommand,
  ) {
    super(principal);
  }
}

export class SetCompanyPlan extends AppCommand<PlanResult> {
  constructor(
    principal: Principal,
    readonly plan: CompanyPlan,
  ) {
    super(principal);
  }
}

/** Company-wide rules, changed by directors; changes are events like any other, so they are audited. */
@CommandHandler(ChangeSettings)
export class ChangeSettingsHandler extends AppCommandHandler<ChangeSettings> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {
    super();
  }

  access(): Access {
    return { resource: 'company settings' };
  }

  async handle({ principal, command }: ChangeSettings) {
    const context = commandContext(principal, randomUUID(), this.clock);
    return (await handleCommand(this.store, COMPANY_SETTINGS_STREAM, companySettingsDecider, command, context)).state;
  }
}

/**
 * The director's annual plan. The plan is one event; the rep monthly targets it implies are then
 * set in each target stream under ids derived from the plan's version, so a retried PUT finishes
 * an interrupted run without setting anything twice.
 */
@CommandHandler(SetCompanyPlan)
export class SetCompanyPlanHandler extends AppCommandHandler<SetCompanyPlan> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  access(): Access {
    return { resource: 'company plans' };
  }

  async handle({ principal, plan }: SetCompanyPlan) {
    await this.assertOrganisation(plan);
    const context = commandContext(principal, randomUUID(), this.clock);
    const stream = streams.companyPlan(plan.year);
    const { state } = await handleCommand(this.store, stream, companyPlanDecider, plan, context);
    const targets = await this.applyTargets(principal, state.version, state.plan as CompanyPlan);
    return { ...(state.plan as CompanyPlan), version: state.version, repMonthTargets: targets };
  }

  private async assertOrganisation(plan: CompanyPlan): Promise<void> {
    for (const [teamId, team] of Object.entries(plan.teams)) {
      await this.lookups.team(teamId);
      for (const repId of Object.keys(team.reps ?? {})) {
        const rep = await this.lookups.repOwnership(repId);
        if (rep.teamId !== teamId)
          throw new InvalidInputError([
            { field: `teams.${teamId}.reps.${repId}`, message: `rep is in team ${rep.teamId}` },
          ]);
      }
    }
  }

  private async applyTargets(principal: Principal, version: number, plan: CompanyPlan): Promise<number> {
    let applied = 0;
    for (const team of Object.values(plan.teams)) {
      for (const [repId, yearly] of Object.entries(team.reps ?? {})) {
        for (const [month, amount] of Object.entries(monthlyAmounts(plan, yearly))) {
          const reason = `company plan ${plan.year} v${version}: ${plan.reason}`;
          const context = commandContext(
            principal,
            `company-plan-${plan.year}-v${version}-${repId}-${month}`,
            this.clock,
          );
          const command = { kind: 'set' as const, repId, month, amount, reason };
          await handleCommand(this.store, streams.target(repId, month), targetDecider, command, context);
          applied++;
        }
      }
    }
    return applied;
  }
}

export const COMPANY_COMMAND_HANDLERS = [ChangeSettingsHandler, SetCompanyPlanHandler];
