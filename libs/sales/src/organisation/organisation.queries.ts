import { QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@salesledger/domain/errors';
import type { Principal, ReadScope } from '@salesledger/domain/organisation/access.policy';
import {
  BrowseQueries,
  type RepView,
  type TeamView,
  type TokenView,
  type UserView,
} from '@salesledger/read-model/browse-queries';
import type { Page, PageRequest } from '@salesledger/read-model/keyset-page';
import { AppQuery, AppQueryHandler, type Access } from '../bus/application-bus';
import { tokenAccess } from './organisation.commands';
import { Lookups } from '../shared/lookups';
import { listWithin } from '../shared/reach';

export class ListUsers extends AppQuery<Page<UserView>> {
  constructor(
    principal: Principal,
    readonly page: PageRequest,
  ) {
    super(principal);
  }
}

export class GetUser extends AppQuery<UserView> {
  constructor(
    principal: Principal,
    readonly userId: string,
  ) {
    super(principal);
  }
}

export class ListTokens extends AppQuery<TokenView[]> {
  constructor(
    principal: Principal,
    readonly userId: string,
  ) {
    super(principal);
  }
}

export class ListTeams extends AppQuery<Page<TeamView>> {
  constructor(
    principal: Principal,
    readonly page: PageRequest,
  ) {
    super(principal);
  }
}

export class GetTeam extends AppQuery<TeamView> {
  constructor(
    principal: Principal,
    readonly teamId: string,
  ) {
    super(principal);
  }
}

export class ListReps extends AppQuery<Page<RepView>> {
  constructor(
    principal: Principal,
    readonly filter: { teamId?: string },
    readonly page: PageRequest,
  ) {
    super(principal);
  }
}

export class GetRep extends AppQuery<RepView> {
  constructor(
    principal: Principal,
    readonly repId: string,
  ) {
    super(principal);
  }
}

const found =
  <T>(what: string) =>
  (row: T | undefined): T => {
    if (!row) throw new NotFoundError(`${what} does not exist`);
    return row;
  };

@QueryHandler(ListUsers)
export class ListUsersHandler extends AppQueryHandler<ListUsers> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access {
    return { scoped: 'users' };
  }

  handle({ page }: ListUsers, reach: ReadScope) {
    return listWithin(reach, (within) => this.browse.users(within, page));
  }
}

@QueryHandler(GetUser)
export class GetUserHandler extends AppQueryHandler<GetUser> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access<UserView> {
    return {
      resource: 'users',
      ownerOf: (user) => ({ teamId: user.teamId ?? undefined, repId: user.repId ?? undefined }),
    };
  }

  async handle({ userId }: GetUser) {
    return found<UserView>(`user ${userId}`)(await this.browse.user(userId));
  }
}

/** For who may manage the user, and for the user themselves. */
@QueryHandler(ListTokens)
export class ListTokensHandler extends AppQueryHandler<ListTokens> {
  constructor(
    private readonly browse: BrowseQueries,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  access({ principal, userId }: ListTokens): Promise<Access> {
    return tokenAccess(this.lookups, principal, userId);
  }

  handle({ userId }: ListTokens) {
    return this.browse.tokens(userId);
  }
}

@QueryHandler(ListTeams)
export class ListTeamsHandler extends AppQueryHandler<ListTeams> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access {
    return { scoped: 'teams' };
  }

  handle({ page }: ListTeams, reach: ReadScope) {
    return listWithin(reach, (within) => this.browse.teams(within, page));
  }
}

@QueryHandler(GetTeam)
export class GetTeamHandler extends AppQueryHandler<GetTeam> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access<TeamView> {
    return { resource: 'teams', ownerOf: (team) => ({ teamId: team.id }) };
  }

  async handle({ teamId }: GetTeam) {
    return found<TeamView>(`team ${teamId}`)(await this.browse.team(teamId));
  }
}

@QueryHandler(ListReps)
export class ListRepsHandler extends AppQueryHandler<ListReps> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access {
    return { scoped: 'reps' };
  }

  handle({ filter, page }: ListReps, reach: ReadScope) {
    return listWithin(reach, (within) => this.browse.reps(within, filter, page));
  }
}

@QueryHandler(GetRep)
export class GetRepHandler extends AppQueryHandler<GetRep> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access<RepView> {
    return { resource: 'reps', ownerOf: (rep) => ({ repId: rep.id, teamId: rep.teamId }) };
  }

  async handle({ repId }: GetRep) {
    return found<RepView>(`rep ${repId}`)(await this.browse.rep(repId));
  }
}

export const ORGANISATION_QUERY_HANDLERS = [
  ListUsersHandler,
  GetUserHandler,
  ListTokensHandler,
  ListTeamsHandler,
  GetTeamHandler,
  ListRepsHandler,
  GetRepHandler,
];
