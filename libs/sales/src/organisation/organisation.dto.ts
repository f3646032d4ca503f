import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ID, ID_RULE, IsDay } from '../shared/dto-rules';
import { PageQuery } from '../shared/paging.dto';

const ROLES = ['admin', 'director', 'manager', 'rep', 'analyst'] as const;

export class CreateUserDto {
  @ApiProperty({ example: 'mgr-north' }) @Matches(ID, ID_RULE) id!: string;
  @ApiProperty({ example: 'Mina Park' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ example: 'mina@example.com' }) @IsEmail() email!: string;
  @ApiProperty({ enum: ROLES, description: 'a director creates managers, reps and analysts; an admin anyone' })
  @IsIn(ROLES)
  role!: (typeof ROLES)[number];
  @ApiPropertyOptional({ example: 'north', description: "a manager's team" })
  @IsOptional()
  @Matches(ID, ID_RULE)
  teamId?: string;
  @ApiPropertyOptional({ example: 'rep-ana', description: "a rep user's rep" })
  @IsOptional()
  @Matches(ID, ID_RULE)
  repId?: string;
}

export class CreateTeamDto {
  @ApiProperty({ example: 'north' }) @Matches(ID, ID_RULE) id!: string;
  @ApiProperty({ example: 'North' }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ example: 'mgr-north' }) @IsOptional() @Matches(ID, ID_RULE) managerUserId?: string;
}

export class AssignManagerDto {
  @ApiProperty({ example: 'mgr-north', description: 'a user with the manager role in this team' })
  @Matches(ID, ID_RULE)
  managerUserId!: string;
}

export class CreateRepDto {
  @ApiProperty({ example: 'rep-ana' }) @Matches(ID, ID_RULE) id!: string;
  @ApiProperty({ example: 'Ana Ruiz' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ example: 'ana@example.com' }) @IsEmail() email!: string;
  @ApiProperty({ example: 'north' }) @Matches(ID, ID_RULE) teamId!: string;
}

export class MoveRepDto {
  @ApiProperty({ example: 'south' }) @Matches(ID, ID_RULE) teamId!: string;
}

export class RepDepartureDto {
  @ApiProperty({ example: 'moved abroad' }) @IsString() @Length(1, 1000) reason!: string;
  @ApiProperty({ example: '2026-06-30' })
  @IsDay()
  leftOn!: string;
}

export class RepsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'north' }) @IsOptional() @Matches(ID, ID_RULE) teamId?: string;
}

export class IssueTokenDto {
  @ApiPropertyOptional({ example: 'BI laptop', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  label?: string;
  @ApiPropertyOptional({
    example: 90,
    minimum: 1,
    maximum: 3650,
    description: 'refused after this many days; no expiry when absent',
  })
  @IsOptional()
  @IsInt({ message: '$property must be a whole number of days' })
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}
