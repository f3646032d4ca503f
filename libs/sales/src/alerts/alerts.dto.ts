import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ALERT_RULE_IDS, type AlertRuleId } from '@salesledger/domain/alerts/alert-settings';
import type { AlertStatus } from '@salesledger/domain/alerts/alert.decider';
import { ID, ID_RULE } from '../shared/dto-rules';

const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved'];

export class AlertsQuery {
  @ApiPropertyOptional({ enum: ALERT_STATUSES, description: 'escalated alerts are open (see escalatedAt)' })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @ApiPropertyOptional() @IsOptional() @Matches(ID, ID_RULE) repId?: string;

  @ApiPropertyOptional({ description: 'the team the rep was in when the alert was raised' })
  @IsOptional()
  @Matches(ID, ID_RULE)
  teamId?: string;

  @ApiPropertyOptional({ enum: ALERT_RULE_IDS }) @IsOptional() @IsIn(ALERT_RULE_IDS) rule?: AlertRuleId;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500, description: 'newest raised first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AcknowledgeAlertDto {
  @ApiPropertyOptional({ maxLength: 2000, example: 'Spoke to Ana; two large orders land on Thursday.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class CreateAlertWebhookDto {
  @ApiPropertyOptional({ description: 'chosen by the client so a retry is recognised (409 when taken)' })
  @IsOptional()
  @Matches(ID, ID_RULE)
  id?: string;

  @ApiProperty({ example: 'https://hooks.example.com/salesledger', description: 'http(s); not a private address' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ enum: ['warning', 'critical'], isArray: true, default: ['warning', 'critical'] })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(['warning', 'critical'], { each: true })
  severities?: ('warning' | 'critical')[];
}
