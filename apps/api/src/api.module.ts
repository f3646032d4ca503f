import { loadDeliveryConfig } from '@salesledger/alerts/delivery/delivery.config';
import { WebhookSubscriptionService } from '@salesledger/alerts/outbox/webhook-subscription.service';
import { Module, ValidationPipe, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { InvalidInputError } from '@salesledger/domain/errors';
import { fieldProblems } from '@salesledger/sales/validation';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
import { Clock, SystemClock } from '@salesledger/domain/clock.port';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Runtime } from '@salesledger/platform/runtime';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { HealthController } from './health.controller';
import { HttpErrorFilter } from './http-error.filter';
import { MeController } from './me.controller';
import { MetricsController } from './metrics.controller';
import { ActivityService } from '@salesledger/sales/activity.service';
import { OrganisationService } from '@salesledger/sales/organisation.service';
import { ActivityController } from './sales/activity.controller';
import { CustomersController } from './sales/customers.controller';
import { OrganisationController } from './sales/organisation.controller';
import { RepWorkController } from './sales/rep-work.controller';
import { ImportsController } from './sales/imports.controller';
import { SettingsController, TargetsController } from './sales/targets.controller';
import { CompanyPlanController } from './sales/company-plan.controller';
import { CompanyPlanService } from '@salesledger/sales/company-plan.service';
import { CsvImporter } from '@salesledger/sales/csv-import';
import { CompanySettingsService } from '@salesledger/sales/company-settings.service';
import { RepWorkService } from '@salesledger/sales/rep-work.service';
import { CustomersService } from '@salesledger/sales/customers.service';
import { TargetsService } from '@salesledger/sales/targets.service';
import { ScorecardsService } from '@salesledger/sales/scorecards.service';
import { ScorecardQueries } from '@salesledger/read-model/scorecard-queries';
import { Pool } from 'pg';
import { ScorecardsController } from './sales/scorecards.controller';
import { AlertWebhooksController } from './sales/alert-webhooks.controller';
import { AlertsController } from './sales/alerts.controller';
import { AlertsService } from '@salesledger/sales/alerts.service';
import { AlertQueries } from '@salesledger/read-model/alert-queries';
import { ProjectionsController } from './projections.controller';
import { projectionMetrics } from './projection-metrics';

/** Unknown fields are refused, not dropped: a typo must not silently lose data. */
const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  stopAtFirstError: true,
  exceptionFactory: (errors) => new InvalidInputError(errors.flatMap((error) => fieldProblems(error))),
});

@Module({})
export class ApiModule implements OnApplicationShutdown {
  /** The metrics library keeps prom-client's process-wide registry; an app that closes gives it back. */
  onApplicationShutdown(): void {
    register.clear();
  }

  static register(runtime: Runtime): DynamicModule {
    return {
      module: ApiModule,
      imports: [PrometheusModule.register({ controller: MetricsController, path: '/metrics' }), TerminusModule],
      controllers: [
        HealthController,
        MeController,
        OrganisationController,
        TargetsController,
        CustomersController,
        ActivityController,
        RepWorkController,
        SettingsController,
        CompanyPlanController,
        ImportsController,
        ScorecardsController,
        AlertsController,
        AlertWebhooksController,
        ProjectionsController,
      ],
      providers: [
        { provide: EventStore, useValue: runtime.eventStore },
        { provide: Pool, useValue: runtime.readModel },
        { provide: ScorecardQueries, useValue: new ScorecardQueries(runtime.readModel) },
        ScorecardsService,
        { provide: AlertQueries, useValue: new AlertQueries(runtime.readModel) },
        AlertsService,
        {
          provide: WebhookSubscriptionService,
          useValue: new WebhookSubscriptionService(runtime.readModel, loadDeliveryConfig().webhook.urlGuard),
        },
        projectionMetrics,
        { provide: Clock, useValue: new SystemClock() },
        { provide: TokenVerifier, useValue: new TokenVerifier(runtime.eventStore, runtime.bootstrapToken) },
        OrganisationService,
        TargetsService,
        ActivityService,
        CustomersService,
        RepWorkService,
        CsvImporter,
        CompanySettingsService,
        CompanyPlanService,
        { provide: APP_PIPE, useValue: validationPipe },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
