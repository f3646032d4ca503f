import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsInstant, IsMoney, type MoneyInput } from '../shared/dto-rules';
import { MONEY_INPUT } from '../shared/openapi';
import { PageQuery } from '../shared/paging.dto';

export class CategoryTargetDto {
  @ApiProperty({ example: 'tools' }) @IsString() @Length(1, 100) category!: string;
  @ApiProperty(MONEY_INPUT) @IsMoney() amount!: MoneyInput;
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

  @ApiProperty(MONEY_INPUT) @IsMoney() amount!: MoneyInput;
  @ApiProperty({ example: 'Q2 push on the northern accounts' }) @IsString() @Length(1, 1000) reason!: string;
}

export class RejectProposalDto {
  @ApiProperty({ example: 'the region is already stretched' }) @IsString() @Length(1, 1000) reason!: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({ description: 'ISO-8601 instant: as it was known then', example: '2026-03-15T12:00:00Z' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}

export class BreakdownQuery extends AsOfQuery {
  @ApiProperty({ enum: ['week', 'day'] }) @IsIn(['week', 'day']) grain!: 'week' | 'day';
}

export class ProposalsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'] })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'])
  status?: 'pending' | 'approved' | 'rejected';
}
