import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { EventStore } from '@salesledger/domain/event-store.port';
import { assertMayRead, type Principal } from '@salesledger/domain/organisation/access.policy';
import { projectionStatuses } from '@salesledger/read-model/projection-status';
import { CurrentPrincipal } from '@salesledger/sales/shared/current-principal.decorator';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(
    private readonly eventStore: EventStore,
    @Inject(Pool) private readonly readModel: Pool,
  ) {}

  @Get()
  @ApiOkResponse({
    description: 'each projection: state, position, events applied, lag in events and seconds, failure',
  })
  list(@CurrentPrincipal() principal: Principal) {
    assertMayRead(principal, 'operations');
    return projectionStatuses(this.readModel, this.eventStore);
  }
}
