import type { Decider, DomainEvent } from '../decider';
import { ConflictError, NotFoundError } from '../errors';
import type { Registered } from '../registration';

export type CustomerData = { id: string; name: string; repId: string; status: 'prospect' | 'customer' };

export type CustomerCommand =
  | ({ kind: 'register' } & CustomerData)
  | { kind: 'reassign'; repId: string; reason: string }
  | { kind: 'flag-key-account'; keyAccount: boolean }
  | { kind: 'mark-lost'; reason: string; lostOn: string }
  /** The scheduler's: no order for `churnAfterDays` since the last one; lost from the day that passed. */
  | { kind: 'lapse'; lastOrderAt: string; churnAfterDays: number; lapsedOn: string };

export type CustomerEvent =
  | DomainEvent<'CustomerRegistered', CustomerData>
  | DomainEvent<'CustomerReassigned', { repId: string; previousRepId: string; reason: string }>
  | DomainEvent<'KeyAccountFlagChanged', { keyAccount: boolean }>
  | DomainEvent<'CustomerMarkedLost', { reason: string; lostOn: string; repId: string }>
  | DomainEvent<'CustomerLapsed', { lapsedOn: string; lastOrderAt: string; churnAfterDays: number; repId: string }>;

export type CustomerState = Registered<CustomerData & { keyAccount: boolean; lost: boolean }>;

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: { registered: false },
  decide: (command, state) => {
    if (command.kind === 'register') {
      if (state.registered) throw new ConflictError('this customer id is already used');
      const { kind: _kind, ...customer } = command;
      return [{ type: 'CustomerRegistered', data: customer }];
    }
    if (!state.registered) throw new NotFoundError('no such customer');
    switch (command.kind) {
      case 'reassign':
        if (command.repId === state.repId) return [];
        return [
          {
            type: 'CustomerReassigned',
            data: { repId: command.repId, previousRepId: state.repId, reason: command.reason },
          },
        ];
      case 'flag-key-account':
        return command.keyAccount === state.keyAccount
          ? []
          : [{ type: 'KeyAccountFlagChanged', data: { keyAccount: command.keyAccount } }];
      case 'lapse': {
        if (state.lost) return [];
        const { kind: _kind, ...lapse } = command;
        return [{ type: 'CustomerLapsed', data: { ...lapse, repId: state.repId } }];
      }
      case 'mark-lost':
        if (state.lost) throw new ConflictError('the customer is already marked lost');
        return [
          { type: 'CustomerMarkedLost', data: { reason: command.reason, lostOn: command.lostOn, repId: state.repId } },
        ];
    }
  },
  evolve: (state, event) => {
    if (event.type === 'CustomerRegistered') return { ...event.data, registered: true, keyAccount: false, lost: false };
    if (!state.registered) return state;
    switch (event.type) {
      case 'CustomerReassigned':
        return { ...state, repId: event.data.repId };
      case 'KeyAccountFlagChanged':
        return { ...state, keyAccount: event.data.keyAccount };
      case 'CustomerMarkedLost':
      case 'CustomerLapsed':
        return { ...state, lost: true };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
