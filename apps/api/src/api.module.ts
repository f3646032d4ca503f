import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
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
        LoggerModule.forRoot({ pinoHttp: { level: runtime.config.logLevel, autoLogging: false } }),
        PrometheusModule.register({ controller: MetricsController, path: '/metrics' }),
        TerminusModule,
      ],
      controllers: [HealthController, MeController],
      providers: [
        { provide: EventStore, useValue: runtime.eventStore },
        { provide: Clock, useValue: new SystemClock() },
        { provide: TokenVerifier, useValue: new TokenVerifier(runtime.bootstrapToken) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
