import { randomUUID } from 'node:crypto';
import { CommandHandler, QueryHandler } from '@nestjs/cqrs';
import {
  WebhookSubscriptionService,
  type CreatedWebhookSubscription,
  type NewWebhookSubscription,
  type WebhookSubscriptionView,
} from '@salesledger/alerts/outbox/webhook-subscription.service';
import { alertDecider, type AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { NotFoundError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal, ReadScope } from '@salesledger/domain/organisation/access.policy';
import { alertFromEvents } from '@salesledger/read-model/alert-projection';
import {
  AlertQueries,
  alertView,
  type AlertFilter,
  type AlertScope,
  type AlertView,
} from '@salesledger/read-model/alert-queries';
import { AppCommand, AppCommandHandler, AppQuery, AppQueryHandler, type Access } from '../bus/application-bus';
import { commandContext } from '../shared/command-context';

export class ListAlerts extends AppQuery<AlertView[]> {
  constructor(
    principal: Principal,
    readonly filter: AlertFilter,
  ) {
    super(principal);
  }
}

/** What of the alerts the caller may watch: everything, a team's, a rep's, or nothing. */
export class AlertStreamScope extends AppQuery<AlertScope | 'nothing'> {}

export class GetAlert extends AppQuery<AlertView> {
  constructor(
    principal: Principal,
    readonly alertId: string,
  ) {
    super(principal);
  }
}

export class AcknowledgeAlert extends AppCommand<AlertView> {
  constructor(
    principal: Principal,
    readonly alertId: string,
    readonly note?: string,
    readonly commandId?: string,
  ) {
    super(principal);
  }
}

export class CreateWebhook extends AppCommand<CreatedWebhookSubscription> {
  constructor(
    principal: Principal,
    readonly subscription: NewWebhookSubscription,
  ) {
    super(principal);
  }
}

export class ListWebhooks extends AppQuery<WebhookSubscriptionView[]> {}

export class DeleteWebhook extends AppCommand<void> {
  constructor(
    principal: Principal,
    readonly id: string,
  ) {
    super(principal);
  }
}

const ownerOf = (alert: AlertView) => ({ repId: alert.repId, teamId: alert.teamId });

/** What the filter asks for, within what the principal may read: a filter never widens it. */
@QueryHandler(ListAlerts)
export class ListAlertsHandler extends AppQueryHandler<ListAlerts> {
  constructor(private readonly alerts: AlertQueries) {
    super();
  }

  access(): Access {
    return { scoped: 'alerts' };
  }

  async handle({ filter }: ListAlerts, reach: ReadScope) {
    if (reach === 'nothing') return [];
    return this.alerts.list(filter, reach === 'all' ? {} : reach);
  }
}

/** The same reach as the list: the stream never shows what GET /v1/alerts would not. */
@QueryHandler(AlertStreamScope)
export class AlertStreamScopeHandler extends AppQueryHandler<AlertStreamScope> {
  access(): Access {
    return { scoped: 'alerts' };
  }

  async handle(_query: AlertStreamScope, reach: ReadScope) {
    return reach === 'all' ? {} : reach;
  }
}

@QueryHandler(GetAlert)
export class GetAlertHandler extends AppQueryHandler<GetAlert> {
  constructor(private readonly alerts: AlertQueries) {
    super();
  }

  access(): Access<AlertView> {
    return { resource: 'alerts', ownerOf };
  }

  async handle({ alertId }: GetAlert) {
    const found = await this.alerts.find(alertId);
    if (!found) throw new NotFoundError(`alert ${alertId} does not exist`);
    return found.view;
  }
}

/**
 * Acknowledges an open alert, by its team's manager, a director or an admin; one already
 * acknowledged stays as first acknowledged, a resolved one is a conflict. Answers from the
 * alert's stream, so the acknowledgement shows before the projection has it.
 */
@CommandHandler(AcknowledgeAlert)
export class AcknowledgeAlertHandler extends AppCommandHandler<AcknowledgeAlert> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly alerts: AlertQueries,
  ) {
    super();
  }

  async access({ alertId }: AcknowledgeAlert): Promise<Access> {
    return { resource: 'alerts', owner: ownerOf((await this.find(alertId)).view) };
  }

  async handle({ principal, alertId, note, commandId }: AcknowledgeAlert) {
    const { streamId } = await this.find(alertId);
    const request = { alertId, note: note ?? null };
    const context = { ...commandContext(principal, commandId ?? randomUUID(), this.clock), request };
    const now = context.now.toISOString();
    const command: AlertCommand = { kind: 'acknowledge', alertId, now, ...(note !== undefined && { note }) };
    await handleCommand(this.store, streamId, alertDecider, command, context);
    const { alert, deliveries } = alertFromEvents(await this.store.readStream(streamId), alertId);
    if (!alert) throw new NotFoundError(`alert ${alertId} does not exist`);
    return alertView(alert, deliveries);
  }

  private async find(alertId: string) {
    const found = await this.alerts.find(alertId);
    if (!found) throw new NotFoundError(`alert ${alertId} does not exist`);
    return found;
  }
}

/** Where alerts go besides email and the app: a director's (or an admin's) call. */
@CommandHandler(CreateWebhook)
export class CreateWebhookHandler extends AppCommandHandler<CreateWebhook> {
  constructor(private readonly subscriptions: WebhookSubscriptionService) {
    super();
  }

  access(): Access {
    return { resource: 'alert webhooks' };
  }

  handle({ subscription }: CreateWebhook) {
    return this.subscriptions.create(subscription);
  }
}

@QueryHandler(ListWebhooks)
export class ListWebhooksHandler extends AppQueryHandler<ListWebhooks> {
  constructor(private readonly subscriptions: WebhookSubscriptionService) {
    super();
  }

  access(): Access {
    return { resource: 'alert webhooks' };
  }

  handle() {
    return this.subscriptions.list();
  }
}

@CommandHandler(DeleteWebhook)
export class DeleteWebhookHandler extends AppCommandHandler<DeleteWebhook> {
  constructor(private readonly subscriptions: WebhookSubscriptionService) {
    super();
  }

  access(): Access {
    return { resource: 'alert webhooks' };
  }

  handle({ id }: DeleteWebhook) {
    return this.subscriptions.delete(id);
  }
}

export const ALERT_HANDLERS = [
  ListAlertsHandler,
  AlertStreamScopeHandler,
  GetAlertHandler,
  AcknowledgeAlertHandler,
  CreateWebhookHandler,
  ListWebhooksHandler,
  DeleteWebhookHandler,
];
