import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import type { Grain } from '@salesledger/domain/scorecards/grains';
import type { Scorecard, ScorecardTemplate } from '@salesledger/domain/scorecards/kpis';
import {
  SCORECARD_TEMPLATE_STREAM,
  scorecardTemplateDecider,
} from '@salesledger/domain/scorecards/scorecard-template.decider';
import type { Scope } from '@salesledger/read-model/scorecard-figures';
import {
  ScorecardQueries,
  type DrillDown,
  type RankedRep,
  type MonthPaceView,
} from '@salesledger/read-model/scorecard-queries';
import { AppCommand, AppCommandHandler, AppQuery, AppQueryHandler, type Access } from '../bus/application-bus';
import { commandContext } from '../shared/command-context';
import { money } from '../shared/dto-rules';
import { load } from '../shared/load';
import { Lookups } from '../shared/lookups';

export interface PeriodQuery {
  readonly grain: Grain;
  readonly period: string;
  readonly asOf?: Date;
}

/** The scorecard as the API answers it: money as decimal strings. */
export type ScorecardView = Omit<Scorecard, 'target' | 'actual' | 'expectedToDate'> & {
  target: string;
  actual: string;
  expectedToDate: string;
};

const view = (card: Scorecard): ScorecardView => ({
  ...card,
  target: money(card.target),
  actual: money(card.actual),
  expectedToDate: money(card.expectedToDate),
});

const entryView = (entry: RankedRep) => ({ ...entry, actual: money(entry.actual), target: money(entry.target) });

export class RepScorecard extends AppQuery<ScorecardView & { repId: string }> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly at: PeriodQuery,
  ) {
    super(principal);
  }
}

export class TeamScorecard extends AppQuery<ScorecardView & { teamId: string }> {
  constructor(
    principal: Principal,
    readonly teamId: string,
    readonly at: PeriodQuery,
  ) {
    super(principal);
  }
}

export class CompanyScorecard extends AppQuery<ScorecardView> {
  constructor(
    principal: Principal,
    readonly at: PeriodQuery,
  ) {
    super(principal);
  }
}

export class Leaderboard extends AppQuery<{
  grain: Grain;
  period: string;
  teamId: string | null;
  entries: ReturnType<typeof entryView>[];
}> {
  constructor(
    principal: Principal,
    readonly grain: Grain,
    readonly period: string,
    readonly teamId?: string,
  ) {
    super(principal);
  }
}

export class ScorecardDrillDown extends AppQuery<{
  repId: string;
  grain: Grain;
  period: string;
  kpi: DrillDown;
  items: Record<string, unknown>[];
}> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly kpi: DrillDown,
    readonly at: PeriodQuery,
  ) {
    super(principal);
  }
}

/** Whose pace: one rep, one team, or the whole company. */
export type PaceScope = { repId: string } | { teamId: string } | 'company';

const paceView = (scope: PaceScope, pace: MonthPaceView) => ({
  month: pace.month,
  repId: typeof scope === 'object' && 'repId' in scope ? scope.repId : null,
  teamId: typeof scope === 'object' && 'teamId' in scope ? scope.teamId : null,
  target: money(pace.target),
  actual: money(pace.actual),
  expectedToDate: money(pace.expectedToDate),
  projection: pace.projection === null ? null : money(pace.projection),
  workingDays: pace.workingDays,
  workingDaysElapsed: pace.workingDaysElapsed,
  days: pace.days.map((day) => ({
    ...day,
    target: money(day.target),
    actual: money(day.actual),
    cumulativeTarget: money(day.cumulativeTarget),
    cumulativeActual: money(day.cumulativeActual),
  })),
});

export class MonthPace extends AppQuery<ReturnType<typeof paceView>> {
  constructor(
    principal: Principal,
    readonly scope: PaceScope,
    readonly month: string,
    readonly asOf?: Date,
  ) {
    super(principal);
  }
}

export class GetScorecardTemplate extends AppQuery<ScorecardTemplate> {}

export class SetScorecardTemplate extends AppCommand<ScorecardTemplate> {
  constructor(
    principal: Principal,
    readonly weights: ScorecardTemplate['weights'],
  ) {
    super(principal);
  }
}

@QueryHandler(RepScorecard)
export class RepScorecardHandler extends AppQueryHandler<RepScorecard> {
  constructor(
    private readonly queries: ScorecardQueries,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ repId }: RepScorecard): Promise<Access> {
    return { resource: 'scorecards', owner: await this.lookups.repOwnership(repId) };
  }

  async handle({ repId, at }: RepScorecard) {
    const card = await this.queries.scorecard({ repIds: [repId] }, at.grain, at.period, this.clock.now(), at.asOf);
    return { repId, ...view(card) };
  }
}

