import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import { toMoney } from '@salesledger/domain/money';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { streams } from '@salesledger/domain/streams';
import { targetDecider, type TargetCommand } from '@salesledger/domain/targets/target.decider';
import { AppCommand, AppCommandHandler, type Access } from '../bus/application-bus';
import { commandContext } from '../shared/command-context';
import type { MoneyInput } from '../shared/dto-rules';
import { Lookups } from '../shared/lookups';
import { assertMonth } from './month';

export interface TargetChangeInput {
  readonly amount: MoneyInput;
  readonly reason: string;
  readonly categories?: readonly { category: string; amount: MoneyInput }[];
}

type SetResult =
  | { proposalId: string; status: 'pending'; amount: string }
  | { amount: string; version: number; categories?: Record<string, string> };
type DecisionResult = { proposalId: string; status: string | undefined; amount: string | null; version: number };

export class SetTarget extends AppCommand<SetResult> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly month: string,
    readonly change: TargetChangeInput,
    readonly commandId: string,
  ) {
    super(principal);
  }
}

export class DecideProposal extends AppCommand<DecisionResult> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly month: string,
    readonly proposalId: string,
    readonly decision: { approve: true } | { approve: false; reason: string },
  ) {
    super(principal);
  }
}

@CommandHandler(SetTarget)
export class SetTargetHandler extends AppCommandHandler<SetTarget> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ repId, month }: SetTarget): Promise<Access> {
    assertMonth(month);
    return { resource: 'targets', owner: await this.lookups.repOwnership(repId) };
  }

  async handle({ principal, repId, month, change, commandId }: SetTarget): Promise<SetResult> {
    // Only a manager's change can need approval, so only then is the company policy read.
    const managerChange =
      principal.role === 'manager'
        ? {
            proposalId: commandId,
            proposedBy: principal.userId,
            policy: (await this.lookups.settings()).targetApproval,
          }
        : undefined;
    const command: TargetCommand = {
      kind: 'set',
      repId,
      month,
      amount: toMoney(change.amount, 'amount'),
      reason: change.reason,
      ...(change.categories && {
        categories: Object.fromEntries(
          change.categories.map((c) => [c.category, toMoney(c.amount, `categories.${c.category}`)]),
        ),
      }),
      managerChange,
    };
    const request = {
      repId,
      month,
      amount: command.amount,
      reason: change.reason,
      categories: command.categories ?? {},
    };
    const context = { ...commandContext(principal, commandId, this.clock), request };
    const { state } = await handleCommand(this.store, streams.target(repId, month), targetDecider, command, context);
    const proposal = state.proposals[commandId];
    if (proposal?.status === 'pending') return { proposalId: commandId, status: 'pending', amount: proposal.amount };
    return {
      amount: state.amount as string,
      version: state.version,
      ...(state.categories && { categories: { ...state.categories } }),
    };
  }
}

/** Approving or rejecting is a director's (or admin's) call, never the proposer's. */
@CommandHandler(DecideProposal)
export class DecideProposalHandler extends AppCommandHandler<DecideProposal> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ repId, month }: DecideProposal): Promise<Access> {
    assertMonth(month);
    return [{ resource: 'targets', owner: await this.lookups.repOwnership(repId) }, { resource: 'target approvals' }];
  }

  async handle({ principal, repId, month, proposalId, decision }: DecideProposal) {
    const command: TargetCommand = decision.approve
      ? { kind: 'approve', proposalId }
      : { kind: 'reject', proposalId, reason: decision.reason };
    const context = commandContext(principal, `${proposalId}/decision`, this.clock);
    const { state } = await handleCommand(this.store, streams.target(repId, month), targetDecider, command, context);
    return { proposalId, status: state.proposals[proposalId]?.status, amount: state.amount, version: state.version };
  }
}

export const TARGET_COMMAND_HANDLERS = [SetTargetHandler, DecideProposalHandler];
