import type { Decider, DomainEvent } from '../decider';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import type { Registered } from '../registration';

export const VISIT_KINDS = ['prospecting', 'existing-customer', 'follow-up'] as const;

export type VisitData = {
  id: string;
  repId: string;
  customerId: string;
  occurredAt: string;
  kind: (typeof VISIT_KINDS)[number];
  outcome?: string;
  notes?: string;
  /** The day the rep promised to follow up, if any. */
  followUpOn?: string;
};

export type VisitCommand =
  ({ kind: 'log' } & { visit: VisitData }) | { kind: 'close-follow-up'; outcome: 'completed' | 'missed'; on: string };

export type VisitEvent =
  DomainEvent<'VisitLogged', VisitData> | DomainEvent<'FollowUpCompleted' | 'FollowUpMissed', { on: string }>;

export type VisitState = Registered<VisitData & { followUp: 'none' | 'open' | 'completed' | 'missed' }>;

export const visitDecider: Decider<VisitCommand, VisitEvent, VisitState> = {
  initialState: { registered: false },
  decide: (command, state) => {
    if (command.kind === 'log') {
      if (state.registered) throw new ConflictError('this visit id is already used');
      return [{ type: 'VisitLogged', data: command.visit }];
    }
    if (!state.registered) throw new NotFoundError('no such visit');
    if (state.followUp === 'none')
      throw new InvalidInputError([{ field: 'visit', message: 'has no follow-up to close' }]);
    if (state.followUp !== 'open') throw new ConflictError(`the follow-up is already ${state.followUp}`);
    return [
      { type: command.outcome === 'completed' ? 'FollowUpCompleted' : 'FollowUpMissed', data: { on: command.on } },
    ];
  },
  evolve: (state, event) => {
    if (event.type === 'VisitLogged')
      return { ...event.data, registered: true, followUp: event.data.followUpOn ? 'open' : 'none' };
    if (!state.registered) return state;
    return { ...state, followUp: event.type === 'FollowUpCompleted' ? 'completed' : 'missed' };
  },
};
