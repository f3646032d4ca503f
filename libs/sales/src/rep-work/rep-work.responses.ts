import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PaperResponse {
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: '2026-W10' }) week!: string;
  @ApiProperty({ example: '2026-03-02T09:00:00.000Z' }) dueAt!: string;
  @ApiProperty({ example: '2026-03-02T08:12:00.000Z' }) submittedAt!: string;
  @ApiProperty() late!: boolean;
}

export class ReviewResponse {
  @ApiProperty({ example: 'review-2026-03-ana' }) id!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty({ example: 4 }) score!: number;
  @ApiProperty() notes!: string;
}

export class RequestResponse {
  @ApiProperty({ example: 'req-77' }) id!: string;
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ example: 'rep-ana', description: "the customer's owner, who must answer" }) repId!: string;
  @ApiProperty({ example: 'quote for 40 drills' }) subject!: string;
  @ApiProperty({ example: '2026-03-02T09:00:00Z' }) receivedAt!: string;
  @ApiProperty({ example: 24 }) slaHours!: number;
  @ApiProperty({ example: '2026-03-03T09:00:00.000Z' }) dueAt!: string;
  @ApiProperty() answered!: boolean;
  @ApiPropertyOptional() slaMissed?: boolean;
}
