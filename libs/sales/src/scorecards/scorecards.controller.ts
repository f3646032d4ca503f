import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { DRILL_DOWNS, type DrillDown } from '@salesledger/read-model/scorecard-queries';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { instantOf } from '../shared/dto-rules';
import { IdPipe } from '../shared/id.pipe';
import { Operation } from '../shared/openapi';
import { LeaderboardQuery, PaceQuery, ScorecardQuery, ScorecardTemplateDto } from './scorecards.dto';
import {
  CompanyScorecard,
  GetScorecardTemplate,
  Leaderboard,
  MonthPace,
  RepScorecard,
  ScorecardDrillDown,
  SetScorecardTemplate,
  TeamScorecard,
  type PeriodQuery,
} from './scorecards.handlers';
import {
  DrillDownResponse,
  LeaderboardResponse,
  PaceResponse,
  RepScorecardResponse,
  ScorecardResponse,
  TeamScorecardResponse,
  TemplateResponse,
} from './scorecards.responses';

const periodOf = (query: ScorecardQuery): PeriodQuery => ({
  grain: query.grain,
  period: query.period,
  asOf: instantOf(query.asOf),
});

@ApiTags('scorecards')
@ApiBearerAuth()
@Controller('v1')
export class ScorecardsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('reps/:repId/scorecard')
  @Operation({
    summary: "A rep's KPIs for a period, now or as of an instant",
    ok: RepScorecardResponse,
    errors: [403, 404],
  })
  rep(@CurrentPrincipal() principal: Principal, @Param('repId', IdPipe) repId: string, @Query() query: ScorecardQuery) {
    return this.queries.execute(new RepScorecard(principal, repId, periodOf(query)));
  }

  @Get('reps/:repId/scorecard/:kpi')
  @ApiParam({ name: 'kpi', enum: DRILL_DOWNS })
  @Operation({
    summary: 'The orders, visits or customers behind one figure',
    ok: DrillDownResponse,
    errors: [403, 404],
  })
  drillDown(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('kpi') kpi: string,
    @Query() query: ScorecardQuery,
  ) {
    return this.queries.execute(new ScorecardDrillDown(principal, repId, kpi as DrillDown, periodOf(query)));
  }

  @Get('teams/:teamId/scorecard')
  @Operation({
    summary: "A team's KPIs: its reps' figures on the days they were in it",
    ok: TeamScorecardResponse,
    errors: [403, 404],
  })
  team(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId', IdPipe) teamId: string,
    @Query() query: ScorecardQuery,
  ) {
    return this.queries.execute(new TeamScorecard(principal, teamId, periodOf(query)));
  }

  @Get('scorecard')
  @Operation({ summary: "The company's KPIs", ok: ScorecardResponse, errors: [403] })
  company(@CurrentPrincipal() principal: Principal, @Query() query: ScorecardQuery) {
    return this.queries.execute(new CompanyScorecard(principal, periodOf(query)));
  }

  @Get('reps/:repId/pace/:month')
  @Operation({ summary: "A rep's month day by day against the working-day pace", ok: PaceResponse, errors: [403, 404] })
  repPace(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Query() query: PaceQuery,
  ) {
    return this.queries.execute(new MonthPace(principal, { repId }, month, instantOf(query.asOf)));
  }

  @Get('teams/:teamId/pace/:month')
  @Operation({
    summary: "A team's month day by day against the working-day pace",
    ok: PaceResponse,
    errors: [403, 404],
  })
  teamPace(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId', IdPipe) teamId: string,
    @Param('month') month: string,
    @Query() query: PaceQuery,
  ) {
    return this.queries.execute(new MonthPace(principal, { teamId }, month, instantOf(query.asOf)));
  }

  @Get('pace/:month')
  @Operation({
    summary: "The company's month day by day against the working-day pace",
    ok: PaceResponse,
    errors: [403],
  })
  companyPace(@CurrentPrincipal() principal: Principal, @Param('month') month: string, @Query() query: PaceQuery) {
    return this.queries.execute(new MonthPace(principal, 'company', month, instantOf(query.asOf)));
  }

  @Get('leaderboard')
  @Operation({
    summary: 'Reps ranked by composite score, then attainment, then sales',
    ok: LeaderboardResponse,
    errors: [403, 404],
  })
  leaderboard(@CurrentPrincipal() principal: Principal, @Query() query: LeaderboardQuery) {
    return this.queries.execute(new Leaderboard(principal, query.grain, query.period, query.teamId));
  }

  @Get('settings/scorecard-template')
  @Operation({ summary: "The composite score's weights in force", ok: TemplateResponse })
  template(@CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetScorecardTemplate(principal));
  }

  @Put('settings/scorecard-template')
  @Operation({ summary: "Set the composite score's weights (a new version)", ok: TemplateResponse, errors: [403] })
  setTemplate(@CurrentPrincipal() principal: Principal, @Body() body: ScorecardTemplateDto) {
    return this.commands.execute(new SetScorecardTemplate(principal, { ...body.weights }));
  }
}
