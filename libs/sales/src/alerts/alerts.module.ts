import { Module } from '@nestjs/common';
import { Pool } from 'pg';
import { loadDeliveryConfig } from '@salesledger/alerts/delivery/delivery.config';
import { WebhookSubscriptionService } from '@salesledger/alerts/outbox/webhook-subscription.service';
import { AlertFeed } from '@salesledger/read-model/alert-feed';
import { AlertsController } from './alerts.controller';
import { ALERT_HANDLERS } from './alerts.handlers';

/** The in-app alerts and where else they are delivered. */
@Module({
  controllers: [AlertsController],
  providers: [
    ...ALERT_HANDLERS,
    // One poller per process, shared by every open stream (see AlertFeed).
    { provide: AlertFeed, inject: [Pool], useFactory: (pool: Pool) => new AlertFeed(pool) },
    {
      provide: WebhookSubscriptionService,
      inject: [Pool],
      useFactory: (pool: Pool) => new WebhookSubscriptionService(pool, loadDeliveryConfig().webhook.urlGuard),
    },
  ],
})
export class AlertsModule {}
