import { Module } from '@nestjs/common';
import { ORGANISATION_COMMAND_HANDLERS } from './organisation.commands';
import { OrganisationController } from './organisation.controller';
import { ORGANISATION_QUERY_HANDLERS } from './organisation.queries';

/** Users, tokens, teams and reps. */
@Module({
  controllers: [OrganisationController],
  providers: [...ORGANISATION_COMMAND_HANDLERS, ...ORGANISATION_QUERY_HANDLERS],
})
export class OrganisationModule {}
