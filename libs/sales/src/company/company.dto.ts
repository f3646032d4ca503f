import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ID, ID_RULE, IsDay, IsMoney, type MoneyInput } from '../shared/dto-rules';
import { MONEY_INPUT } from '../shared/openapi';

export class ApprovalPolicyDto {
  @ApiProperty({ enum: ['off', 'above-threshold'] }) @IsIn(['off', 'above-threshold']) mode!: 'off' | 'above-threshold';
  @ApiPropertyOptional({
    ...MONEY_INPUT,
    description: 'a manager change moving the target by more than this needs a director',
  })
  @ValidateIf((policy: ApprovalPolicyDto) => policy.mode === 'above-threshold')
  @IsMoney()
  threshold?: MoneyInput;
}

export class PaperDueDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday', example: 1 })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;
  @ApiProperty({ minimum: 0, maximum: 23, example: 10 }) @IsInt() @Min(0) @Max(23) hour!: number;
}

export class PapersDueDto {
  @ApiProperty({ type: PaperDueDto }) @IsObject() @ValidateNested() @Type(() => PaperDueDto) plan!: PaperDueDto;
  @ApiProperty({ type: PaperDueDto }) @IsObject() @ValidateNested() @Type(() => PaperDueDto) report!: PaperDueDto;
}

export class HolidaysDto {
  @ApiProperty({ example: ['2026-12-25', '2026-12-26'], description: 'every company holiday; replaces the list' })
  @ArrayMaxSize(1000)
  @IsDay({ each: true })
  dates!: string[];
}

export class RepAllocationDto {
  @ApiProperty({ example: 'rep-ana' }) @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty(MONEY_INPUT) @IsMoney() amount!: MoneyInput;
}

export class TeamAllocationDto {
  @ApiProperty({ example: 'north' }) @Matches(ID, ID_RULE) teamId!: string;
  @ApiProperty(MONEY_INPUT) @IsMoney() amount!: MoneyInput;
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
  @ApiProperty({ ...MONEY_INPUT, example: '12000000.00' }) @IsMoney(1e13) amount!: MoneyInput;
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
  @ApiProperty({ example: 'FY plan approved by the board' }) @IsString() @Length(1, 1000) reason!: string;
}
