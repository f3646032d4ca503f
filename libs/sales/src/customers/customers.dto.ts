import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ID, ID_RULE, IsDay } from '../shared/dto-rules';
import { PageQuery } from '../shared/paging.dto';

export class CreateCustomerDto {
  @ApiProperty({ example: 'acme' }) @Matches(ID, ID_RULE) id!: string;
  @ApiProperty({ example: 'Acme Tools' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ example: 'rep-ana', description: 'the owning rep' }) @Matches(ID, ID_RULE) repId!: string;
  @ApiPropertyOptional({ enum: ['prospect', 'customer'], default: 'customer' })
  @IsOptional()
  @IsIn(['prospect', 'customer'])
  status?: 'prospect' | 'customer';
}

export class ReassignCustomerDto {
  @ApiProperty({ example: 'rep-ben' }) @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty({ example: 'territory change' }) @IsString() @Length(1, 1000) reason!: string;
}

export class KeyAccountDto {
  @ApiProperty() @IsBoolean() keyAccount!: boolean;
}

export class CustomerLossDto {
  @ApiProperty({ example: 'went to a competitor' }) @IsString() @Length(1, 1000) reason!: string;
  @ApiProperty({ example: '2026-06-30' })
  @IsDay()
  lostOn!: string;
}

export class CustomersQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'rep-ana' }) @IsOptional() @Matches(ID, ID_RULE) repId?: string;
  @ApiPropertyOptional({ example: 'north', description: "customers of the team's reps (as they are now)" })
  @IsOptional()
  @Matches(ID, ID_RULE)
  teamId?: string;
  @ApiPropertyOptional({ enum: ['prospect', 'customer', 'lost'] })
  @IsOptional()
  @IsIn(['prospect', 'customer', 'lost'])
  status?: 'prospect' | 'customer' | 'lost';
}
