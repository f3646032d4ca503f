import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { AcknowledgeAlertDto, AlertsQuery } from '@salesledger/sales/alerts.dto';
import { AlertsService } from '@salesledger/sales/alerts.service';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { IdPipe } from './id.pipe';
import { IDEMPOTENCY_KEY } from './idempotency-key';

const ALERT =
  '{id, rule, repId, period, severity, status, raisedAt, evidence: {summary, figures, paceCurve?, positions}, ' +
  'teamId, escalatedAt, acknowledgedAt, acknowledgedBy, note, resolvedAt, resolution, ' +
  'deliveries: [{channel, recipient, deliveredAt}]} (docs/alerts.md)';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOkResponse({
    description: `the alerts the caller may see, newest raised first: ${ALERT}. Admins, directors and analysts see all; a manager their team's; a rep their own`,
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: AlertsQuery) {
    return this.alerts.list(principal, { ...query });
  }

  @Get(':id')
  @ApiOkResponse({ description: ALERT })
  @ApiNotFoundResponse({ description: 'no such alert' })
  @ApiForbiddenResponse({ description: 'an alert of a rep outside what the caller may see' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.alerts.get(principal, id);
  }

  @Post(':id/acknowledgement')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiOkResponse({
    description: `the alert, acknowledged (a second acknowledgement leaves the first in place): ${ALERT}`,
  })
  @ApiForbiddenResponse({ description: "only the alert's team's manager, a director or an admin acknowledges" })
  @ApiNotFoundResponse({ description: 'no such alert' })
  @ApiConflictResponse({ description: 'the alert is resolved; or the Idempotency-Key was used for another request' })
  acknowledge(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: AcknowledgeAlertDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.alerts.acknowledge(principal, id, body.note, key);
  }
}
