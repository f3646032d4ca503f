import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import { assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { repDecider, type RepCommand } from '@salesledger/domain/organisation/rep.decider';
import { NotFoundError } from '@salesledger/domain/errors';
import {
  teamDecider,
  tokenDecider,
  userDecider,
  type RepData,
  type TeamData,
  type UserData,
} from '@salesledger/domain/organisation/organisation.deciders';
import { registered } from '@salesledger/domain/registration';
import { streams } from '@salesledger/domain/streams';
import { tokenHash } from './token-hash';
import { commandContext } from './command-context';
import { load, loadRegistered } from './load';

@Injectable()
export class OrganisationService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async registerUser(principal: Principal, user: UserData) {
    assertMayWrite(principal, 'users', {});
    if (user.teamId) await loadRegistered(this.store, streams.team(user.teamId), teamDecider, `team ${user.teamId}`);
    if (user.repId) await this.repOwnership(user.repId);
    const context = commandContext(principal, user.id, this.clock, true);
    return registered((await handleCommand(this.store, streams.user(user.id), userDecider, user, context)).state);
  }

  /** A new token each call; only its hash is stored, so it is shown this once. */
  async issueToken(principal: Principal, userId: string): Promise<{ token: string }> {
    assertMayWrite(principal, 'users', {});
    await loadRegistered(this.store, streams.user(userId), userDecider, `user ${userId}`);
    const token = `sl_${randomBytes(32).toString('base64url')}`;
    const hash = tokenHash(token);
    await handleCommand(
      this.store,
      streams.token(hash),
      tokenDecider,
      { userId },
      commandContext(principal, hash, this.clock, true),
    );
    return { token };
  }

  async createTeam(principal: Principal, team: TeamData) {
    assertMayWrite(principal, 'teams', {});
    if (team.managerUserId) {
      await loadRegistered(this.store, streams.user(team.managerUserId), userDecider, `user ${team.managerUserId}`);
    }
    const context = commandContext(principal, team.id, this.clock, true);
    return registered((await handleCommand(this.store, streams.team(team.id), teamDecider, team, context)).state);
  }

  async hireRep(principal: Principal, rep: RepData) {
    assertMayWrite(principal, 'reps', { teamId: rep.teamId });
    await loadRegistered(this.store, streams.team(rep.teamId), teamDecider, `team ${rep.teamId}`);
    return this.handleRep(principal, rep.id, { kind: 'hire', ...rep }, rep.id);
  }

  /** A manager may move reps out of their team; the receiving team must exist. */
  async moveRep(principal: Principal, repId: string, teamId: string, commandId: string) {
    assertMayWrite(principal, 'reps', await this.repOwnership(repId));
    await loadRegistered(this.store, streams.team(teamId), teamDecider, `team ${teamId}`);
    return this.handleRep(principal, repId, { kind: 'move', teamId }, commandId);
  }

  async repLeaves(principal: Principal, repId: string, reason: string, leftOn: string) {
    assertMayWrite(principal, 'reps', await this.repOwnership(repId));
    return this.handleRep(principal, repId, { kind: 'leave', reason, leftOn }, `${repId}/departure`);
  }

  /** The rep and the team it belongs to: what ownership checks need. */
  async repOwnership(repId: string): Promise<{ repId: string; teamId: string }> {
    const rep = await load(this.store, streams.rep(repId), repDecider);
    if (rep.status === 'none') throw new NotFoundError(`rep ${repId} does not exist`);
    return { repId, teamId: rep.teamId };
  }

  private async handleRep(principal: Principal, repId: string, command: RepCommand, commandId: string) {
    const context = commandContext(principal, commandId, this.clock, command.kind === 'hire');
    return (await handleCommand(this.store, streams.rep(repId), repDecider, command, context)).state;
  }
}
