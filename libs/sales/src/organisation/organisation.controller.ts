import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { CurrentPrincipal } from '../shared/current-principal.decorator';
import { IdPipe } from '../shared/id.pipe';
import { IDEMPOTENCY_KEY } from '../shared/idempotency-key';
import { Operation, PageOf } from '../shared/openapi';
import { PageQuery, pageOf } from '../shared/paging.dto';
import {
  AssignManagerDto,
  CreateRepDto,
  CreateTeamDto,
  CreateUserDto,
  IssueTokenDto,
  MoveRepDto,
  RepDepartureDto,
  RepsQuery,
} from './organisation.dto';
import {
  AssignTeamManager,
  CreateTeam,
  DeactivateUser,
  HireRep,
  IssueToken,
  MoveRep,
  RegisterUser,
  RepLeaves,
  RevokeToken,
} from './organisation.commands';
import { GetRep, GetTeam, GetUser, ListReps, ListTeams, ListTokens, ListUsers } from './organisation.queries';
import {
  IssuedTokenResponse,
  RegisteredUserResponse,
  RepResponse,
  RepStateResponse,
  TeamCreatedResponse,
  TeamResponse,
  TokenResponse,
  UserResponse,
} from './organisation.responses';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('v1')
export class OrganisationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('users')
  @Operation({ summary: 'Register a user', ok: RegisteredUserResponse, status: 201, errors: [403, 404, 409] })
  createUser(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto) {
    return this.commands.execute(new RegisterUser(principal, { ...body }));
  }

  @Get('users')
  @Operation({ summary: 'List the users the caller reaches, newest first', ok: PageOf(UserResponse) })
  listUsers(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    return this.queries.execute(new ListUsers(principal, pageOf(query)));
  }

  @Get('users/:id')
  @Operation({ summary: 'Read a user', ok: UserResponse, errors: [403, 404] })
  getUser(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.queries.execute(new GetUser(principal, id));
  }

  @Post('users/:id/tokens')
  @Operation({ summary: 'Issue an API token to a user', ok: IssuedTokenResponse, status: 201, errors: [403, 404, 409] })
  issueToken(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string, @Body() body: IssueTokenDto) {
    return this.commands.execute(new IssueToken(principal, id, { ...body }));
  }

  @Get('users/:id/tokens')
  @Operation({ summary: "A user's tokens, never their secrets", ok: [TokenResponse], errors: [403, 404] })
  listTokens(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.queries.execute(new ListTokens(principal, id));
  }

  @Delete('users/:id/tokens/:tokenId')
  @HttpCode(204)
  @Operation({ summary: 'Revoke a token at once', ok: null, status: 204, errors: [403, 404] })
  async revokeToken(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Param('tokenId', IdPipe) tokenId: string,
  ): Promise<void> {
    await this.commands.execute(new RevokeToken(principal, id, tokenId));
  }

  @Post('users/:id/deactivation')
  @HttpCode(200)
  @Operation({
    summary: 'Deactivate a user: all of their tokens are refused',
    ok: RegisteredUserResponse,
    errors: [403, 404],
  })
  deactivate(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.commands.execute(new DeactivateUser(principal, id));
  }

  @Post('teams')
  @Operation({ summary: 'Create a team', ok: TeamCreatedResponse, status: 201, errors: [403, 404, 409] })
  createTeam(@CurrentPrincipal() principal: Principal, @Body() body: CreateTeamDto) {
    return this.commands.execute(new CreateTeam(principal, { ...body }));
  }

  @Get('teams')
  @Operation({ summary: 'List the teams the caller reaches, newest first', ok: PageOf(TeamResponse) })
  listTeams(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    return this.queries.execute(new ListTeams(principal, pageOf(query)));
  }

  @Get('teams/:id')
  @Operation({ summary: 'Read a team', ok: TeamResponse, errors: [403, 404] })
  getTeam(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.queries.execute(new GetTeam(principal, id));
  }

  @Put('teams/:id/manager')
  @Operation({ summary: "Set a team's manager", ok: TeamCreatedResponse, errors: [403, 404] })
  assignManager(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: AssignManagerDto,
  ) {
    return this.commands.execute(new AssignTeamManager(principal, id, body.managerUserId));
  }

  @Post('reps')
  @Operation({ summary: 'Hire a rep into a team', ok: RepStateResponse, status: 201, errors: [403, 404, 409] })
  hireRep(@CurrentPrincipal() principal: Principal, @Body() body: CreateRepDto) {
    return this.commands.execute(new HireRep(principal, { ...body }));
  }

  @Get('reps')
  @Operation({ summary: 'List the reps the caller reaches, newest hire first', ok: PageOf(RepResponse) })
  listReps(@CurrentPrincipal() principal: Principal, @Query() query: RepsQuery) {
    return this.queries.execute(new ListReps(principal, { teamId: query.teamId }, pageOf(query)));
  }

  @Get('reps/:id')
  @Operation({ summary: 'Read a rep', ok: RepResponse, errors: [403, 404] })
  getRep(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string) {
    return this.queries.execute(new GetRep(principal, id));
  }

  @Post('reps/:id/move')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Operation({
    summary: 'Move a rep to another team (reach over both teams needed)',
    ok: RepStateResponse,
    errors: [403, 404, 409],
  })
  moveRep(
    @CurrentPrincipal() principal: Principal,
    @Param('id', IdPipe) id: string,
    @Body() body: MoveRepDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.commands.execute(new MoveRep(principal, id, body.teamId, key ?? randomUUID()));
  }

  @Post('reps/:id/departure')
  @HttpCode(200)
  @Operation({ summary: 'Record that a rep left', ok: RepStateResponse, errors: [403, 404, 409] })
  repLeaves(@CurrentPrincipal() principal: Principal, @Param('id', IdPipe) id: string, @Body() body: RepDepartureDto) {
    return this.commands.execute(new RepLeaves(principal, id, body.reason, body.leftOn));
  }
}
