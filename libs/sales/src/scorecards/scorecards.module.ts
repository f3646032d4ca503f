import { Module } from '@nestjs/common';
import { ScorecardsController } from './scorecards.controller';
import { SCORECARD_HANDLERS } from './scorecards.handlers';

/** Scorecards of reps, teams and the company, leaderboards, drill-downs and the composite template. */
@Module({ controllers: [ScorecardsController], providers: [...SCORECARD_HANDLERS] })
export class ScorecardsModule {}
