import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { toMoney } from '@salesledger/domain/money';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { IdPipe } from './id.pipe';
import {
  ApprovalPolicyDto,
  AsOfQuery,
  BreakdownQuery,
  HolidaysDto,
  PapersDueDto,
  RejectProposalDto,
  SetTargetDto,
} from '@salesledger/sales/sales.dto';
import { CompanySettingsService } from '@salesledger/sales/company-settings.service';
import type { AlertSettings } from '@salesledger/domain/alerts/alert-settings';
import type { TargetApprovalPolicy } from '@salesledger/domain/company/company-settings.decider';
import { TargetsService } from '@salesledger/sales/targets.service';
import { IDEMPOTENCY_KEY } from './idempotency-key';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('v1/reps/:repId/targets/:month')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Put()
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiOkResponse({ description: 'the change took effect: {amount, version}' })
  @ApiAcceptedResponse({
    description: "a manager's change awaiting a director: {proposalId, status: 'pending', amount}",
  })
  async set(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Body() body: SetTargetDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('idempotency-key') key?: string,
  ) {
    const result = await this.targets.set(principal, repId, month, body, key);
    if ('proposalId' in result) response.status(HttpStatus.ACCEPTED);
    return result;
  }

  @Post('proposals/:proposalId/approval')
  @HttpCode(200)
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Param('proposalId', IdPipe) proposalId: string,
  ) {
    return this.targets.decide(principal, repId, month, proposalId, { approve: true });
  }

  @Post('proposals/:proposalId/rejection')
  @HttpCode(200)
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Param('proposalId', IdPipe) proposalId: string,
    @Body() body: RejectProposalDto,
  ) {
    return this.targets.decide(principal, repId, month, proposalId, { approve: false, reason: body.reason });
  }

  @Get()
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Query() query: AsOfQuery,
  ) {
    return this.targets.get(principal, repId, month, query.asOf ? new Date(query.asOf) : undefined);
  }

  @Get('breakdown')
  breakdown(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Query() query: BreakdownQuery,
  ) {
    return this.targets.breakdown(principal, repId, month, query.grain, query.asOf ? new Date(query.asOf) : undefined);
  }

  @Get('history')
  history(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
  ) {
    return this.targets.history(principal, repId, month);
  }
}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly settings: CompanySettingsService) {}

  @Get()
  current() {
    return this.settings.current();
  }

  @Put('target-approval')
  setApprovalPolicy(@CurrentPrincipal() principal: Principal, @Body() body: ApprovalPolicyDto) {
    const policy: TargetApprovalPolicy =
      body.mode === 'off'
        ? { mode: 'off' }
        : { mode: 'above-threshold', threshold: toMoney(body.threshold ?? -1, 'threshold') };
    return this.settings.change(principal, { kind: 'target-approval', policy });
  }

  @Put('papers-due')
  setPapersDue(@CurrentPrincipal() principal: Principal, @Body() body: PapersDueDto) {
    return this.settings.change(principal, {
      kind: 'papers-due',
      due: { plan: { ...body.plan }, report: { ...body.report } },
    });
  }

  /** The body is checked by the domain (validAlertSettings), which names every bad field. */
  @Put('alerts')
  @ApiBody({ description: 'alert rules, thresholds, escalation and churn days: see docs/alerts.md', type: Object })
  setAlertSettings(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>) {
    return this.settings.change(principal, { kind: 'alerts', settings: body as unknown as AlertSettings });
  }

  @Put('holidays')
  setHolidays(@CurrentPrincipal() principal: Principal, @Body() body: HolidaysDto) {
    return this.settings.change(principal, { kind: 'holidays', dates: body.dates });
  }
}
