import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ActivityService } from '@salesledger/sales/activity.service';
import { IdPipe } from './id.pipe';
import {
  AmendOrderDto,
  CancelOrderDto,
  CloseFollowUpDto,
  LogVisitDto,
  PlaceOrderDto,
} from '@salesledger/sales/sales.dto';
import { IDEMPOTENCY_KEY } from './idempotency-key';

@ApiTags('activity')
@ApiBearerAuth()
@Controller('v1')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @Post('visits')
  logVisit(@CurrentPrincipal() principal: Principal, @Body() body: LogVisitDto) {
    return this.activity.logVisit(principal, { ...body });
  }

  @Post('visits/:id/follow-up')
  @HttpCode(200)
  closeFollowUp(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: CloseFollowUpDto,
  ) {
    return this.activity.closeFollowUp(principal, id, body.outcome, body.on);
  }

  @Post('orders')
  placeOrder(@CurrentPrincipal() principal: Principal, @Body() body: PlaceOrderDto) {
    return this.activity.placeOrder(principal, { ...body, lines: body.lines.map((line) => ({ ...line })) });
  }

  @Post('orders/:id/amendments')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY)
  amendOrder(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: AmendOrderDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.activity.amendOrder(
      principal,
      id,
      { reason: body.reason, lines: body.lines.map((line) => ({ ...line })) },
      key ?? randomUUID(),
    );
  }

  @Post('orders/:id/cancellation')
  @HttpCode(200)
  cancelOrder(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string, @Body() body: CancelOrderDto) {
    return this.activity.cancelOrder(principal, id, body.reason);
  }
}
