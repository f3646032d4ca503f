import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from './auth/bearer-auth.guard';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  @ApiOkResponse({ description: 'The user and role the bearer token stands for' })
  me(@Req() request: AuthenticatedRequest) {
    return request.actor;
  }
}
