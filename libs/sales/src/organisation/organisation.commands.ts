import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { ConflictError, InvalidInputError, NotFoundError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import {
  teamDecider,
  tokenDecider,
  userDecider,
  type RepData,
  type TeamData,
  type UserData,
  type UserState,
} from '@salesledger/domain/organisation/organisation.deciders';
import { BrowseQueries } from '@salesledger/read-model/browse-queries';
import { repDecider, type RepCommand, type RepState } from '@salesledger/domain/organisation/rep.decider';
import { registered } from '@salesledger/domain/registration';
import { streams } from '@salesledger/domain/streams';
import { AppCommand, AppCommandHandler, type Access } from '../bus/application-bus';
import { commandContext } from '../shared/command-context';
import { load } from '../shared/load';
import { Lookups } from '../shared/lookups';
import { tokenHash } from '../shared/token-hash';

export class RegisterUser extends AppCommand<UserData & { active: boolean }> {
  constructor(
    principal: Principal,
    readonly user: UserData,
  ) {
    super(principal);
  }
}

export class IssueToken extends AppCommand<{ tokenId: string; token: string }> {
  constructor(
    principal: Principal,
    readonly userId: string,
    readonly options: { label?: string; expiresInDays?: number } = {},
  ) {
    super(principal);
  }
}

export class RevokeToken extends AppCommand<void> {
  constructor(
    principal: Principal,
    readonly userId: string,
    readonly tokenId: string,
  ) {
    super(principal);
  }
}

export class DeactivateUser extends AppCommand<UserData & { active: boolean }> {
  constructor(
    principal: Principal,
    readonly userId: string,
  ) {
    super(principal);
  }
}

export class CreateTeam extends AppCommand<TeamData> {
  constructor(
    principal: Principal,
    readonly team: TeamData,
  ) {
    super(principal);
  }
}

export class AssignTeamManager extends AppCommand<TeamData> {
  constructor(
    principal: Principal,
    readonly teamId: string,
    readonly managerUserId: string,
  ) {
    super(principal);
  }
}

export class HireRep extends AppCommand<RepState> {
  constructor(
    principal: Principal,
    readonly rep: RepData,
  ) {
    super(principal);
  }
}

export class MoveRep extends AppCommand<RepState> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly teamId: string,
    readonly commandId: string,
  ) {
    super(principal);
  }
}

export class RepLeaves extends AppCommand<RepState> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly reason: string,
    readonly leftOn: string,
  ) {
    super(principal);
  }
}

@CommandHandler(RegisterUser)
export class RegisterUserHandler extends AppCommandHandler<RegisterUser> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  access({ user }: RegisterUser): Access {
    return { resource: 'users', owner: { teamId: user.teamId, userRole: user.role } };
  }

  async handle({ principal, user }: RegisterUser) {
    if (user.teamId) await this.lookups.team(user.teamId);
    if (user.repId) await this.lookups.repOwnership(user.repId);
    const context = commandContext(principal, user.id, this.clock, true);
    return userView((await handleCommand(this.store, streams.user(user.id), userDecider, user, context)).state);
  }
}

/** The user as the API shows it: without the ids of their revoked tokens. */
function userView(state: UserState) {
  const { revokedTokens: _revoked, ...user } = registered(state);
  return user;
}

/** Managing a user's tokens is for who may create such a user, and for the user themselves. */
export async function tokenAccess(lookups: Lookups, principal: Principal, userId: string): Promise<Access> {
  const user = await lookups.user(userId);
  if (principal.userId === userId) return 'none';
  return { resource: 'users', owner: { teamId: user.teamId, userRole: user.role } };
}

/** A new token each call; only its hash is stored, so it is shown this once. */
@CommandHandler(IssueToken)
export class IssueTokenHandler extends AppCommandHandler<IssueToken> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ userId }: IssueToken): Promise<Access> {
    const user = await this.lookups.user(userId);
    return { resource: 'users', owner: { teamId: user.teamId, userRole: user.role } };
  }

  async handle({ principal, userId, options }: IssueToken) {
    const user = await load(this.store, streams.user(userId), userDecider);
    if (user.registered && !user.active) throw new ConflictError(`user ${userId} is deactivated`);
    const token = `sl_${randomBytes(32).toString('base64url')}`;
    const hash = tokenHash(token);
    const context = commandContext(principal, hash, this.clock, true);
    const tokenId = `tok_${randomUUID()}`;
    const days = options.expiresInDays;
    const expiresAt =
      days === undefined ? undefined : new Date(context.now.getTime() + days * 86_400_000).toISOString();
    const data = { userId, tokenId, ...(options.label && { label: options.label }), ...(expiresAt && { expiresAt }) };
    await handleCommand(this.store, streams.token(hash), tokenDecider, data, context);
    return { tokenId, token };
  }
}

