import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Operation } from '@salesledger/sales/shared/openapi';
import { PrincipalResponse } from './operations.responses';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '@salesledger/sales/shared/current-principal.decorator';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  @Operation({ summary: 'The user, role, team and rep the bearer token stands for', ok: PrincipalResponse })
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
}
