import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { createLogger } from '@salesledger/platform/logger';
import { metricsAllowed } from '@salesledger/platform/metrics-token';
import type { Runtime } from '@salesledger/platform/runtime';
import { ApiModule } from './api.module';
import { NestLoggerAdapter } from './nest-logger.adapter';

export async function createApiApp(
  runtime: Runtime,
  log: Logger = createLogger(runtime.config.logLevel, runtime.config.logFormat),
): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.register(runtime), { logger: new NestLoggerAdapter(log) });
  // Ahead of every route: with METRICS_TOKEN set, /metrics is for the scraper that holds it.
  const metricsToken = runtime.config.metricsToken;
  if (metricsToken !== undefined)
    app.use('/metrics', (request: IncomingMessage, response: ServerResponse, next: () => void) => {
      if (metricsAllowed(metricsToken, request.headers.authorization)) return next();
      response.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' });
      response.end(
        JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'GET /metrics needs the metrics token' }),
      );
    });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Salesledger')
      .setDescription('Event-sourced sales operations: visits, orders, targets, scorecards and lag alerts.')
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque token',
        description: 'an opaque API token (sl_...) or the bootstrap token',
      })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
