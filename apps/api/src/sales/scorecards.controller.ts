import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { DRILL_DOWNS, type DrillDown } from '@salesledger/read-model/scorecard-queries';
import { LeaderboardQuery, ScorecardQuery, ScorecardTemplateDto } from '@salesledger/sales/sales.dto';
import { ScorecardsService, type PeriodQuery } from '@salesledger/sales/scorecards.service';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { IdPipe } from './id.pipe';

const periodOf = (query: ScorecardQuery): PeriodQuery => ({
  grain: query.grain,
  period: query.period,
  asOf: query.asOf ? new Date(query.asOf) : undefined,
});

const KPIS =
  'target, actual, attainment, expectedToDate, pace, orders, newCustomers, prospectsDeveloped, salesVisits, ' +
  'existingCustomerVisits, lostCustomers, growthRate, yoyGrowth, discipline, planCompletionRate, ' +
  'requestResponseRate, medianResponseMinutes, compositeScore (docs/kpis.md)';

@ApiTags('scorecards')
@ApiBearerAuth()
@Controller('v1')
export class ScorecardsController {
  constructor(private readonly scorecards: ScorecardsService) {}

  @Get('reps/:repId/scorecard')
  @ApiOkResponse({ description: `a rep's KPIs for the period: ${KPIS}` })
  rep(@CurrentPrincipal() principal: Principal, @Param('repId', IdPipe) repId: string, @Query() query: ScorecardQuery) {
    return this.scorecards.rep(principal, repId, periodOf(query));
  }

  @Get('reps/:repId/scorecard/:kpi')
  @ApiParam({ name: 'kpi', enum: DRILL_DOWNS })
  @ApiOkResponse({ description: 'the orders, visits or customers behind one figure, each with its event position' })
  drillDown(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('kpi') kpi: string,
    @Query() query: ScorecardQuery,
  ) {
    return this.scorecards.drillDown(principal, repId, kpi as DrillDown, periodOf(query));
  }

  @Get('teams/:teamId/scorecard')
  @ApiOkResponse({ description: "the team's KPIs: its reps' figures on the days they were in it, ratios of the sums" })
  team(
    @CurrentPrincipal() principal: Principal,
    @Param('teamId', IdPipe) teamId: string,
    @Query() query: ScorecardQuery,
  ) {
    return this.scorecards.team(principal, teamId, periodOf(query));
  }

  @Get('scorecard')
  @ApiOkResponse({ description: "the company's KPIs" })
  company(@CurrentPrincipal() principal: Principal, @Query() query: ScorecardQuery) {
    return this.scorecards.company(principal, periodOf(query));
  }

  @Get('leaderboard')
  @ApiOkResponse({ description: 'reps ranked by composite score, then attainment, then actual sales' })
  leaderboard(@CurrentPrincipal() principal: Principal, @Query() query: LeaderboardQuery) {
    return this.scorecards.leaderboard(principal, query.grain, query.period, query.teamId);
  }

  @Get('settings/scorecard-template')
  template() {
    return this.scorecards.template();
  }

  @Put('settings/scorecard-template')
  @ApiOkResponse({ description: 'the template now in force, {version, weights}; a director sets it' })
  setTemplate(@CurrentPrincipal() principal: Principal, @Body() body: ScorecardTemplateDto) {
    return this.scorecards.setTemplate(principal, body.weights);
  }
}
