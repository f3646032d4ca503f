import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { IdPipe } from '../shared/id.pipe';
import { IDEMPOTENCY_KEY } from '../shared/idempotency-key';
import { Operation } from '../shared/openapi';
import { AcknowledgeAlertDto, AlertsQuery, CreateAlertWebhookDto } from './alerts.dto';
import { AcknowledgeAlert, CreateWebhook, DeleteWebhook, GetAlert, ListAlerts, ListWebhooks } from './alerts.handlers';
import { AlertResponse, CreatedWebhookSubscriptionResponse, WebhookSubscriptionResponse } from './alerts.responses';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1')
export class AlertsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
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
