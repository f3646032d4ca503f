import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { VISIT_KINDS } from '@salesledger/domain/visits/visit.decider';
import { MONEY } from '../shared/openapi';

export class LoggedVisitResponse {
  @ApiProperty({ example: 'v-1001' }) id!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00Z' }) occurredAt!: string;
  @ApiProperty({ enum: VISIT_KINDS }) kind!: string;
  @ApiPropertyOptional() outcome?: string;
  @ApiPropertyOptional() notes?: string;
  @ApiPropertyOptional({ example: '2026-03-09' }) followUpOn?: string;
  @ApiProperty({ enum: ['none', 'open', 'completed', 'missed'] }) followUp!: string;
}

export class PricedLineResponse {
  @ApiProperty({ example: 'DRL-18V' }) sku!: string;
  @ApiProperty({ example: 'tools' }) category!: string;
  @ApiProperty({ example: 3 }) quantity!: number;
  @ApiProperty(MONEY) unitPrice!: string;
  @ApiProperty({ example: 0.1 }) discount!: number;
  @ApiProperty(MONEY) netAmount!: string;
}

export class OrderStateResponse {
  @ApiProperty({ example: 'o-5001' }) id!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00Z' }) placedAt!: string;
  @ApiProperty({ type: [PricedLineResponse] }) lines!: PricedLineResponse[];
  @ApiProperty(MONEY) netAmount!: string;
  @ApiProperty({ enum: ['placed', 'cancelled'] }) status!: string;
  @ApiPropertyOptional({ description: 'how many times the lines were replaced' }) amendments?: number;
  @ApiPropertyOptional({ example: { reason: 'customer withdrew' } }) cancellation?: { reason: string };
}

export class OrderSummaryResponse {
  @ApiProperty({ example: 'o-5001' }) id!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00.000Z' }) placedAt!: string;
  @ApiProperty(MONEY) netAmount!: string;
  @ApiProperty({ enum: ['placed', 'cancelled'] }) status!: string;
  @ApiProperty({ example: 1, description: 'the current version: 1, then +1 per amendment or cancellation' })
  version!: number;
}

export class OrderVersionResponse {
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty(MONEY) netAmount!: string;
  @ApiProperty() cancelled!: boolean;
  @ApiProperty({ example: '2026-03-02T09:31:00.000Z' }) recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) supersededAt!: string | null;
}

export class OrderLineResponse {
  @ApiProperty({ example: 'DRL-18V' }) sku!: string;
  @ApiProperty({ example: 'tools' }) category!: string;
  @ApiProperty({ example: 3 }) quantity!: number;
  @ApiProperty(MONEY) unitPrice!: string;
  @ApiProperty({ example: 0.1 }) discount!: number;
  @ApiProperty(MONEY) netAmount!: string;
}

export class OrderDetailResponse extends OrderSummaryResponse {
  @ApiProperty({ type: String, nullable: true, example: 'north', description: "the rep's team" }) teamId!:
    string | null;
  @ApiProperty({ type: [OrderLineResponse], description: 'the current lines' }) lines!: OrderLineResponse[];
  @ApiProperty({ type: [OrderVersionResponse], description: 'every version, oldest first' })
  versions!: OrderVersionResponse[];
}

export class VisitResponse {
  @ApiProperty({ example: 'v-1001' }) id!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ example: '2026-03-02T09:30:00.000Z' }) occurredAt!: string;
  @ApiProperty({ enum: VISIT_KINDS }) kind!: string;
  @ApiProperty({ type: String, nullable: true, example: 'demo booked' }) outcome!: string | null;
}
