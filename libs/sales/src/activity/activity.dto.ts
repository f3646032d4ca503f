import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { VISIT_KINDS } from '@salesledger/domain/visits/visit.decider';
import { ID, ID_RULE, IsDay, IsInstant, IsMoney, type MoneyInput } from '../shared/dto-rules';
import { MONEY_INPUT } from '../shared/openapi';
import { PageQuery } from '../shared/paging.dto';

const FINITE = { allowNaN: false, allowInfinity: false };

export class LogVisitDto {
  @ApiProperty({ example: 'v-1001' }) @Matches(ID, ID_RULE) id!: string;
  @ApiProperty({ example: 'rep-ana' }) @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty({ example: 'acme' }) @Matches(ID, ID_RULE) customerId!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00Z' }) @IsInstant() occurredAt!: string;
  @ApiProperty({ enum: VISIT_KINDS }) @IsIn(VISIT_KINDS) kind!: (typeof VISIT_KINDS)[number];
  @ApiPropertyOptional({ example: 'demo booked' }) @IsOptional() @IsString() @Length(1, 200) outcome?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 5000) notes?: string;
  @ApiPropertyOptional({ example: '2026-03-09', description: 'the day the rep promised to follow up' })
  @IsOptional()
  @IsDay()
  followUpOn?: string;
}

export class CloseFollowUpDto {
  @ApiProperty({ enum: ['completed', 'missed'] }) @IsIn(['completed', 'missed']) outcome!: 'completed' | 'missed';
  @ApiProperty({ example: '2026-03-09' }) @IsDay() on!: string;
}

export class OrderLineDto {
  @ApiProperty({ example: 'DRL-18V' }) @IsString() @Length(1, 100) sku!: string;
  @ApiProperty({ example: 'tools' }) @IsString() @Length(1, 100) category!: string;
  @ApiProperty({ example: 3 }) @IsNumber(FINITE) @Min(0.001) @Max(1e9) quantity!: number;
  @ApiProperty(MONEY_INPUT) @IsMoney(1e9) unitPrice!: MoneyInput;
  @ApiPropertyOptional({ description: 'fraction, 0 to 1', example: 0.1 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  discount?: number;
}

export class PlaceOrderDto {
  @ApiProperty({ example: 'o-5001' }) @Matches(ID, ID_RULE) id!: string;
  @ApiProperty({ example: 'rep-ana' }) @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty({ example: 'acme' }) @Matches(ID, ID_RULE) customerId!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00Z' }) @IsInstant() placedAt!: string;
  @ApiProperty({ type: [OrderLineDto] })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  lines!: OrderLineDto[];
}

export class AmendOrderDto {
  @ApiProperty({ type: [OrderLineDto], description: 'the lines the order has from now on' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  lines!: OrderLineDto[];
  @ApiProperty({ example: 'customer cut the quantity' }) @IsString() @Length(1, 1000) reason!: string;
}

export class CancelOrderDto {
  @ApiProperty({ example: 'customer withdrew' }) @IsString() @Length(1, 1000) reason!: string;
}

/** `from` inclusive, `to` exclusive. */
export class ActivityQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'rep-ana' }) @IsOptional() @Matches(ID, ID_RULE) repId?: string;
  @ApiPropertyOptional({ example: 'acme' }) @IsOptional() @Matches(ID, ID_RULE) customerId?: string;
  @ApiPropertyOptional({ example: '2026-03-01', description: 'from this instant or day on' })
  @IsOptional()
  @IsInstant()
  from?: string;
  @ApiPropertyOptional({ example: '2026-04-01', description: 'before this instant or day' })
  @IsOptional()
  @IsInstant()
  to?: string;
}
