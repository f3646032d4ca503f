import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import { assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import {
  repDecider,
  teamDecider,
  tokenDecider,
  userDecider,
  type RepData,
  type TeamData,
  type UserData,
} from '@salesledger/domain/organisation/organisation.deciders';
import { registered } from '@salesledger/domain/registration';
import { streams } from '@salesledger/domain/streams';
import { tokenHash } from '../auth/token-verifier';
import { commandContext } from './command-context';
import { loadRegistered } from './load';

@Injectable()
export class OrganisationService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async registerUser(principal: Principal, user: UserData) {
    assertMayWrite(principal, 'users', {});
    if (user.teamId) await loadRegistered(this.store, streams.team(user.teamId), teamDecider, `team ${user.teamId}`);
    if (user.repId) await loadRegistered(this.store, streams.rep(user.repId), repDecider, `rep ${user.repId}`);
    const context = commandContext(principal, user.id, this.clock);
    return registered((await handleCommand(this.store, streams.user(user.id), userDecider, user, context)).state);
  }

  /** A new token each call; only its hash is stored, so it is shown this once. */
  async issueToken(principal: Principal, userId: string): Promise<{ token: string }> {
    assertMayWrite(principal, 'users', {});
    await loadRegistered(this.store, streams.user(userId), userDecider, `user ${userId}`);
    const token = `sl_${randomBytes(32).toString('base64url')}`;
    const hash = tokenHash(token);
    await handleCommand(this.store, streams.token(hash), tokenDecider, { userId }, commandContext(principal, hash, this.clock));
    return { token };
  }

  async createTeam(principal: Principal, team: TeamData) {
    assertMayWrite(principal, 'teams', {});
    if (team.managerUserId) {
      await loadRegistered(this.store, streams.user(team.managerUserId), userDecider, `user ${team.managerUserId}`);
    }
    const context = commandContext(principal, team.id, this.clock);
    return registered((await handleCommand(this.store, streams.team(team.id), teamDecider, team, context)).state);
  }

  async hireRep(principal: Principal, rep: RepData) {
    assertMayWrite(principal, 'reps', { teamId: rep.teamId });
    await loadRegistered(this.store, streams.team(rep.teamId), teamDecider, `team ${rep.teamId}`);
    const context = commandContext(principal, rep.id, this.clock);
    return registered((await handleCommand(this.store, streams.rep(rep.id), repDecider, rep, context)).state);
  }

  /** The rep and the team it belongs to: what ownership checks need. */
  async repOwnership(repId: string): Promise<{ repId: string; teamId: string }> {
    const rep = await loadRegistered(this.store, streams.rep(repId), repDecider, `rep ${repId}`);
    return { repId, teamId: rep.teamId };
  }
}
