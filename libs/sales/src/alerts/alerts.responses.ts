import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALERT_RULE_IDS } from '@salesledger/domain/alerts/alert-settings';

export class EvidenceResponse {
  @ApiProperty({
    example: 'Sold 9000.00 of 25000.00 expected after 12 of 22 working days of 2026-03: 36% of pace, below 85%.',
  })
  summary!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', nullable: true }, { type: 'number' }] },
    description: 'the figures compared (money as decimal strings)',
    example: { target: '50000.00', actual: '9000.00', expected: '25000.00', pace: 0.36, threshold: 0.85 },
  })
  figures!: Record<string, string | number | null>;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'cumulative actual against expected, day by day',
  })
  paceCurve?: Record<string, unknown>[];
  @ApiProperty({
    type: 'array',
    items: { type: 'integer' },
    example: [1204, 1310, 1388],
    description: 'the log positions of the events behind the figures (target, orders, visit, paper or request)',
  })
  positions!: number[];
}

export class DeliveryResponse {
  @ApiProperty({ example: 'email' }) channel!: string;
  @ApiProperty({ example: 'mina@example.com' }) recipient!: string;
  @ApiProperty({ example: '2026-03-12T08:00:05.000Z' }) deliveredAt!: string;
}

export class AlertResponse {
  @ApiProperty({ example: 'alert-7d1e' }) id!: string;
  @ApiProperty({ enum: ALERT_RULE_IDS }) rule!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty({ enum: ['warning', 'critical'] }) severity!: string;
  @ApiProperty({ enum: ['open', 'acknowledged', 'resolved'] }) status!: string;
  @ApiProperty({ example: '2026-03-12T08:00:00.000Z' }) raisedAt!: string;
  @ApiProperty({ type: EvidenceResponse }) evidence!: EvidenceResponse;
  @ApiProperty({ example: 'north', description: 'the team the rep was in when it was raised' }) teamId!: string;
  @ApiProperty({ type: String, nullable: true }) escalatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) acknowledgedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) acknowledgedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) resolution!: string | null;
  @ApiProperty({ type: [DeliveryResponse] }) deliveries!: DeliveryResponse[];
}

export class WebhookSubscriptionResponse {
  @ApiProperty({ example: 'whs_0b9f...' }) id!: string;
  @ApiProperty({ example: 'https://hooks.example.com/salesledger' }) url!: string;
  @ApiProperty({ type: [String], enum: ['warning', 'critical'] }) severities!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true, example: null }) disabledReason!: string | null;
  @ApiProperty({ example: '2026-03-01T08:00:00.000Z' }) createdAt!: string;
}

export class CreatedWebhookSubscriptionResponse extends WebhookSubscriptionResponse {
  @ApiProperty({ example: 'whsec_...', description: 'shown only now: the key to verify the signature' })
  secret!: string;
}
