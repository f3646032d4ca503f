import { Body, Controller, Get, Injectable, Param, Put, type PipeTransform } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiTags } from '@nestjs/swagger';
import type { AlertSettings } from '@salesledger/domain/alerts/alert-settings';
import { InvalidInputError } from '@salesledger/domain/errors';
import { toMoney } from '@salesledger/domain/money';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { assertSupportedYear } from '@salesledger/domain/scorecards/grains';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { Operation } from '../shared/openapi';
import { ChangeSettings, SetCompanyPlan } from './company.commands';
import { ApprovalPolicyDto, CompanyPlanDto, HolidaysDto, PapersDueDto } from './company.dto';
import { GetCompanyPlan, GetSettings } from './company.queries';
import { CompanyPlanResponse, CompanyPlanSetResponse, SettingsResponse, TeamPlanResponse } from './company.responses';

@Injectable()
class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{4}$/.test(value))
      throw new InvalidInputError([{ field: 'year', message: 'must be a year such as 2027' }]);
    assertSupportedYear(Number(value), 'year');
    return Number(value);
  }
}

@ApiTags('settings')
@ApiBearerAuth()
@ApiExtraModels(TeamPlanResponse)
@Controller('v1')
export class CompanyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('settings')
  @Operation({ summary: 'Read the company settings', ok: SettingsResponse })
  settings(@CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetSettings(principal));
  }

  @Put('settings/target-approval')
  @Operation({ summary: "Set when a manager's target change needs a director", ok: SettingsResponse, errors: [403] })
  setApprovalPolicy(@CurrentPrincipal() principal: Principal, @Body() body: ApprovalPolicyDto) {
    const policy =
      body.mode === 'off'
        ? ({ mode: 'off' } as const)
        : ({ mode: 'above-threshold', threshold: toMoney(body.threshold ?? -1, 'threshold') } as const);
    return this.commands.execute(new ChangeSettings(principal, { kind: 'target-approval', policy }));
  }

  @Put('settings/papers-due')
  @Operation({ summary: 'Set when weekly plans and reports are due', ok: SettingsResponse, errors: [403] })
  setPapersDue(@CurrentPrincipal() principal: Principal, @Body() body: PapersDueDto) {
    const due = { plan: { ...body.plan }, report: { ...body.report } };
    return this.commands.execute(new ChangeSettings(principal, { kind: 'papers-due', due }));
  }

  /** The body is checked by the domain (validAlertSettings), which names every bad field. */
  @Put('settings/alerts')
  @ApiBody({ description: 'alert rules, thresholds, escalation and churn days: see docs/alerts.md', type: Object })
  @Operation({ summary: 'Set the lag alert rules and thresholds', ok: SettingsResponse, errors: [403] })
  setAlertSettings(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>) {
    const settings = body as unknown as AlertSettings;
    return this.commands.execute(new ChangeSettings(principal, { kind: 'alerts', settings }));
  }

  @Put('settings/holidays')
  @Operation({ summary: 'Set the company holidays', ok: SettingsResponse, errors: [403] })
  setHolidays(@CurrentPrincipal() principal: Principal, @Body() body: HolidaysDto) {
    return this.commands.execute(new ChangeSettings(principal, { kind: 'holidays', dates: body.dates }));
  }

  /** The whole plan at once: totals are checked at every level, and rep monthly targets follow. */
  @Put('company-plans/:year')
  @Operation({
    summary: "Set the year's company plan and the rep targets it implies",
    ok: CompanyPlanSetResponse,
    errors: [403, 404],
  })
  setPlan(
    @CurrentPrincipal() principal: Principal,
    @Param('year', YearPipe) year: number,
    @Body() body: CompanyPlanDto,
  ) {
    const teams = Object.fromEntries(
      body.teams.map((team) => [
        team.teamId,
        {
          amount: toMoney(team.amount, `teams.${team.teamId}.amount`),
          ...(team.reps && {
            reps: Object.fromEntries(team.reps.map((rep) => [rep.repId, toMoney(rep.amount, `reps.${rep.repId}`)])),
          }),
        },
      ]),
    );
    const plan = { year, amount: toMoney(body.amount, 'amount'), weights: body.weights, teams, reason: body.reason };
    return this.commands.execute(new SetCompanyPlan(principal, plan));
  }

  @Get('company-plans/:year')
  @Operation({ summary: "Read a year's company plan", ok: CompanyPlanResponse, errors: [403, 404] })
  getPlan(@CurrentPrincipal() principal: Principal, @Param('year', YearPipe) year: number) {
    return this.queries.execute(new GetCompanyPlan(principal, year));
  }
}
