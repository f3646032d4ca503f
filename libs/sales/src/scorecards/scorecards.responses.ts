import { ApiProperty } from '@nestjs/swagger';
import { GRAINS } from '@salesledger/domain/scorecards/grains';
import { MONEY } from '../shared/openapi';

const RATIO = { type: Number, nullable: true, example: 0.9312 } as const;

/** Every KPI of the brief by its name (docs/kpis.md); money as decimal strings, ratios as numbers. */
export class ScorecardResponse {
  @ApiProperty({ enum: GRAINS }) grain!: string;
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty(MONEY) target!: string;
  @ApiProperty(MONEY) actual!: string;
  @ApiProperty({ ...RATIO, description: 'actual / target; null when the target is 0' }) attainment!: number | null;
  @ApiProperty({ ...MONEY, description: "target x share of the period's working days elapsed" })
  expectedToDate!: string;
  @ApiProperty({ ...RATIO, description: 'actual / expectedToDate' }) pace!: number | null;
  @ApiProperty({ example: 14 }) orders!: number;
  @ApiProperty({ example: 2 }) newCustomers!: number;
  @ApiProperty({ example: 3 }) prospectsDeveloped!: number;
  @ApiProperty({ example: 21 }) salesVisits!: number;
  @ApiProperty({ example: 12 }) existingCustomerVisits!: number;
  @ApiProperty({ example: 0 }) lostCustomers!: number;
  @ApiProperty(RATIO) growthRate!: number | null;
  @ApiProperty(RATIO) yoyGrowth!: number | null;
  @ApiProperty({ ...RATIO, description: 'mean review score, 1 to 5' }) discipline!: number | null;
  @ApiProperty(RATIO) planCompletionRate!: number | null;
  @ApiProperty(RATIO) requestResponseRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 95 }) medianResponseMinutes!: number | null;
  @ApiProperty(RATIO) compositeScore!: number | null;
  @ApiProperty({ example: 1 }) templateVersion!: number;
  @ApiProperty({ example: 22 }) workingDays!: number;
  @ApiProperty({ example: 10 }) workingDaysElapsed!: number;
}

export class RepScorecardResponse extends ScorecardResponse {
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
}

export class TeamScorecardResponse extends ScorecardResponse {
  @ApiProperty({ example: 'north' }) teamId!: string;
}

export class LeaderboardEntryResponse {
  @ApiProperty({ example: 1 }) rank!: number;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: 'Ana Ruiz' }) repName!: string;
  @ApiProperty({ type: String, nullable: true, example: 'north' }) teamId!: string | null;
  @ApiProperty(RATIO) compositeScore!: number | null;
  @ApiProperty(RATIO) attainment!: number | null;
  @ApiProperty(MONEY) actual!: string;
  @ApiProperty(MONEY) target!: string;
  @ApiProperty(RATIO) pace!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 14 }) orders!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 2 }) newCustomers!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 3 }) prospectsDeveloped!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 21 }) salesVisits!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 12 }) existingCustomerVisits!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0 }) lostCustomers!: number | null;
  @ApiProperty(RATIO) growthRate!: number | null;
  @ApiProperty(RATIO) yoyGrowth!: number | null;
  @ApiProperty(RATIO) discipline!: number | null;
  @ApiProperty(RATIO) planCompletionRate!: number | null;
  @ApiProperty(RATIO) requestResponseRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 95 }) medianResponseMinutes!: number | null;
}

export class LeaderboardResponse {
  @ApiProperty({ enum: GRAINS }) grain!: string;
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty({ type: String, nullable: true }) teamId!: string | null;
  @ApiProperty({ type: [LeaderboardEntryResponse] }) entries!: LeaderboardEntryResponse[];
}

export class DrillDownResponse {
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ enum: GRAINS }) grain!: string;
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty({ example: 'orders' }) kpi!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'the orders, visits or customers behind the figure, each with the position of its event',
  })
  items!: Record<string, unknown>[];
}

export class PaceDayResponse {
  @ApiProperty({ example: '2026-03-02' }) day!: string;
  @ApiProperty({ description: 'false on weekends and company holidays' }) working!: boolean;
  @ApiProperty({ ...MONEY, description: "the day's share of the month's target" }) target!: string;
  @ApiProperty({ ...MONEY, description: 'net sales placed that day' }) actual!: string;
  @ApiProperty(MONEY) cumulativeTarget!: string;
  @ApiProperty(MONEY) cumulativeActual!: string;
}

export class PaceResponse {
  @ApiProperty({ example: '2026-03' }) month!: string;
  @ApiProperty({ type: String, nullable: true, example: 'rep-ana', description: 'set for a rep' })
  repId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'north', description: 'set for a team' })
  teamId!: string | null;
  @ApiProperty({ ...MONEY, description: "the scorecard's target for the month" }) target!: string;
  @ApiProperty({ ...MONEY, description: "the scorecard's actual for the month" }) actual!: string;
  @ApiProperty({ ...MONEY, description: "the scorecard's expectedToDate" }) expectedToDate!: string;
  @ApiProperty({
    ...MONEY,
    nullable: true,
    description: 'actual / working days elapsed x working days in the month; null before a working day has ended',
  })
  projection!: string | null;
  @ApiProperty({ example: 22 }) workingDays!: number;
  @ApiProperty({ example: 10 }) workingDaysElapsed!: number;
  @ApiProperty({ type: [PaceDayResponse], description: 'every calendar day of the month, in order' })
  days!: PaceDayResponse[];
}

export class TemplateWeightsResponse {
  @ApiProperty({ example: 0.5 }) attainment!: number;
  @ApiProperty({ example: 0.2 }) discipline!: number;
  @ApiProperty({ example: 0.15 }) planCompletionRate!: number;
  @ApiProperty({ example: 0.15 }) requestResponseRate!: number;
}

export class TemplateResponse {
  @ApiProperty({ example: 1, description: '0 until a director sets one' }) version!: number;
  @ApiProperty({ type: TemplateWeightsResponse }) weights!: TemplateWeightsResponse;
}
