import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { IdPipe } from '../shared/id.pipe';
import { IDEMPOTENCY_KEY } from '../shared/idempotency-key';
import { Operation, PageOf } from '../shared/openapi';
import { pageOf } from '../shared/paging.dto';
import { FlagKeyAccount, MarkCustomerLost, ReassignCustomer, RegisterCustomer } from './customers.commands';
import {
  CreateCustomerDto,
  CustomerLossDto,
  CustomersQuery,
  KeyAccountDto,
  ReassignCustomerDto,
} from './customers.dto';
import { GetCustomer, ListCustomers } from './customers.queries';
import { CustomerResponse, CustomerStateResponse } from './customers.responses';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Operation({
    summary: 'Register a customer or prospect',
    ok: CustomerStateResponse,
    status: 201,
    errors: [403, 404, 409],
  })
  async register(@CurrentPrincipal() principal: Principal, @Body() body: CreateCustomerDto) {
    const customer = { ...body, status: body.status ?? 'customer' } as const;
    return (await this.commands.execute(new RegisterCustomer(principal, customer))).view;
  }

  @Get()
  @Operation({
    summary: 'List the customers the caller reaches, newest registered first',
    ok: PageOf(CustomerResponse),
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: CustomersQuery) {
    const { repId, teamId, status } = query;
    return this.queries.execute(new ListCustomers(principal, { repId, teamId, status }, pageOf(query)));
  }

  @Get(':id')
  @Operation({ summary: 'Read a customer', ok: CustomerResponse, errors: [403, 404] })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.queries.execute(new GetCustomer(principal, id));
  }

  @Post(':id/reassignment')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Operation({ summary: 'Give a customer to another rep', ok: CustomerStateResponse, errors: [403, 404, 409] })
  reassign(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: ReassignCustomerDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.commands.execute(new ReassignCustomer(principal, id, body.repId, body.reason, key ?? randomUUID()));
  }

  @Put(':id/key-account')
  @ApiHeader(IDEMPOTENCY_KEY)
  @Operation({ summary: 'Flag or unflag a key account', ok: CustomerStateResponse, errors: [403, 404, 409] })
  flagKeyAccount(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: KeyAccountDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.commands.execute(new FlagKeyAccount(principal, id, body.keyAccount, key ?? randomUUID()));
  }

  @Post(':id/loss')
  @HttpCode(200)
  @Operation({ summary: 'Mark a customer lost', ok: CustomerStateResponse, errors: [403, 404, 409] })
  markLost(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string, @Body() body: CustomerLossDto) {
    return this.commands.execute(new MarkCustomerLost(principal, id, body.reason, body.lostOn));
  }
}
