import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { GRAINS, type Grain } from '@salesledger/domain/scorecards/grains';
import { ID, ID_RULE, IsInstant } from '../shared/dto-rules';

const PERIOD = 'YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn or YYYY, by grain';

export class ScorecardQuery {
  @ApiProperty({ enum: GRAINS, example: 'month' }) @IsIn(GRAINS) grain!: Grain;

  @ApiProperty({ example: '2026-03', description: PERIOD }) @IsString() @MaxLength(10) period!: string;

  @ApiPropertyOptional({ description: 'ISO-8601 instant: the scorecard from the events recorded up to then' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}

export class PaceQuery {
  @ApiPropertyOptional({ description: 'ISO-8601 instant: the curve from the events recorded up to then' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}

export class LeaderboardQuery {
  @ApiProperty({ enum: GRAINS, example: 'month' }) @IsIn(GRAINS) grain!: Grain;
  @ApiProperty({ example: '2026-03', description: PERIOD }) @IsString() @MaxLength(10) period!: string;
  @ApiPropertyOptional({ description: "one team's reps only" }) @IsOptional() @Matches(ID, ID_RULE) teamId?: string;
}

const WEIGHT = { allowNaN: false, allowInfinity: false };

export class ScorecardWeightsDto {
  @ApiProperty({ example: 0.5 }) @IsNumber(WEIGHT) @Min(0) @Max(1000) attainment!: number;
  @ApiProperty({ example: 0.2 }) @IsNumber(WEIGHT) @Min(0) @Max(1000) discipline!: number;
  @ApiProperty({ example: 0.15 }) @IsNumber(WEIGHT) @Min(0) @Max(1000) planCompletionRate!: number;
  @ApiProperty({ example: 0.15 }) @IsNumber(WEIGHT) @Min(0) @Max(1000) requestResponseRate!: number;
}

export class ScorecardTemplateDto {
  @ApiProperty({ type: ScorecardWeightsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ScorecardWeightsDto)
  weights!: ScorecardWeightsDto;
}
