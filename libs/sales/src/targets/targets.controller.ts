import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { instantOf } from '../shared/dto-rules';
import { IdPipe } from '../shared/id.pipe';
import { IDEMPOTENCY_KEY } from '../shared/idempotency-key';
import { Operation, PageOf } from '../shared/openapi';
import { pageOf } from '../shared/paging.dto';
import { DecideProposal, SetTarget } from './targets.commands';
import { AsOfQuery, BreakdownQuery, ProposalsQuery, RejectProposalDto, SetTargetDto } from './targets.dto';
import { GetTarget, ListProposals, TargetBreakdown, TargetHistory } from './targets.queries';
import {
  BreakdownResponse,
  ProposalDecisionResponse,
  ProposalPendingResponse,
  ProposalResponse,
  TargetChangeResponse,
  TargetResponse,
} from './targets.responses';

const TARGET = 'reps/:repId/targets/:month';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('v1')
export class TargetsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Put(TARGET)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Operation({
    summary: "Set or revise a rep's monthly target",
    description: 'the change took effect: {amount, version}',
    ok: TargetResponse,
    errors: [403, 404, 409],
  })
  @ApiResponse({ status: 202, description: "a manager's change awaiting a director", type: ProposalPendingResponse })
  async set(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Body() body: SetTargetDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('idempotency-key') key?: string,
  ) {
    const change = { amount: body.amount, reason: body.reason, categories: body.categories?.map((c) => ({ ...c })) };
    const result = await this.commands.execute(new SetTarget(principal, repId, month, change, key ?? randomUUID()));
    if ('proposalId' in result) response.status(HttpStatus.ACCEPTED);
    return result;
  }

  @Get(TARGET)
  @Operation({ summary: 'Read a target, now or as it was known at an instant', ok: TargetResponse, errors: [403, 404] })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Query() query: AsOfQuery,
  ) {
    return this.queries.execute(new GetTarget(principal, repId, month, instantOf(query.asOf)));
  }

  @Get(`${TARGET}/history`)
  @Operation({
    summary: 'Every change of a target: who, when, from what to what, why',
    ok: [TargetChangeResponse],
    errors: [403, 404],
  })
  history(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
  ) {
    return this.queries.execute(new TargetHistory(principal, repId, month));
  }

  @Get(`${TARGET}/breakdown`)
  @Operation({ summary: "A month's target over its weeks or working days", ok: BreakdownResponse, errors: [403, 404] })
  breakdown(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Query() query: BreakdownQuery,
  ) {
    return this.queries.execute(new TargetBreakdown(principal, repId, month, query.grain, instantOf(query.asOf)));
  }

  @Post(`${TARGET}/proposals/:proposalId/approval`)
  @HttpCode(200)
  @Operation({ summary: "Approve a manager's proposed target", ok: ProposalDecisionResponse, errors: [403, 404, 409] })
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Param('proposalId', IdPipe) proposalId: string,
  ) {
    return this.commands.execute(new DecideProposal(principal, repId, month, proposalId, { approve: true }));
  }

  @Post(`${TARGET}/proposals/:proposalId/rejection`)
  @HttpCode(200)
  @Operation({ summary: "Reject a manager's proposed target", ok: ProposalDecisionResponse, errors: [403, 404, 409] })
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Param('proposalId', IdPipe) proposalId: string,
    @Body() body: RejectProposalDto,
  ) {
    const decision = { approve: false as const, reason: body.reason };
    return this.commands.execute(new DecideProposal(principal, repId, month, proposalId, decision));
  }

  @Get('target-proposals')
  @Operation({ summary: "An approver's queue: target proposals, newest first", ok: PageOf(ProposalResponse) })
  proposals(@CurrentPrincipal() principal: Principal, @Query() query: ProposalsQuery) {
    return this.queries.execute(new ListProposals(principal, { status: query.status }, pageOf(query)));
  }
}
