import { Module, ValidationPipe, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
import { Clock } from '@salesledger/domain/clock.port';
import { InvalidInputError } from '@salesledger/domain/errors';
import type { Runtime } from '@salesledger/platform/runtime';
import { ApplicationModule } from '@salesledger/sales/application.module';
import { fieldProblems } from '@salesledger/sales/shared/validation';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { HealthController } from './health.controller';
import { HttpErrorFilter } from './http-error.filter';
import { InputPipe } from './input.pipe';
import { MeController } from './me.controller';
import { MetricsController } from './metrics.controller';
import { projectionMetrics } from './projection-metrics';
import { projectionStatusesOf } from './projection-statuses';
import { ProjectionsController } from './projections.controller';
import { rateLimit, TokenRateLimitGuard } from './rate-limit';
import { webAppModule } from './web-app';

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
      imports: [
        PrometheusModule.register({
          controller: MetricsController,
          path: '/metrics',
          // One process may run several API apps (tests, replicas in one process): one set of process metrics.
          defaultMetrics: { enabled: !register.getSingleMetric('process_cpu_user_seconds_total') },
        }),
        TerminusModule,
        ThrottlerModule.forRoot(rateLimit(runtime.config.rateLimitPerMinute)),
        ApplicationModule.register({ eventStore: runtime.eventStore, readModel: runtime.readModel }),
        ...webAppModule(),
      ],
      controllers: [HealthController, MeController, ProjectionsController],
      providers: [
        projectionStatusesOf(runtime),
        projectionMetrics,
        {
          provide: TokenVerifier,
          inject: [Clock],
          useFactory: (clock: Clock) =>
            new TokenVerifier(runtime.eventStore, runtime.readModel, clock, runtime.bootstrapToken),
        },
        { provide: APP_PIPE, useValue: new InputPipe(validationPipe) },
        // The budget is spent before the token is checked, so guessing tokens is limited too.
        { provide: APP_GUARD, useClass: TokenRateLimitGuard },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
