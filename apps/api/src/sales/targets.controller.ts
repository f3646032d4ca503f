import { Body, Controller, Get, Headers, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { IdPipe } from './id.pipe';
import { AsOfQuery, SetTargetDto } from './sales.dto';
import { TargetsService } from './targets.service';
import { IDEMPOTENCY_KEY } from './idempotency-key';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('v1/reps/:repId/targets/:month')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Put()
  @ApiHeader(IDEMPOTENCY_KEY)
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
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('repId', IdPipe) repId: string,
    @Param('month') month: string,
    @Query() query: AsOfQuery,
  ) {
    return this.targets.get(principal, repId, month, query.asOf ? new Date(query.asOf) : undefined);
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
