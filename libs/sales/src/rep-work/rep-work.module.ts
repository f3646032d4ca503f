import { Module } from '@nestjs/common';
import { REP_WORK_COMMAND_HANDLERS } from './rep-work.commands';
import { RepWorkController } from './rep-work.controller';

/** The rep's obligations around the selling: weekly papers, reviews, answering customer requests. */
@Module({ controllers: [RepWorkController], providers: [...REP_WORK_COMMAND_HANDLERS] })
export class RepWorkModule {}
