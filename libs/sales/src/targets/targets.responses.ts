import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MONEY } from '../shared/openapi';

const CATEGORIES = {
  type: 'object',
  additionalProperties: { type: 'string', pattern: '^\\d+\\.\\d{2}$' },
  example: { tools: '80000.00', parts: '40000.00' },
  description: 'the amount split by product category',
} as const;

export class TargetResponse {
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ example: 2, description: '1 for the first setting, +1 for every change that took effect' })
  version!: number;
  @ApiPropertyOptional(CATEGORIES) categories?: Record<string, string>;
}

export class ProposalPendingResponse {
  @ApiProperty({ example: '7f0c...' }) proposalId!: string;
  @ApiProperty({ enum: ['pending'] }) status!: string;
  @ApiProperty(MONEY) amount!: string;
}

export class ProposalDecisionResponse {
  @ApiProperty({ example: '7f0c...' }) proposalId!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) status!: string;
  @ApiProperty({ ...MONEY, nullable: true, description: 'the target now in force' }) amount!: string | null;
  @ApiProperty({ example: 3 }) version!: number;
}

export class ActorResponse {
  @ApiProperty({ example: 'director-1' }) userId!: string;
  @ApiProperty({ example: 'director' }) role!: string;
}

export class TargetChangeResponse {
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ ...MONEY, nullable: true, example: null }) previousAmount!: string | null;
  @ApiProperty({ example: 'Q2 push' }) reason!: string;
  @ApiPropertyOptional(CATEGORIES) categories?: Record<string, string>;
  @ApiProperty({ type: ActorResponse }) actor!: ActorResponse;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { userId: { type: 'string' }, role: { type: 'string' } },
    required: ['userId', 'role'],
    description: "who approved a manager's proposal; null for a change that needed none",
  })
  approver!: ActorResponse | null;
  @ApiProperty({ example: '2026-03-01T08:00:00.000Z' }) recordedAt!: string;
}

export class PeriodShareResponse {
  @ApiProperty({ example: '2026-W10' }) period!: string;
  @ApiProperty({ example: 5 }) workingDays!: number;
  @ApiProperty(MONEY) amount!: string;
}

export class BreakdownResponse {
  @ApiProperty({ example: '2026-03' }) month!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty({ example: 22 }) workingDays!: number;
  @ApiProperty({ type: [PeriodShareResponse] }) periods!: PeriodShareResponse[];
}

export class ProposalResponse {
  @ApiProperty({ example: '7f0c...' }) proposalId!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: '2026-04' }) month!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ ...MONEY, nullable: true, description: 'the target in force now' }) currentAmount!: string | null;
  @ApiProperty({ example: 'big account landed' }) reason!: string;
  @ApiProperty({ example: 'mgr-north' }) proposedBy!: string;
  @ApiProperty({ example: '2026-03-20T10:00:00.000Z' }) proposedAt!: string;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectionReason!: string | null;
}
