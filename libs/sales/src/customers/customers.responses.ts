import { ApiProperty } from '@nestjs/swagger';

export class CustomerStateResponse {
  @ApiProperty({ example: 'acme' }) id!: string;
  @ApiProperty({ example: 'Acme Tools' }) name!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ enum: ['prospect', 'customer'], description: 'as registered' }) status!: string;
  @ApiProperty() keyAccount!: boolean;
  @ApiProperty() lost!: boolean;
}

export class CustomerResponse {
  @ApiProperty({ example: 'acme' }) id!: string;
  @ApiProperty({ example: 'Acme Tools' }) name!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'north', description: "the owning rep's team" })
  teamId!: string | null;
  @ApiProperty({
    enum: ['prospect', 'customer', 'lost'],
    description: 'lost once marked or lapsed; a customer once registered as one or once it ordered',
  })
  status!: string;
  @ApiProperty() keyAccount!: boolean;
  @ApiProperty({ example: '2026-03-01' }) registeredOn!: string;
}
