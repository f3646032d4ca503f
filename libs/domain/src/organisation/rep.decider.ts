import type { Decider, DomainEvent } from '../decider';
import { ConflictError, NotFoundError } from '../errors';
import type { RepData } from './organisation.deciders';

export type RepCommand =
  ({ kind: 'hire' } & RepData) | { kind: 'move'; teamId: string } | { kind: 'leave'; reason: string; leftOn: string };

export type RepEvent =
  | DomainEvent<'RepHired', RepData>
  | DomainEvent<'RepMovedTeam', { teamId: string; previousTeamId: string }>
  | DomainEvent<'RepLeft', { reason: string; leftOn: string }>;

export type RepState = { status: 'none' } | ({ status: 'active' | 'left' } & RepData);

export const repDecider: Decider<RepCommand, RepEvent, RepState> = {
  initialState: { status: 'none' },
  decide: (command, state) => {
    if (command.kind === 'hire') {
      if (state.status !== 'none') throw new ConflictError('this rep id is already used');
      const { kind: _kind, ...rep } = command;
      return [{ type: 'RepHired', data: rep }];
    }
    if (state.status === 'none') throw new NotFoundError('no such rep');
    if (state.status === 'left') throw new ConflictError('the rep has left');
    if (command.kind === 'move') {
      if (command.teamId === state.teamId) return [];
      return [{ type: 'RepMovedTeam', data: { teamId: command.teamId, previousTeamId: state.teamId } }];
    }
    return [{ type: 'RepLeft', data: { reason: command.reason, leftOn: command.leftOn } }];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'RepHired':
        return { status: 'active', ...event.data };
      case 'RepMovedTeam':
        return state.status === 'none' ? state : { ...state, teamId: event.data.teamId };
      case 'RepLeft':
        return state.status === 'none' ? state : { ...state, status: 'left' };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