/** A team's KPIs: its reps' figures on the days they were in it. */
@QueryHandler(TeamScorecard)
export class TeamScorecardHandler extends AppQueryHandler<TeamScorecard> {
  constructor(
    private readonly queries: ScorecardQueries,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ teamId }: TeamScorecard): Promise<Access> {
    await this.lookups.team(teamId);
    return { resource: 'scorecards', owner: { teamId } };
  }

  async handle({ teamId, at }: TeamScorecard) {
    return {
      teamId,
      ...view(await this.queries.scorecard({ teamId }, at.grain, at.period, this.clock.now(), at.asOf)),
    };
  }
}

@QueryHandler(CompanyScorecard)
export class CompanyScorecardHandler extends AppQueryHandler<CompanyScorecard> {
  constructor(
    private readonly queries: ScorecardQueries,
    private readonly clock: Clock,
  ) {
    super();
  }

  access(): Access {
    return { resource: 'scorecards' };
  }

  async handle({ at }: CompanyScorecard) {
    return view(await this.queries.scorecard('company', at.grain, at.period, this.clock.now(), at.asOf));
  }
}

/** The whole company's ranking, or one team's; a manager sees their own team's. */
@QueryHandler(Leaderboard)
export class LeaderboardHandler extends AppQueryHandler<Leaderboard> {
  constructor(
    private readonly queries: ScorecardQueries,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ teamId }: Leaderboard): Promise<Access> {
    if (teamId) await this.lookups.team(teamId);
    return { resource: 'scorecards', owner: teamId ? { teamId } : {} };
  }

  async handle({ grain, period, teamId }: Leaderboard) {
    const entries = await this.queries.leaderboard(grain, period, teamId);
    return { grain, period, teamId: teamId ?? null, entries: entries.map(entryView) };
  }
}

@QueryHandler(ScorecardDrillDown)
export class DrillDownHandler extends AppQueryHandler<ScorecardDrillDown> {
  constructor(
    private readonly queries: ScorecardQueries,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ repId }: ScorecardDrillDown): Promise<Access> {
    return { resource: 'scorecards', owner: await this.lookups.repOwnership(repId) };
  }

  async handle({ repId, kpi, at: { grain, period } }: ScorecardDrillDown) {
    return { repId, grain, period, kpi, items: await this.queries.drillDown(repId, grain, period, kpi) };
  }
}

/** The working-day pace curve behind a scorecard's month, read as the scorecard of the same scope is. */
@QueryHandler(MonthPace)
export class MonthPaceHandler extends AppQueryHandler<MonthPace> {
  constructor(
    private readonly queries: ScorecardQueries,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ scope }: MonthPace): Promise<Access> {
    if (scope === 'company') return { resource: 'scorecards' };
    if ('repId' in scope) return { resource: 'scorecards', owner: await this.lookups.repOwnership(scope.repId) };
    await this.lookups.team(scope.teamId);
    return { resource: 'scorecards', owner: { teamId: scope.teamId } };
  }

  async handle({ scope, month, asOf }: MonthPace) {
    const figures: Scope = scope === 'company' ? 'company' : 'repId' in scope ? { repIds: [scope.repId] } : scope;
    return paceView(scope, await this.queries.pace(figures, month, this.clock.now(), asOf));
  }
}

@QueryHandler(GetScorecardTemplate)
export class GetTemplateHandler extends AppQueryHandler<GetScorecardTemplate> {
  constructor(private readonly store: EventStore) {
    super();
  }

  access(): Access {
    return 'none';
  }

  handle() {
    return load(this.store, SCORECARD_TEMPLATE_STREAM, scorecardTemplateDecider);
  }
}

@CommandHandler(SetScorecardTemplate)
export class SetTemplateHandler extends AppCommandHandler<SetScorecardTemplate> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {
    super();
  }

  access(): Access {
    return { resource: 'scorecard templates' };
  }

  async handle({ principal, weights }: SetScorecardTemplate) {
    const context = commandContext(principal, randomUUID(), this.clock);
    const command = { kind: 'set' as const, weights: { ...weights } };
    return (await handleCommand(this.store, SCORECARD_TEMPLATE_STREAM, scorecardTemplateDecider, command, context))
      .state;
  }
}

export const SCORECARD_HANDLERS = [
  RepScorecardHandler,
  TeamScorecardHandler,
  CompanyScorecardHandler,
  LeaderboardHandler,
  DrillDownHandler,
  MonthPaceHandler,
  GetTemplateHandler,
  SetTemplateHandler,
];
