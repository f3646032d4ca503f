import type { Decider, DomainEvent } from '../decider';
import { InvalidInputError } from '../errors';
import type { Money } from '../money';

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export type SetTarget = { repId: string; month: string; amount: Money; reason: string };

export type TargetEvent =
  | DomainEvent<'TargetSet', { repId: string; month: string; amount: Money; reason: string }>
  | DomainEvent<
      'TargetRevised',
      { repId: string; month: string; amount: Money; previousAmount: Money; reason: string }
    >;

export interface TargetState {
  readonly amount: Money | null;
  readonly reason: string | null;
  /** 1 for the first setting, +1 for every revision. */
  readonly version: number;
}

/** A rep's monthly target. Every change is kept with its reason: the audit trail auditors buy. */
export const targetDecider: Decider<SetTarget, TargetEvent, TargetState> = {
  initialState: { amount: null, reason: null, version: 0 },
  decide: (command, state) => {
    if (!MONTH.test(command.month)) throw new InvalidInputError([{ field: 'month', message: 'must be YYYY-MM' }]);
    if (command.reason.trim() === '') throw new InvalidInputError([{ field: 'reason', message: 'must not be empty' }]);
    if (state.amount === null) return [{ type: 'TargetSet', data: command }];
    // Setting what is already set, for the same reason, changes nothing: a plain PUT retry.
    if (state.amount === command.amount && state.reason === command.reason) return [];
    return [{ type: 'TargetRevised', data: { ...command, previousAmount: state.amount } }];
  },
  evolve: (state, event) => ({ amount: event.data.amount, reason: event.data.reason, version: state.version + 1 }),
};
