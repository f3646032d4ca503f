import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ActivityService } from './activity.service';
import { IdPipe } from './id.pipe';
import { OrganisationService } from './organisation.service';
import {
  AsOfQuery,
  CancelOrderDto,
  CreateCustomerDto,
  CreateRepDto,
  CreateTeamDto,
  CreateUserDto,
  LogVisitDto,
  PlaceOrderDto,
  SetTargetDto,
} from './sales.dto';
import { TargetsService } from './targets.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1')
export class OrganisationController {
  constructor(private readonly organisation: OrganisationService) {}

  @Post('users')
  createUser(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto) {
    return this.organisation.registerUser(principal, { ...body });
  }

  @Post('users/:id/tokens')
  issueToken(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.organisation.issueToken(principal, id);
  }

  @Post('teams')
  createTeam(@CurrentPrincipal() principal: Principal, @Body() body: CreateTeamDto) {
    return this.organisation.createTeam(principal, { ...body });
  }

  @Post('reps')
  hireRep(@CurrentPrincipal() principal: Principal, @Body() body: CreateRepDto) {
    return this.organisation.hireRep(principal, { ...body });
  }
}

@ApiTags('targets')
@ApiBearerAuth()
@Controller('v1/reps/:repId/targets/:month')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Put()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'makes a retried revision append nothing' })
  set(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Body() body: SetTargetDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.targets.set(principal, repId, month, body, key);
  }

  @Get()
  get(@CurrentPrincipal() principal: Principal, @Param('repId', IdPipe) repId: string, @Param('month') month: string, @Query() query: AsOfQuery) {
    return this.targets.get(principal, repId, month, query.asOf ? new Date(query.asOf) : undefined);
  }

  @Get('history')
  history(@CurrentPrincipal() principal: Principal, @Param('repId', IdPipe) repId: string, @Param('month') month: string) {
    return this.targets.history(principal, repId, month);
  }
}

@ApiTags('activity')
@ApiBearerAuth()
@Controller('v1')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @Post('customers')
  registerCustomer(@CurrentPrincipal() principal: Principal, @Body() body: CreateCustomerDto) {
    return this.activity.registerCustomer(principal, { ...body, status: body.status ?? 'customer' });
  }

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
