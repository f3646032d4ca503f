import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { IdPipe } from '../shared/id.pipe';
import { IDEMPOTENCY_KEY } from '../shared/idempotency-key';
import { Operation, PageOf } from '../shared/openapi';
import { pageOf } from '../shared/paging.dto';
import { AmendOrder, CancelOrder, CloseFollowUp, LogVisit, PlaceOrder } from './activity.commands';
import {
  ActivityQuery,
  AmendOrderDto,
  CancelOrderDto,
  CloseFollowUpDto,
  LogVisitDto,
  PlaceOrderDto,
} from './activity.dto';
import { GetOrder, ListOrders, ListVisits, type ActivityFilter } from './activity.queries';
import {
  LoggedVisitResponse,
  OrderDetailResponse,
  OrderStateResponse,
  OrderSummaryResponse,
  VisitResponse,
} from './activity.responses';

const filterOf = ({ repId, customerId, from, to }: ActivityQuery): ActivityFilter => ({ repId, customerId, from, to });

@ApiTags('activity')
@ApiBearerAuth()
@Controller('v1')
export class ActivityController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('visits')
  @Operation({ summary: 'Log a visit', ok: LoggedVisitResponse, status: 201, errors: [403, 404, 409] })
  async logVisit(@CurrentPrincipal() principal: Principal, @Body() body: LogVisitDto) {
    return (await this.commands.execute(new LogVisit(principal, { ...body }))).view;
  }

  @Get('visits')
  @Operation({ summary: 'List the visits the caller reaches, latest first', ok: PageOf(VisitResponse) })
  listVisits(@CurrentPrincipal() principal: Principal, @Query() query: ActivityQuery) {
    return this.queries.execute(new ListVisits(principal, filterOf(query), pageOf(query)));
  }

  @Post('visits/:id/follow-up')
  @HttpCode(200)
  @Operation({ summary: "Close a visit's follow-up", ok: LoggedVisitResponse, errors: [403, 404, 409] })
  closeFollowUp(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: CloseFollowUpDto,
  ) {
    return this.commands.execute(new CloseFollowUp(principal, id, body.outcome, body.on));
  }

  @Post('orders')
  @Operation({ summary: 'Place an order', ok: OrderStateResponse, status: 201, errors: [403, 404, 409] })
  async placeOrder(@CurrentPrincipal() principal: Principal, @Body() body: PlaceOrderDto) {
    const order = { ...body, lines: body.lines.map((line) => ({ ...line })) };
    return (await this.commands.execute(new PlaceOrder(principal, order))).view;
  }

  @Get('orders')
  @Operation({ summary: 'List the orders the caller reaches, latest placed first', ok: PageOf(OrderSummaryResponse) })
  listOrders(@CurrentPrincipal() principal: Principal, @Query() query: ActivityQuery) {
    return this.queries.execute(new ListOrders(principal, filterOf(query), pageOf(query)));
  }

  @Get('orders/:id')
  @Operation({ summary: 'Read an order with every version', ok: OrderDetailResponse, errors: [403, 404] })
  getOrder(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.queries.execute(new GetOrder(principal, id));
  }

  @Post('orders/:id/amendments')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Operation({ summary: "Replace an order's lines", ok: OrderStateResponse, errors: [403, 404, 409] })
  amendOrder(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: AmendOrderDto,
    @Headers('idempotency-key') key?: string,
  ) {
    const change = { reason: body.reason, lines: body.lines.map((line) => ({ ...line })) };
    return this.commands.execute(new AmendOrder(principal, id, change, key ?? randomUUID()));
  }

  @Post('orders/:id/cancellation')
  @HttpCode(200)
  @Operation({ summary: 'Cancel an order', ok: OrderStateResponse, errors: [403, 404, 409] })
  cancelOrder(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string, @Body() body: CancelOrderDto) {
    return this.commands.execute(new CancelOrder(principal, id, body.reason));
  }
}
