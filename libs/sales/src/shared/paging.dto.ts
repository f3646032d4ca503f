import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { PageRequest } from '@salesledger/read-model/keyset-page';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

/** `?limit=&cursor=`, on every list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

export const pageOf = (query: PageQuery): PageRequest => ({
  limit: query.limit ?? DEFAULT_PAGE,
  ...(query.cursor !== undefined && { cursor: query.cursor }),
});
