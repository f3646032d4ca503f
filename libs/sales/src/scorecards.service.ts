import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import { assertMayRead, assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { teamDecider } from '@salesledger/domain/organisation/organisation.deciders';
import type { Grain } from '@salesledger/domain/scorecards/grains';
import type { ScorecardTemplate } from '@salesledger/domain/scorecards/kpis';
import {
  SCORECARD_TEMPLATE_STREAM,
  scorecardTemplateDecider,
} from '@salesledger/domain/scorecards/scorecard-template.decider';
import { streams } from '@salesledger/domain/streams';
import { ScorecardQueries, type DrillDown } from '@salesledger/read-model/scorecard-queries';
import { commandContext } from './command-context';
import { load, loadRegistered } from './load';
import { OrganisationService } from './organisation.service';

export interface PeriodQuery {
  readonly grain: Grain;
  readonly period: string;
  readonly asOf?: Date;
}

/**
 * Scorecards for reps, teams and the company, leaderboards and drill-downs, read from the
 * projection; who may see which is the access policy's call, with ids checked against the log.
 */
@Injectable()
export class ScorecardsService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly organisation: OrganisationService,
    private readonly queries: ScorecardQueries,
  ) {}

  async rep(principal: Principal, repId: string, { grain, period, asOf }: PeriodQuery) {
    assertMayRead(principal, 'scorecards', await this.organisation.repOwnership(repId));
    return { repId, ...(await this.queries.scorecard({ repIds: [repId] }, grain, period, this.clock.now(), asOf)) };
  }

  async team(principal: Principal, teamId: string, { grain, period, asOf }: PeriodQuery) {
    await loadRegistered(this.store, streams.team(teamId), teamDecider, `team ${teamId}`);
    assertMayRead(principal, 'scorecards', { teamId });
    return { teamId, ...(await this.queries.scorecard({ teamId }, grain, period, this.clock.now(), asOf)) };
  }

  async company(principal: Principal, { grain, period, asOf }: PeriodQuery) {
    assertMayRead(principal, 'scorecards', {});
    return this.queries.scorecard('company', grain, period, this.clock.now(), asOf);
  }

  /** The whole company's ranking, or one team's; a manager sees their own team's. */
  async leaderboard(principal: Principal, grain: Grain, period: string, teamId?: string) {
    if (teamId) await loadRegistered(this.store, streams.team(teamId), teamDecider, `team ${teamId}`);
    assertMayRead(principal, 'scorecards', teamId ? { teamId } : {});
    return { grain, period, teamId: teamId ?? null, entries: await this.queries.leaderboard(grain, period, teamId) };
  }

  async drillDown(principal: Principal, repId: string, kpi: DrillDown, { grain, period }: PeriodQuery) {
    assertMayRead(principal, 'scorecards', await this.organisation.repOwnership(repId));
    return { repId, grain, period, kpi, items: await this.queries.drillDown(repId, grain, period, kpi) };
  }

  template(): Promise<ScorecardTemplate> {
    return load(this.store, SCORECARD_TEMPLATE_STREAM, scorecardTemplateDecider);
  }

  async setTemplate(principal: Principal, weights: ScorecardTemplate['weights']): Promise<ScorecardTemplate> {
    assertMayWrite(principal, 'scorecard templates');
    const context = commandContext(principal, randomUUID(), this.clock);
    const command = { kind: 'set' as const, weights: { ...weights } };
    return (await handleCommand(this.store, SCORECARD_TEMPLATE_STREAM, scorecardTemplateDecider, command, context))
      .state;
  }
}
