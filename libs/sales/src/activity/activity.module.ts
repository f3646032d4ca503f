import { Module } from '@nestjs/common';
import { ACTIVITY_COMMAND_HANDLERS } from './activity.commands';
import { ActivityController } from './activity.controller';
import { ACTIVITY_QUERY_HANDLERS } from './activity.queries';

/** What reps do in the field: visits and orders. */
@Module({ controllers: [ActivityController], providers: [...ACTIVITY_COMMAND_HANDLERS, ...ACTIVITY_QUERY_HANDLERS] })
export class ActivityModule {}
