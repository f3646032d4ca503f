import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Operation } from '@salesledger/sales/shared/openapi';
import { ProjectionStatusResponse } from './operations.responses';
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
  @Operation({
    summary: "Each projection's state, position, lag in events and seconds, and failure",
    ok: [ProjectionStatusResponse],
    errors: [403],
  })
  list(@CurrentPrincipal() principal: Principal) {
    assertMayRead(principal, 'operations');
    return projectionStatuses(this.readModel, this.eventStore);
  }
}
