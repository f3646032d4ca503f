import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsInt,
  ArrayMinSize,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { GRAINS, type Grain } from '@salesledger/domain/scorecards/grains';
import { MONTH } from '@salesledger/domain/targets/target.decider';
import { VISIT_KINDS } from '@salesledger/domain/visits/visit.decider';

// No maxDecimalPlaces on numbers: class-validator 0.15 throws on exponent notation (3e-323) with it.
// Money is rounded half-even to the cent where it enters the domain (toMoney).

/** Client-chosen ids become stream names: keep them short and plain. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
export const ID_RULE = {
  message: '$property must be 1-100 letters, digits, _ . : - (starting with a letter or digit)',
};
const ROLES = ['admin', 'director', 'manager', 'rep', 'analyst'] as const;

export class CreateUserDto {
  @ApiProperty() @Matches(ID, ID_RULE) id!: string;
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty() @IsEmail() email!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: (typeof ROLES)[number];
  @ApiPropertyOptional() @IsOptional() @Matches(ID, ID_RULE) teamId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID, ID_RULE) repId?: string;
}

export class CreateTeamDto {
  @ApiProperty() @Matches(ID, ID_RULE) id!: string;
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID, ID_RULE) managerUserId?: string;
}

export class CreateRepDto {
  @ApiProperty() @Matches(ID, ID_RULE) id!: string;
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty() @IsEmail() email!: string;
  @ApiProperty() @Matches(ID, ID_RULE) teamId!: string;
}

export class CreateCustomerDto {
  @ApiProperty() @Matches(ID, ID_RULE) id!: string;
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty() @Matches(ID, ID_RULE) repId!: string;
  @ApiPropertyOptional({ enum: ['prospect', 'customer'], default: 'customer' })
  @IsOptional()
  @IsIn(['prospect', 'customer'])
  status?: 'prospect' | 'customer';
}

export class CategoryTargetDto {
  @ApiProperty({ example: 'tools' }) @IsString() @Length(1, 100) category!: string;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e12) amount!: number;
}

export class SetTargetDto {
  @ApiPropertyOptional({
    type: [CategoryTargetDto],
    description: 'the amount split by product category; must add up to it',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => CategoryTargetDto)
  @ArrayMaxSize(200)
  categories?: CategoryTargetDto[];

  @ApiProperty({ example: 120000 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1e12)
  amount!: number;
  @ApiProperty({ example: 'Q2 push on the northern accounts' }) @IsString() @Length(1, 1000) reason!: string;
}

export class LogVisitDto {
  @ApiProperty() @Matches(ID, ID_RULE) id!: string;
  @ApiProperty() @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty() @Matches(ID, ID_RULE) customerId!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00Z' }) @IsISO8601({ strict: true }) occurredAt!: string;
  @ApiProperty({ enum: VISIT_KINDS }) @IsIn(VISIT_KINDS) kind!: (typeof VISIT_KINDS)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) outcome?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 5000) notes?: string;
  @ApiPropertyOptional({ example: '2026-03-09', description: 'the day the rep promised to follow up' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DAY, { message: '$property must be YYYY-MM-DD' })
  followUpOn?: string;
}

export class OrderLineDto {
  @ApiProperty() @IsString() @Length(1, 100) sku!: string;
  @ApiProperty() @IsString() @Length(1, 100) category!: string;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.001) @Max(1e9) quantity!: number;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e9) unitPrice!: number;
  @ApiPropertyOptional({ description: 'fraction, 0 to 1' }) @IsOptional() @IsNumber() @Min(0) @Max(1) discount?: number;
}

export class PlaceOrderDto {
  @ApiProperty() @Matches(ID, ID_RULE) id!: string;
  @ApiProperty() @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty() @Matches(ID, ID_RULE) customerId!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00Z' }) @IsISO8601({ strict: true }) placedAt!: string;
  @ApiProperty({ type: [OrderLineDto] })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  lines!: OrderLineDto[];
}

export class CancelOrderDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason!: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({ description: 'ISO-8601 instant: the target as it was known then' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class MoveRepDto {
  @ApiProperty() @Matches(ID, ID_RULE) teamId!: string;
}

export class RepDepartureDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason!: string;
  @ApiProperty({ example: '2026-06-30' })
  @IsISO8601({ strict: true })
  @Matches(DAY, { message: '$property must be YYYY-MM-DD' })
  leftOn!: string;
}

export class ReassignCustomerDto {
  @ApiProperty() @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty() @IsString() @Length(1, 1000) reason!: string;
}

export class KeyAccountDto {
  @ApiProperty() @IsBoolean() keyAccount!: boolean;
}

export class CustomerLossDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason!: string;
  @ApiProperty({ example: '2026-06-30' })
  @IsISO8601({ strict: true })
  @Matches(DAY, { message: '$property must be YYYY-MM-DD' })
  lostOn!: string;
}

export class PaperDto {
  @ApiProperty({ description: 'the plan or report itself' }) @IsString() @Length(1, 20000) content!: string;
}

export class RecordReviewDto {
  @ApiProperty() @Matches(ID, ID_RULE) id!: string;
  @ApiProperty() @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty({ example: '2026-03', description: 'the month reviewed' })
  @Matches(MONTH, { message: '$property must be YYYY-MM' })
  period!: string;
  @ApiProperty({ minimum: 1, maximum: 5, description: 'discipline score' }) @IsInt() @Min(1) @Max(5) score!: number;
  @ApiProperty() @IsString() @Length(0, 5000) notes!: string;
}

export class ReceiveRequestDto {
  @ApiProperty() @Matches(ID, ID_RULE) id!: string;
  @ApiProperty() @Matches(ID, ID_RULE) customerId!: string;
  @ApiProperty() @IsString() @Length(1, 500) subject!: string;
  @ApiProperty({ example: '2026-03-02T09:00:00Z' }) @IsISO8601({ strict: true }) receivedAt!: string;
  @ApiPropertyOptional({ default: 24 }) @IsOptional() @IsInt() @Min(1) @Max(24 * 90) slaHours?: number;
}

export class AnswerRequestDto {
  @ApiProperty({ example: '2026-03-02T15:00:00Z' }) @IsISO8601({ strict: true }) answeredAt!: string;
}

export class RejectProposalDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason!: string;
}

export class ApprovalPolicyDto {
  @ApiProperty({ enum: ['off', 'above-threshold'] }) @IsIn(['off', 'above-threshold']) mode!: 'off' | 'above-threshold';
  @ApiPropertyOptional({ description: 'a manager change moving the target by more than this needs a director' })
  @ValidateIf((policy: ApprovalPolicyDto) => policy.mode === 'above-threshold')
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  threshold?: number;
}

export class AmendOrderDto {
  @ApiProperty({ type: [OrderLineDto], description: 'the lines the order has from now on' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  lines!: OrderLineDto[];
  @ApiProperty() @IsString() @Length(1, 1000) reason!: string;
}

export class CloseFollowUpDto {
  @ApiProperty({ enum: ['completed', 'missed'] }) @IsIn(['completed', 'missed']) outcome!: 'completed' | 'missed';
  @ApiProperty({ example: '2026-03-09' })
  @IsISO8601({ strict: true })
  @Matches(DAY, { message: '$property must be YYYY-MM-DD' })
  on!: string;
}

export class BreakdownQuery extends AsOfQuery {
  @ApiProperty({ enum: ['week', 'day'] }) @IsIn(['week', 'day']) grain!: 'week' | 'day';
}

export class HolidaysDto {
  @ApiProperty({ example: ['2026-12-25', '2026-12-26'], description: 'every company holiday; replaces the list' })
  @ArrayMaxSize(1000)
  @IsISO8601({ strict: true }, { each: true })
  @Matches(DAY, { each: true, message: 'each of $property must be YYYY-MM-DD' })
  dates!: string[];
}

export class RepAllocationDto {
  @ApiProperty() @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e12) amount!: number;
}

export class TeamAllocationDto {
  @ApiProperty() @Matches(ID, ID_RULE) teamId!: string;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e12) amount!: number;
  @ApiPropertyOptional({
    type: [RepAllocationDto],
    description: "the team's amount split to its reps; must add up to it",
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => RepAllocationDto)
  @ArrayMaxSize(1000)
  reps?: RepAllocationDto[];
}

export class CompanyPlanDto {
  @ApiProperty({ example: 12_000_000 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1e13)
  amount!: number;
  @ApiProperty({
    example: [0.8, 0.85, 1, 1, 1.05, 0.95, 0.7, 0.65, 1.05, 1.1, 1.25, 1.4],
    description: '12 positive seasonality weights, January first',
  })
  @ArrayMinSize(12)
  @ArrayMaxSize(12)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  @Min(0.000001, { each: true })
  weights!: number[];
  @ApiProperty({ type: [TeamAllocationDto], description: 'must add up to the plan amount' })
  @ValidateNested({ each: true })
  @Type(() => TeamAllocationDto)
  @ArrayMaxSize(1000)
  teams!: TeamAllocationDto[];
  @ApiProperty() @IsString() @Length(1, 1000) reason!: string;
}

export class PaperDueDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;
  @ApiProperty({ minimum: 0, maximum: 23 }) @IsInt() @Min(0) @Max(23) hour!: number;
}

export class PapersDueDto {
  @ApiProperty({ type: PaperDueDto }) @ValidateNested() @Type(() => PaperDueDto) plan!: PaperDueDto;
  @ApiProperty({ type: PaperDueDto }) @ValidateNested() @Type(() => PaperDueDto) report!: PaperDueDto;
}

export class ScorecardQuery {
  @ApiProperty({ enum: GRAINS, example: 'month' })
  @IsIn(GRAINS)
  grain!: Grain;

  @ApiProperty({ example: '2026-03', description: 'YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn or YYYY, by grain' })
  @IsString()
  @Length(4, 10)
  period!: string;

  @ApiPropertyOptional({ description: 'ISO-8601 instant: the scorecard from the events recorded up to then' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class LeaderboardQuery {
  @ApiProperty({ enum: GRAINS, example: 'month' })
  @IsIn(GRAINS)
  grain!: Grain;

  @ApiProperty({ example: '2026-03' })
  @IsString()
  @Length(4, 10)
  period!: string;

  @ApiPropertyOptional({ description: "one team's reps only" })
  @IsOptional()
  @Matches(ID, ID_RULE)
  teamId?: string;
}

export class ScorecardWeightsDto {
  @ApiProperty({ example: 0.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  attainment!: number;
  @ApiProperty({ example: 0.2 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  discipline!: number;
  @ApiProperty({ example: 0.15 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  planCompletionRate!: number;
  @ApiProperty({ example: 0.15 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  requestResponseRate!: number;
}

export class ScorecardTemplateDto {
  @ApiProperty({ type: ScorecardWeightsDto })
  @ValidateNested()
  @Type(() => ScorecardWeightsDto)
  weights!: ScorecardWeightsDto;
}