/** Revoked at once: every API replica refuses it within a second (the verifier's cache). */
@CommandHandler(RevokeToken)
export class RevokeTokenHandler extends AppCommandHandler<RevokeToken> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
    private readonly browse: BrowseQueries,
  ) {
    super();
  }

  access({ principal, userId }: RevokeToken): Promise<Access> {
    return tokenAccess(this.lookups, principal, userId);
  }

  async handle({ principal, userId, tokenId }: RevokeToken) {
    if (!(await this.browse.tokens(userId)).some((token) => token.tokenId === tokenId))
      throw new NotFoundError(`user ${userId} has no token ${tokenId}`);
    const context = commandContext(principal, `${tokenId}/revocation`, this.clock);
    await handleCommand(this.store, streams.user(userId), userDecider, { kind: 'revoke-token', tokenId }, context);
  }
}

/** A deactivated user's every token is refused from then on. */
@CommandHandler(DeactivateUser)
export class DeactivateUserHandler extends AppCommandHandler<DeactivateUser> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ userId }: DeactivateUser): Promise<Access> {
    const user = await this.lookups.user(userId);
    return { resource: 'users', owner: { teamId: user.teamId, userRole: user.role } };
  }

  async handle({ principal, userId }: DeactivateUser) {
    const context = commandContext(principal, `${userId}/deactivation`, this.clock);
    const command = { kind: 'deactivate' as const };
    return userView((await handleCommand(this.store, streams.user(userId), userDecider, command, context)).state);
  }
}

@CommandHandler(CreateTeam)
export class CreateTeamHandler extends AppCommandHandler<CreateTeam> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  access(): Access {
    return { resource: 'teams' };
  }

  async handle({ principal, team }: CreateTeam) {
    if (team.managerUserId) await this.lookups.user(team.managerUserId);
    const context = commandContext(principal, team.id, this.clock, true);
    return registered((await handleCommand(this.store, streams.team(team.id), teamDecider, team, context)).state);
  }
}

/** The manager must be a manager of this team, so the team is within their reach. */
@CommandHandler(AssignTeamManager)
export class AssignTeamManagerHandler extends AppCommandHandler<AssignTeamManager> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  access(): Access {
    return { resource: 'teams' };
  }

  async handle({ principal, teamId, managerUserId }: AssignTeamManager) {
    await this.lookups.team(teamId);
    const user = await this.lookups.user(managerUserId);
    if (user.role !== 'manager' || user.teamId !== teamId)
      throw new InvalidInputError([
        {
          field: 'managerUserId',
          message: `managerUserId must be a user with the manager role in team ${teamId} (user ${managerUserId} is a ${user.role}${user.teamId ? ` in team ${user.teamId}` : ''})`,
        },
      ]);
    const context = commandContext(principal, `${teamId}/manager/${managerUserId}`, this.clock);
    const command = { kind: 'assign-manager' as const, managerUserId };
    return registered((await handleCommand(this.store, streams.team(teamId), teamDecider, command, context)).state);
  }
}

/** Injectable so that the handlers extending it get its constructor's dependencies. */
@Injectable()
abstract class RepCommandHandler<C extends AppCommand<RepState>> extends AppCommandHandler<C, RepState> {
  constructor(
    protected readonly store: EventStore,
    protected readonly clock: Clock,
    protected readonly lookups: Lookups,
  ) {
    super();
  }

  protected async decide(principal: Principal, repId: string, command: RepCommand, commandId: string) {
    const context = commandContext(principal, commandId, this.clock, command.kind === 'hire');
    return (await handleCommand(this.store, streams.rep(repId), repDecider, command, context)).state;
  }
}

@CommandHandler(HireRep)
export class HireRepHandler extends RepCommandHandler<HireRep> {
  access({ rep }: HireRep): Access {
    return { resource: 'reps', owner: { teamId: rep.teamId } };
  }

  async handle({ principal, rep }: HireRep) {
    await this.lookups.team(rep.teamId);
    return this.decide(principal, rep.id, { kind: 'hire', ...rep }, rep.id);
  }
}

/** A move needs reach over both teams: the rep's and the receiving one. */
@CommandHandler(MoveRep)
export class MoveRepHandler extends RepCommandHandler<MoveRep> {
  async access({ repId, teamId }: MoveRep): Promise<Access> {
    return [
      { resource: 'reps', owner: await this.lookups.repOwnership(repId) },
      { resource: 'reps', owner: { teamId } },
    ];
  }

  async handle({ principal, repId, teamId, commandId }: MoveRep) {
    await this.lookups.team(teamId);
    return this.decide(principal, repId, { kind: 'move', teamId }, commandId);
  }
}

@CommandHandler(RepLeaves)
export class RepLeavesHandler extends RepCommandHandler<RepLeaves> {
  async access({ repId }: RepLeaves): Promise<Access> {
    return { resource: 'reps', owner: await this.lookups.repOwnership(repId) };
  }

  handle({ principal, repId, reason, leftOn }: RepLeaves) {
    return this.decide(principal, repId, { kind: 'leave', reason, leftOn }, `${repId}/departure`);
  }
}

export const ORGANISATION_COMMAND_HANDLERS = [
  RegisterUserHandler,
  IssueTokenHandler,
  RevokeTokenHandler,
  DeactivateUserHandler,
  CreateTeamHandler,
  AssignTeamManagerHandler,
  HireRepHandler,
  MoveRepHandler,
  RepLeavesHandler,
];
