import { Module } from '@nestjs/common';
import { CUSTOMER_COMMAND_HANDLERS } from './customers.commands';
import { CustomersController } from './customers.controller';
import { CUSTOMER_QUERY_HANDLERS } from './customers.queries';

/** Customers and prospects: registration, ownership, key accounts, losses. */
@Module({ controllers: [CustomersController], providers: [...CUSTOMER_COMMAND_HANDLERS, ...CUSTOMER_QUERY_HANDLERS] })
export class CustomersModule {}
