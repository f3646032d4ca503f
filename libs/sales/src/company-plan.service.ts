import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { companyPlanDecider, monthlyAmounts, type CompanyPlan } from '@salesledger/domain/company/company-plan.decider';
import { InvalidInputError, NotFoundError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import { assertMayRead, assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { teamDecider } from '@salesledger/domain/organisation/organisation.deciders';
import { streams } from '@salesledger/domain/streams';
import { targetDecider } from '@salesledger/domain/targets/target.decider';
import { commandContext } from './command-context';
import { load, loadRegistered } from './load';
import { OrganisationService } from './organisation.service';

/**
 * The director's annual plan. The plan is one event; the rep monthly targets it implies are then
 * set in each target stream under ids derived from the plan's version, so a retried PUT finishes
 * an interrupted run without setting anything twice.
 */
@Injectable()
export class CompanyPlanService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly organisation: OrganisationService,
  ) {}

  async set(principal: Principal, plan: CompanyPlan) {
    assertMayWrite(principal, 'company plans');
    await this.assertOrganisation(plan);
    const context = commandContext(principal, randomUUID(), this.clock);
    const { state } = await handleCommand(
      this.store,
      streams.companyPlan(plan.year),
      companyPlanDecider,
      plan,
      context,
    );
    const targets = await this.applyTargets(principal, state.version, state.plan as CompanyPlan);
    return { ...state.plan, version: state.version, repMonthTargets: targets };
  }

  async get(principal: Principal, year: number) {
    assertMayRead(principal, 'company plans');
    const state = await load(this.store, streams.companyPlan(year), companyPlanDecider);
    if (!state.plan) throw new NotFoundError(`no company plan for ${year}`);
    return { ...state.plan, version: state.version };
  }

  private async assertOrganisation(plan: CompanyPlan): Promise<void> {
    for (const [teamId, team] of Object.entries(plan.teams)) {
      await loadRegistered(this.store, streams.team(teamId), teamDecider, `team ${teamId}`);
      for (const repId of Object.keys(team.reps ?? {})) {
        const rep = await this.organisation.repOwnership(repId);
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
          await handleCommand(
            this.store,
            streams.target(repId, month),
            targetDecider,
            { kind: 'set', repId, month, amount, reason },
            context,
          );
          applied++;
        }
      }
    }
    return applied;
  }
}
