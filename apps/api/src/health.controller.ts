import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Inject } from '@nestjs/common';
import { Pool } from 'pg';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EventStore } from '@salesledger/domain/event-store.port';
import { projectionStatuses } from '@salesledger/read-model/projection-status';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from './auth/public.decorator';
import { HealthResponse } from './operations.responses';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly eventStore: EventStore,
    @Inject(Pool) private readonly readModel: Pool,
  ) {}

  @Get()
  @Public()
  @SkipThrottle() // probes and scrapers are not callers to budget
  @ApiOperation({ summary: 'Whether the event store answers and every projection is applying (no token needed)' })
  @ApiResponse({ status: 200, description: 'up', type: HealthResponse })
  @ApiResponse({ status: 503, description: 'a check is down: see error', type: HealthResponse })
  @HealthCheck()
  check() {
    return this.health.check([() => this.eventStoreReadable(), () => this.projectionsApplying()]);
  }

  private async eventStoreReadable() {
    const indicator = this.indicators.check('eventStore');
    try {
      await this.eventStore.readAll(null, 1);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  /** Down while a projection is stopped on an event: its scorecards are no longer current. */
  private async projectionsApplying() {
    const indicator = this.indicators.check('projections');
    try {
      const statuses = await projectionStatuses(this.readModel, this.eventStore);
      const details = Object.fromEntries(statuses.map(({ name, ...status }) => [name, status]));
      return statuses.some((s) => s.state === 'failed') ? indicator.down(details) : indicator.up(details);
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
