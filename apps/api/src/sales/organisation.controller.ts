import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { randomUUID } from 'node:crypto';
import { IdPipe } from './id.pipe';
import { OrganisationService } from '@salesledger/sales/organisation.service';
import { CreateRepDto, CreateTeamDto, CreateUserDto, MoveRepDto, RepDepartureDto } from '@salesledger/sales/sales.dto';
import { IDEMPOTENCY_KEY } from './idempotency-key';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1')
export class OrganisationController {
  constructor(private readonly organisation: OrganisationService) {}

  @Post('users')
  createUser(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto) {
    return this.organisation.registerUser(principal, { ...body });
  }

  @Post('users/:id/tokens')
  issueToken(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.organisation.issueToken(principal, id);
  }

  @Post('teams')
  createTeam(@CurrentPrincipal() principal: Principal, @Body() body: CreateTeamDto) {
    return this.organisation.createTeam(principal, { ...body });
  }

  @Post('reps')
  hireRep(@CurrentPrincipal() principal: Principal, @Body() body: CreateRepDto) {
    return this.organisation.hireRep(principal, { ...body });
  }

  @Post('reps/:id/move')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY)
  moveRep(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: MoveRepDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.organisation.moveRep(principal, id, body.teamId, key ?? randomUUID());
  }

  @Post('reps/:id/departure')
  @HttpCode(200)
  repLeaves(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string, @Body() body: RepDepartureDto) {
    return this.organisation.repLeaves(principal, id, body.reason, body.leftOn);
  }
}
