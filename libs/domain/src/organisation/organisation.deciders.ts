import type { Decider, DomainEvent } from '../decider';
import { ConflictError, NotFoundError } from '../errors';
import type { Role } from '../event';
import type { Registered } from '../registration';
import { registrationDecider } from '../registration';

export type UserRole = Exclude<Role, 'system'>;

export type UserData = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  teamId?: string;
  repId?: string;
};
export type TeamData = { id: string; name: string; managerUserId?: string };
export type RepData = { id: string; name: string; email: string; teamId: string };

/** Registering a user takes its data alone (no `kind`); later changes name what they do. */
export type UserCommand = UserData | { kind: 'revoke-token'; tokenId: string } | { kind: 'deactivate' };

export type UserEvent =
  | DomainEvent<'UserRegistered', UserData>
  | DomainEvent<'TokenRevoked', { tokenId: string }>
  | DomainEvent<'UserDeactivated', Record<string, never>>;

/** A user, whether they may still sign in, and which of their tokens were revoked one by one. */
export type UserState = Registered<UserData & { active: boolean; revokedTokens: readonly string[] }>;

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: { registered: false },
  decide: (command, state) => {
    if (!('kind' in command)) {
      if (state.registered) throw new ConflictError('this user id is already registered');
      return [{ type: 'UserRegistered', data: command }];
    }
    if (!state.registered) throw new NotFoundError('no such user');
    if (command.kind === 'deactivate') return state.active ? [{ type: 'UserDeactivated', data: {} }] : [];
    if (state.revokedTokens.includes(command.tokenId)) return [];
    return [{ type: 'TokenRevoked', data: { tokenId: command.tokenId } }];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'UserRegistered':
        return { registered: true, ...event.data, active: true, revokedTokens: [] };
      case 'TokenRevoked':
        return state.registered ? { ...state, revokedTokens: [...state.revokedTokens, event.data.tokenId] } : state;
      case 'UserDeactivated':
        return state.registered ? { ...state, active: false } : state;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};

/** Creating a team takes its data alone (no `kind`); later changes name what they do. */
export type TeamCommand = TeamData | { kind: 'assign-manager'; managerUserId: string };

export type TeamEvent =
  | DomainEvent<'TeamCreated', TeamData>
  | DomainEvent<'TeamManagerAssigned', { managerUserId: string; previousManagerUserId: string | null }>;

export const teamDecider: Decider<TeamCommand, TeamEvent, Registered<TeamData>> = {
  initialState: { registered: false },
  decide: (command, state) => {
    if (!('kind' in command)) {
      if (state.registered) throw new ConflictError('this team id is already registered');
      return [{ type: 'TeamCreated', data: command }];
    }
    if (!state.registered) throw new NotFoundError('no such team');
    if (state.managerUserId === command.managerUserId) return [];
    const previousManagerUserId = state.managerUserId ?? null;
    return [{ type: 'TeamManagerAssigned', data: { managerUserId: command.managerUserId, previousManagerUserId } }];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'TeamCreated':
        return { registered: true, ...event.data };
      case 'TeamManagerAssigned':
        return state.registered ? { ...state, managerUserId: event.data.managerUserId } : state;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};

/**
 * Issued tokens are streams of their own, keyed by the token's hash, so a request finds its user in
 * one read. `tokenId` names the token everywhere else (lists, revocation); tokens issued before it
 * existed are named by their event's id. `expiresAt`: an ISO instant, absent for no expiry.
 */
export type TokenData = { userId: string; tokenId?: string; label?: string; expiresAt?: string };
export const tokenDecider = registrationDecider<'TokenIssued', TokenData>('TokenIssued', 'token');
