import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Operation } from '@salesledger/sales/shared/openapi';
import { ProjectionStatusResponse } from './operations.responses';
import { PROJECTION_STATUSES, type ProjectionStatuses } from './projection-statuses';
import { assertMayRead, type Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '@salesledger/sales/shared/current-principal.decorator';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(@Inject(PROJECTION_STATUSES) private readonly statuses: ProjectionStatuses) {}

  @Get()
  @Operation({
    summary: "Each projection's state, position, lag in events and seconds, and failure",
    description:
      "With Kafka on, `lagEvents` also counts what the relay has yet to publish and what the projection's consumer group has yet to commit, so a lagging partition shows; 503 when the broker does not answer within 5 s.",
    ok: [ProjectionStatusResponse],
    errors: [403],
  })
  async list(@CurrentPrincipal() principal: Principal) {
    assertMayRead(principal, 'operations');
    const { statuses, kafkaLagUnknown } = await this.statuses();
    if (kafkaLagUnknown) throw new ServiceUnavailableException(kafkaLagUnknown);
    return statuses;
  }
}
