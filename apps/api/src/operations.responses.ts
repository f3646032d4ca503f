import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PrincipalResponse {
  @ApiProperty({ example: 'mgr-north' }) userId!: string;
  @ApiProperty({ enum: ['admin', 'director', 'manager', 'rep', 'analyst'] }) role!: string;
  @ApiPropertyOptional({ example: 'north' }) teamId?: string;
  @ApiPropertyOptional({ example: 'rep-ana' }) repId?: string;
}

interface ProjectionFailureResponse {
  position: number;
  eventType: string;
  error: string;
  at: string;
}

export class ProjectionStatusResponse {
  @ApiProperty({ example: 'scorecards' }) name!: string;
  @ApiProperty({ enum: ['running', 'failed', 'not started'] }) state!: string;
  @ApiProperty({ type: Number, nullable: true, example: 6074 }) position!: number | null;
  @ApiProperty({
    example: 5800,
    description:
      'events of the types this projection applies that it has applied (others pass it by: the alerts apply only alert events)',
  })
  eventsApplied!: number;
  @ApiProperty({ example: 0 }) lagEvents!: number;
  @ApiProperty({ example: 0 }) lagSeconds!: number;
  @ApiProperty({ type: String, nullable: true }) updatedAt!: string | null;
  @ApiProperty({
    example: 0,
    description:
      'stored results applied but not yet settled (scorecards: the stored scorecards BI reads); 0 once caught up',
  })
  unsettled!: number;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'the event it stopped on: {position, eventType, error, at}; null while applying',
  })
  failure!: ProjectionFailureResponse | null;
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'checks that are up' })
  info?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'checks that are down' })
  error?: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'every check: eventStore, projections' })
  details!: Record<string, unknown>;
}
