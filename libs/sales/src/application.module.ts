import { Global, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Pool } from 'pg';
import { Clock, SystemClock } from '@salesledger/domain/clock.port';
import { EventStore } from '@salesledger/domain/event-store.port';
import { AlertQueries } from '@salesledger/read-model/alert-queries';
import { BrowseQueries } from '@salesledger/read-model/browse-queries';
import { ScorecardQueries } from '@salesledger/read-model/scorecard-queries';
import { ActivityModule } from './activity/activity.module';
import { AlertsModule } from './alerts/alerts.module';
import { CompanyModule } from './company/company.module';
import { CustomersModule } from './customers/customers.module';
import { ImportsModule } from './imports/imports.module';
import { OrganisationModule } from './organisation/organisation.module';
import { RepWorkModule } from './rep-work/rep-work.module';
import { ScorecardsModule } from './scorecards/scorecards.module';
import { Lookups } from './shared/lookups';
import { TargetsModule } from './targets/targets.module';

export interface ApplicationDependencies {
  readonly eventStore: EventStore;
  readonly readModel: Pool;
  readonly clock?: Clock;
}

const queriesOn = <T>(type: new (pool: Pool) => T) => ({
  provide: type,
  inject: [Pool],
  useFactory: (pool: Pool) => new type(pool),
});

/** What every feature's handlers need: the store, the read model, the clock, the buses. */
@Global()
@Module({})
class ApplicationCoreModule {
  static register(deps: ApplicationDependencies): DynamicModule {
    const shared = [EventStore, Pool, Clock, Lookups, ScorecardQueries, AlertQueries, BrowseQueries];
    return {
      module: ApplicationCoreModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EventStore, useValue: deps.eventStore },
        { provide: Pool, useValue: deps.readModel },
        { provide: Clock, useValue: deps.clock ?? new SystemClock() },
        Lookups,
        queriesOn(ScorecardQueries),
        queriesOn(AlertQueries),
        queriesOn(BrowseQueries),
      ],
      exports: [...shared, CqrsModule],
    };
  }
}

/** The application layer: one module per feature, each with its commands, queries, handlers and routes. */
export const FEATURE_MODULES = [
  OrganisationModule,
  CustomersModule,
  TargetsModule,
  CompanyModule,
  ActivityModule,
  RepWorkModule,
  ScorecardsModule,
  AlertsModule,
  ImportsModule,
];

@Module({})
export class ApplicationModule {
  static register(deps: ApplicationDependencies): DynamicModule {
    return { module: ApplicationModule, imports: [ApplicationCoreModule.register(deps), ...FEATURE_MODULES] };
  }
}

/** The application layer without HTTP, for the CLI and benchmarks: its buses and services. */
export async function openApplication(deps: ApplicationDependencies): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(ApplicationModule.register(deps), { logger: false });
}
