import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MONTH } from '@salesledger/domain/targets/target.decider';
import { ID, ID_RULE, IsInstant } from '../shared/dto-rules';

export class PaperDto {
  @ApiProperty({ description: 'the plan or report itself', example: 'Mon: Acme demo; Tue: follow-ups in the north' })
  @IsString()
  @Length(1, 20000)
  content!: string;
}

export class RecordReviewDto {
  @ApiProperty({ example: 'review-2026-03-ana' }) @Matches(ID, ID_RULE) id!: string;
  @ApiProperty({ example: 'rep-ana' }) @Matches(ID, ID_RULE) repId!: string;
  @ApiProperty({ example: '2026-03', description: 'the month reviewed' })
  @Matches(MONTH, { message: '$property must be a month YYYY-MM' })
  period!: string;
  @ApiProperty({ minimum: 1, maximum: 5, description: 'discipline score', example: 4 })
  @IsInt({ message: '$property must be a whole number from 1 to 5' })
  @Min(1)
  @Max(5)
  score!: number;
  @ApiProperty({ example: 'plans on time, reports thin' }) @IsString() @Length(0, 5000) notes!: string;
}

export class ReceiveRequestDto {
  @ApiProperty({ example: 'req-77' }) @Matches(ID, ID_RULE) id!: string;
  @ApiProperty({ example: 'acme' }) @Matches(ID, ID_RULE) customerId!: string;
  @ApiProperty({ example: 'quote for 40 drills' }) @IsString() @Length(1, 500) subject!: string;
  @ApiProperty({ example: '2026-03-02T09:00:00Z' }) @IsInstant() receivedAt!: string;
  @ApiPropertyOptional({ default: 24 }) @IsOptional() @IsInt() @Min(1) @Max(24 * 90) slaHours?: number;
}

export class AnswerRequestDto {
  @ApiProperty({ example: '2026-03-02T15:00:00Z' }) @IsInstant() answeredAt!: string;
}
