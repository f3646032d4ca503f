import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '@salesledger/sales/shared/current-principal.decorator';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  @ApiOkResponse({ description: 'The user, role, team and rep the bearer token stands for' })
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
}
