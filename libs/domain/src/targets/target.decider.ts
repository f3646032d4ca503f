import Big from 'big.js';
import type { TargetApprovalPolicy } from '../company/company-settings.decider';
import { sameJson } from '../canonical-json';
import type { Decider, DomainEvent } from '../decider';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import type { Money } from '../money';

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export type TargetCommand =
  | {
      kind: 'set';
      repId: string;
      month: string;
      amount: Money;
      reason: string;
      /** The amount split by product category; the parts must add up to it. */
      categories?: Record<string, Money>;
      /** Set when the change comes from a manager: the company policy may make it a proposal. */
      managerChange?: { proposalId: string; proposedBy: string; policy: TargetApprovalPolicy };
    }
  | { kind: 'approve'; proposalId: string }
  | { kind: 'reject'; proposalId: string; reason: string };

type Change = { repId: string; month: string; amount: Money; reason: string; categories?: Record<string, Money> };

export type TargetEvent =
  | DomainEvent<'TargetSet', Change>
  | DomainEvent<'TargetRevised', Change & { previousAmount: Money }>
  | DomainEvent<'TargetProposed', Change & { proposalId: string; proposedBy: string }>
  | DomainEvent<
      'TargetProposalApproved',
      Change & { proposalId: string; proposedBy: string; previousAmount: Money | null }
    >
  | DomainEvent<'TargetProposalRejected', { proposalId: string; reason: string }>;

export interface Proposal extends Change {
  readonly proposedBy: string;
  readonly status: 'pending' | 'approved' | 'rejected';
}

export interface TargetState {
  readonly amount: Money | null;
  readonly categories?: Readonly<Record<string, Money>>;
  readonly reason: string | null;
  /** 1 for the first setting, +1 for every change that took effect. */
  readonly version: number;
  readonly proposals: Readonly<Record<string, Proposal>>;
}

/** A rep's monthly target. Every change is kept with its reason (and approver): the audit trail auditors buy. */
export const targetDecider: Decider<TargetCommand, TargetEvent, TargetState> = {
  initialState: { amount: null, reason: null, version: 0, proposals: {} },
  decide: (command, state) => {
    if (command.kind === 'set') return decideSet(command, state);
    const proposal = state.proposals[command.proposalId];
    if (!proposal) throw new NotFoundError(`no proposal ${command.proposalId} for this target`);
    if (proposal.status !== 'pending') throw new ConflictError(`the proposal is already ${proposal.status}`);
    if (command.kind === 'reject') {
      return [{ type: 'TargetProposalRejected', data: { proposalId: command.proposalId, reason: command.reason } }];
    }
    const { status: _status, ...change } = proposal;
    return [
      {
        type: 'TargetProposalApproved',
        data: { ...change, proposalId: command.proposalId, previousAmount: state.amount },
      },
    ];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'TargetSet':
      case 'TargetRevised':
        return {
          ...state,
          amount: event.data.amount,
          reason: event.data.reason,
          categories: event.data.categories,
          version: state.version + 1,
        };
      case 'TargetProposed': {
        const { proposalId, ...proposal } = event.data;
        return { ...state, proposals: { ...state.proposals, [proposalId]: { ...proposal, status: 'pending' } } };
      }
      case 'TargetProposalApproved':
        return {
          amount: event.data.amount,
          reason: event.data.reason,
          categories: event.data.categories,
          version: state.version + 1,
          proposals: withStatus(state, event.data.proposalId, 'approved'),
        };
      case 'TargetProposalRejected':
        return { ...state, proposals: withStatus(state, event.data.proposalId, 'rejected') };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};

function decideSet(command: Extract<TargetCommand, { kind: 'set' }>, state: TargetState): TargetEvent[] {
  const { kind: _kind, managerChange, ...change } = command;
  if (!MONTH.test(change.month)) throw new InvalidInputError([{ field: 'month', message: 'must be YYYY-MM' }]);
  if (change.reason.trim() === '') throw new InvalidInputError([{ field: 'reason', message: 'must not be empty' }]);
  const parts = Object.values(change.categories ?? {});
  if (parts.length > 0 && !parts.reduce((sum, part) => sum.plus(part), new Big(0)).eq(change.amount)) {
    throw new InvalidInputError([
      {
        field: 'categories',
        message: `add up to ${parts.reduce((sum, part) => sum.plus(part), new Big(0)).toFixed(2)}, not the amount ${change.amount}`,
      },
    ]);
  }
  // Setting what is already set, for the same reason, changes nothing: a plain PUT retry.
  if (
    state.amount === change.amount &&
    state.reason === change.reason &&
    sameJson(state.categories ?? {}, change.categories ?? {})
  )
    return [];
  if (managerChange && needsApproval(managerChange.policy, state.amount, change.amount)) {
    const { proposalId, proposedBy } = managerChange;
    return [{ type: 'TargetProposed', data: { ...change, proposalId, proposedBy } }];
  }
  if (state.amount === null) return [{ type: 'TargetSet', data: change }];
  return [{ type: 'TargetRevised', data: { ...change, previousAmount: state.amount } }];
}

function needsApproval(policy: TargetApprovalPolicy, current: Money | null, amount: Money): boolean {
  if (policy.mode === 'off') return false;
  return new Big(amount)
    .minus(current ?? 0)
    .abs()
    .gt(policy.threshold);
}

function withStatus(state: TargetState, proposalId: string, status: Proposal['status']): Record<string, Proposal> {
  const proposal = state.proposals[proposalId];
  return proposal ? { ...state.proposals, [proposalId]: { ...proposal, status } } : state.proposals;
}
