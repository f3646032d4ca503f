import { Module } from '@nestjs/common';
import { COMPANY_COMMAND_HANDLERS } from './company.commands';
import { CompanyController } from './company.controller';
import { COMPANY_QUERY_HANDLERS } from './company.queries';

/** Company-wide settings and the annual plan. */
@Module({ controllers: [CompanyController], providers: [...COMPANY_COMMAND_HANDLERS, ...COMPANY_QUERY_HANDLERS] })
export class CompanyModule {}
