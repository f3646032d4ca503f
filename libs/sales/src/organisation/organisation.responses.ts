import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const ROLES = ['admin', 'director', 'manager', 'rep', 'analyst'];

export class RegisteredUserResponse {
  @ApiProperty({ example: 'mgr-north' }) id!: string;
  @ApiProperty({ example: 'Mina Park' }) name!: string;
  @ApiProperty({ example: 'mina@example.com' }) email!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiPropertyOptional({ example: 'north' }) teamId?: string;
  @ApiPropertyOptional({ example: 'rep-ana' }) repId?: string;
  @ApiProperty({ description: 'false once deactivated: every token of theirs is refused' }) active!: boolean;
}

export class UserResponse {
  @ApiProperty({ example: 'mgr-north' }) id!: string;
  @ApiProperty({ example: 'Mina Park' }) name!: string;
  @ApiProperty({ example: 'mina@example.com' }) email!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'north',
    description: "the user's team (a rep user: its rep's)",
  })
  teamId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) repId!: string | null;
  @ApiProperty({ example: '2026-03-01T08:00:00.000Z' }) registeredAt!: string;
  @ApiProperty({ description: 'false once deactivated' }) active!: boolean;
}

export class IssuedTokenResponse {
  @ApiProperty({ example: 'tok_5f0e...', description: 'names the token in lists and revocation' }) tokenId!: string;
  @ApiProperty({ example: 'sl_3q2-7w...', description: 'shown only now: only its hash is kept' }) token!: string;
}

export class TokenResponse {
  @ApiProperty({ example: 'tok_5f0e...' }) tokenId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'BI laptop' }) label!: string | null;
  @ApiProperty({ example: '2026-03-01T08:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-06-01T08:00:00.000Z' }) expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'to the minute' }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'revoked one by one, or with its user' })
  revokedAt!: string | null;
}

export class TeamCreatedResponse {
  @ApiProperty({ example: 'north' }) id!: string;
  @ApiProperty({ example: 'North' }) name!: string;
  @ApiPropertyOptional({ example: 'mgr-north' }) managerUserId?: string;
}

export class TeamResponse {
  @ApiProperty({ example: 'north' }) id!: string;
  @ApiProperty({ example: 'North' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'mgr-north' }) managerUserId!: string | null;
}

export class RepStateResponse {
  @ApiProperty({ enum: ['active', 'left'] }) status!: string;
  @ApiProperty({ example: 'rep-ana' }) id!: string;
  @ApiProperty({ example: 'Ana Ruiz' }) name!: string;
  @ApiProperty({ example: 'ana@example.com' }) email!: string;
  @ApiProperty({ example: 'north' }) teamId!: string;
}

export class RepResponse {
  @ApiProperty({ example: 'rep-ana' }) id!: string;
  @ApiProperty({ example: 'Ana Ruiz' }) name!: string;
  @ApiProperty({ example: 'ana@example.com' }) email!: string;
  @ApiProperty({ example: 'north' }) teamId!: string;
  @ApiProperty({ enum: ['active', 'left'] }) status!: string;
  @ApiProperty({ example: '2026-03-01', description: 'the day the hire was recorded' }) hiredOn!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) leftOn!: string | null;
}
