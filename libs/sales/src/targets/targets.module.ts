import { Module } from '@nestjs/common';
import { TARGET_COMMAND_HANDLERS } from './targets.commands';
import { TargetsController } from './targets.controller';
import { TARGET_QUERY_HANDLERS } from './targets.queries';

/** Rep monthly targets: setting, proposals and their approval, history, as-of reads, breakdowns. */
@Module({ controllers: [TargetsController], providers: [...TARGET_COMMAND_HANDLERS, ...TARGET_QUERY_HANDLERS] })
export class TargetsModule {}
