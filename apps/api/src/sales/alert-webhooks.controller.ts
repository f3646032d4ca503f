import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { WebhookSubscriptionService } from '@salesledger/alerts/outbox/webhook-subscription.service';
import { assertMayRead, assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { CreateAlertWebhookDto } from '@salesledger/sales/alerts.dto';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { IdPipe } from './id.pipe';

const SUBSCRIPTION = '{id, url, severities, enabled, disabledReason, createdAt}';

/** Where alerts go besides email and the app: signed webhooks (docs/alerts.md). A director's (or an admin's) call. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alert-webhooks')
export class AlertWebhooksController {
  constructor(private readonly subscriptions: WebhookSubscriptionService) {}

  @Post()
  @ApiCreatedResponse({
    description: `${SUBSCRIPTION} plus secret (whsec_..., shown only now): the key to verify the Standard Webhooks signature`,
  })
  @ApiConflictResponse({ description: 'the id is taken' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAlertWebhookDto) {
    assertMayWrite(principal, 'alert webhooks');
    return this.subscriptions.create(body);
  }

  @Get()
  @ApiOkResponse({ description: `[${SUBSCRIPTION}]: never with the secret; a receiver answering 410 is disabled` })
  list(@CurrentPrincipal() principal: Principal) {
    assertMayRead(principal, 'alert webhooks');
    return this.subscriptions.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted; its deliveries not yet made are cancelled' })
  @ApiNotFoundResponse({ description: 'no such subscription' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string): Promise<void> {
    assertMayWrite(principal, 'alert webhooks');
    await this.subscriptions.delete(id);
  }
}
