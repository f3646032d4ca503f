import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ActivityService } from '@salesledger/sales/activity.service';
import { IdPipe } from './id.pipe';
import { CancelOrderDto, LogVisitDto, PlaceOrderDto } from '@salesledger/sales/sales.dto';

@ApiTags('activity')
@ApiBearerAuth()
@Controller('v1')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @Post('visits')
  logVisit(@CurrentPrincipal() principal: Principal, @Body() body: LogVisitDto) {
    return this.activity.logVisit(principal, { ...body });
  }

  @Post('orders')
  placeOrder(@CurrentPrincipal() principal: Principal, @Body() body: PlaceOrderDto) {
    return this.activity.placeOrder(principal, { ...body, lines: body.lines.map((line) => ({ ...line })) });
  }

  @Post('orders/:id/cancellation')
  @HttpCode(200)
  cancelOrder(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string, @Body() body: CancelOrderDto) {
    return this.activity.cancelOrder(principal, id, body.reason);
  }
}
