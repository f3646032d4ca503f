import { Body, Controller, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { randomUUID } from 'node:crypto';
import { CustomersService } from '@salesledger/sales/customers.service';
import { IdPipe } from './id.pipe';
import { CreateCustomerDto, CustomerLossDto, KeyAccountDto, ReassignCustomerDto } from '@salesledger/sales/sales.dto';
import { IDEMPOTENCY_KEY } from './idempotency-key';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  register(@CurrentPrincipal() principal: Principal, @Body() body: CreateCustomerDto) {
    return this.customers.register(principal, { ...body, status: body.status ?? 'customer' });
  }

  @Post(':id/reassignment')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY)
  reassign(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: ReassignCustomerDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.customers.reassign(principal, id, body.repId, body.reason, key ?? randomUUID());
  }

  @Put(':id/key-account')
  @ApiHeader(IDEMPOTENCY_KEY)
  flagKeyAccount(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: KeyAccountDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.customers.flagKeyAccount(principal, id, body.keyAccount, key ?? randomUUID());
  }

  @Post(':id/loss')
  @HttpCode(200)
  markLost(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string, @Body() body: CustomerLossDto) {
    return this.customers.markLost(principal, id, body.reason, body.lostOn);
  }
}
