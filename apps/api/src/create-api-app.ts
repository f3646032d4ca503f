import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Runtime } from '@salesledger/platform/runtime';
import { ApiModule } from './api.module';

export async function createApiApp(runtime: Runtime): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.register(runtime), { bufferLogs: true });
  app.useLogger(app.get(Logger));
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
