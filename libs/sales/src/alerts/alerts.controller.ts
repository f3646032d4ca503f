import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { AlertFeed } from '@salesledger/read-model/alert-feed';
import { concatMap, filter, interval, map, merge, Observable, take, takeUntil } from 'rxjs';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal, type AuthenticatedRequest } from '../shared/current-principal.decorator';
import { IdPipe } from '../shared/id.pipe';
import { IDEMPOTENCY_KEY } from '../shared/idempotency-key';
import { EventStreamOperation, Operation } from '../shared/openapi';
import { AcknowledgeAlertDto, AlertsQuery, CreateAlertWebhookDto } from './alerts.dto';
import {
  AcknowledgeAlert,
  AlertStreamScope,
  CreateWebhook,
  DeleteWebhook,
  GetAlert,
  ListAlerts,
  ListWebhooks,
} from './alerts.handlers';
import { AlertResponse, CreatedWebhookSubscriptionResponse, WebhookSubscriptionResponse } from './alerts.responses';

const HEARTBEAT_SECONDS = 15;
const REVERIFY_SECONDS = 5;

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1')
export class AlertsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly feed: AlertFeed,
  ) {}

  @Get('alerts')
  @Operation({
    summary: 'The alerts the caller may see, newest raised first',
    description:
      "admins, directors and analysts see all; a manager their team's; a rep their own (an array, as in the first contract)",
    ok: [AlertResponse],
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: AlertsQuery) {
    return this.queries.execute(new ListAlerts(principal, { ...query }));
  }

  /** Declared before `alerts/:id`, which would otherwise take `stream` for an id. */
  @Sse('alerts/stream')
  @EventStreamOperation({
    summary: 'Server-sent events: each alert the caller may see as it is raised, acknowledged or resolved',
    description: [
      'text/event-stream, for as long as the client stays. Events are named `alert.raised`, `alert.acknowledged`',
      'and `alert.resolved`; the data is the alert as GET /v1/alerts/{id} answers it (deliveries empty), with the',
      'same reach as GET /v1/alerts (a manager their team, a rep themselves). A comment line `: heartbeat` comes',
      `every ${HEARTBEAT_SECONDS} s. Changes show after the projector applies them (about a second later); what`,
      'happened while disconnected is not replayed: read GET /v1/alerts on reconnecting. The stream ends within',
      `${REVERIFY_SECONDS} s of its token being revoked or its user deactivated.`,
    ].join(' '),
    example: 'event: alert.raised\nid: alert-7d1e\ndata: {"id":"alert-7d1e","rule":"pace-below-expected",...}\n\n',
  })
  async stream(@Req() request: AuthenticatedRequest): Promise<Observable<MessageEvent>> {
    const scope = await this.queries.execute(new AlertStreamScope(request.principal));
    const heartbeat = interval(HEARTBEAT_SECONDS * 1000).pipe(map((): MessageEvent => ({ comment: 'heartbeat' })));
    // A revoked token (or a deactivated user) ends the stream within a few seconds, as it is refused everywhere.
    const revoked = interval(REVERIFY_SECONDS * 1000).pipe(
      concatMap(() => request.stillAuthorised?.() ?? Promise.resolve(true)),
      filter((authorised) => !authorised),
      take(1),
    );
    const alerts =
      scope === 'nothing'
        ? []
        : this.feed
            .watch(scope)
            .pipe(map(({ change, alert }): MessageEvent => ({ type: `alert.${change}`, id: alert.id, data: alert })));
    return merge(alerts, heartbeat).pipe(takeUntil(revoked));
  }

  @Get('alerts/:id')
  @Operation({ summary: 'Read an alert with its evidence and deliveries', ok: AlertResponse, errors: [403, 404] })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.queries.execute(new GetAlert(principal, id));
  }

  @Post('alerts/:id/acknowledgement')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Operation({
    summary: 'Acknowledge an alert',
    description:
      "by the alert's team's manager, a director or an admin; a second acknowledgement leaves the first in place",
    ok: AlertResponse,
    errors: [403, 404, 409],
  })
  acknowledge(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: AcknowledgeAlertDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.commands.execute(new AcknowledgeAlert(principal, id, body.note, key));
  }

  @Post('alert-webhooks')
  @Operation({
    summary: 'Subscribe a webhook to alerts',
    ok: CreatedWebhookSubscriptionResponse,
    status: 201,
    errors: [403, 409],
  })
  createWebhook(@CurrentPrincipal() principal: Principal, @Body() body: CreateAlertWebhookDto) {
    return this.commands.execute(new CreateWebhook(principal, body));
  }

  @Get('alert-webhooks')
  @Operation({
    summary: 'List webhook subscriptions (never their secrets)',
    ok: [WebhookSubscriptionResponse],
    errors: [403],
  })
  listWebhooks(@CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new ListWebhooks(principal));
  }

  @Delete('alert-webhooks/:id')
  @HttpCode(204)
  @Operation({
    summary: 'Delete a webhook subscription; its pending deliveries are cancelled',
    ok: null,
    status: 204,
    errors: [403, 404],
  })
  async removeWebhook(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteWebhook(principal, id));
  }
}
