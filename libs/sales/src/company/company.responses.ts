import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MONEY } from '../shared/openapi';
import { PaperDueDto } from './company.dto';

export class ApprovalPolicyResponse {
  @ApiProperty({ enum: ['off', 'above-threshold'] }) mode!: string;
  @ApiPropertyOptional(MONEY) threshold?: string;
}

export class PapersDueResponse {
  @ApiProperty({ type: PaperDueDto }) plan!: PaperDueDto;
  @ApiProperty({ type: PaperDueDto }) report!: PaperDueDto;
}

export class SettingsResponse {
  @ApiProperty({ type: ApprovalPolicyResponse }) targetApproval!: ApprovalPolicyResponse;
  @ApiProperty({ type: [String], example: ['2026-12-25'] }) holidays!: string[];
  @ApiProperty({ type: PapersDueResponse }) papersDue!: PapersDueResponse;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'rules (on/off and thresholds), escalateAfterHours, churnAfterDays: see docs/alerts.md',
  })
  alerts!: Record<string, unknown>;
}

export class TeamPlanResponse {
  @ApiProperty(MONEY) amount!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', pattern: '^\\d+\\.\\d{2}$' },
    example: { 'rep-ana': '600000.00' },
  })
  reps?: Record<string, string>;
}

export class CompanyPlanResponse {
  @ApiProperty({ example: 2027 }) year!: number;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ type: [Number], example: [0.8, 0.85, 1, 1, 1.05, 0.95, 0.7, 0.65, 1.05, 1.1, 1.25, 1.4] })
  weights!: number[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/TeamPlanResponse' } })
  teams!: Record<string, TeamPlanResponse>;
  @ApiProperty({ example: 'FY plan approved by the board' }) reason!: string;
  @ApiProperty({ example: 1 }) version!: number;
}

export class CompanyPlanSetResponse extends CompanyPlanResponse {
  @ApiProperty({ example: 96, description: 'rep monthly targets set from the plan' }) repMonthTargets!: number;
}
