import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { InvalidInputError, NotFoundError } from '@salesledger/domain/errors';
import type { RecordedEvent } from '@salesledger/domain/event';
import { EventStore } from '@salesledger/domain/event-store.port';
import { toMoney } from '@salesledger/domain/money';
import { assertMayRead, assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { streams } from '@salesledger/domain/streams';
import { MONTH, targetDecider, type TargetCommand, type TargetEvent } from '@salesledger/domain/targets/target.decider';
import { monthBreakdown } from '@salesledger/domain/periods';
import { commandContext } from './command-context';
import { CompanySettingsService } from './company-settings.service';
import { OrganisationService } from './organisation.service';

export interface TargetChange {
  version: number;
  amount: number;
  previousAmount: number | null;
  reason: string;
  /** Present when the target was split by product category. */
  categories?: Record<string, number>;
  actor: { userId: string; role: string };
  /** Who approved a manager's proposal; null for a change that needed no approval. */
  approver: { userId: string; role: string } | null;
  recordedAt: string;
}

@Injectable()
export class TargetsService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly organisation: OrganisationService,
    private readonly settings: CompanySettingsService,
  ) {}

  async set(
    principal: Principal,
    repId: string,
    month: string,
    change: { amount: number; reason: string; categories?: { category: string; amount: number }[] },
    key?: string,
  ) {
    assertMonth(month);
    assertMayWrite(principal, 'targets', await this.organisation.repOwnership(repId));
    const commandId = key ?? randomUUID();
    // Only a manager's change can need approval, so only then is the company policy read.
    const managerChange =
      principal.role === 'manager'
        ? {
            proposalId: commandId,
            proposedBy: principal.userId,
            policy: (await this.settings.current()).targetApproval,
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
      amount: change.amount,
      reason: change.reason,
      categories: change.categories?.map((c) => ({ ...c })) ?? [],
    };
    const context = { ...commandContext(principal, commandId, this.clock), request };
    const { state } = await handleCommand(this.store, streams.target(repId, month), targetDecider, command, context);
    const proposal = state.proposals[commandId];
    if (proposal?.status === 'pending')
      return { proposalId: commandId, status: 'pending', amount: Number(proposal.amount) };
    return { amount: Number(state.amount), version: state.version, ...categoriesOf(state.categories) };
  }

  /** Approving or rejecting is a director's (or admin's) call, never the proposer's. */
  async decide(
    principal: Principal,
    repId: string,
    month: string,
    proposalId: string,
    decision: { approve: boolean; reason?: string },
  ) {
    assertMonth(month);
    assertMayWrite(principal, 'targets', await this.organisation.repOwnership(repId));
    assertMayWrite(principal, 'target approvals');
    const command: TargetCommand = decision.approve
      ? { kind: 'approve', proposalId }
      : { kind: 'reject', proposalId, reason: decision.reason ?? '' };
    const context = commandContext(principal, `${proposalId}/decision`, this.clock);
    const { state } = await handleCommand(this.store, streams.target(repId, month), targetDecider, command, context);
    return {
      proposalId,
      status: state.proposals[proposalId]?.status,
      amount: Number(state.amount),
      version: state.version,
    };
  }

  /** The target as known at `asOf` (default: now), from the changes recorded up to then. */
  async get(principal: Principal, repId: string, month: string, asOf?: Date) {
    const changes = (await this.history(principal, repId, month)).filter(
      (c) => !asOf || new Date(c.recordedAt) <= asOf,
    );
    const current = changes.at(-1);
    if (!current)
      throw new NotFoundError(`no target for rep ${repId} in ${month}${asOf ? ` as of ${asOf.toISOString()}` : ''}`);
    return {
      amount: current.amount,
      version: current.version,
      ...(current.categories && { categories: current.categories }),
    };
  }

  /** The month's target split over its ISO weeks or working days, by working days. */
  async breakdown(principal: Principal, repId: string, month: string, grain: 'week' | 'day', asOf?: Date) {
    const { amount, version } = await this.get(principal, repId, month, asOf);
    const { holidays } = await this.settings.current();
    const periods = monthBreakdown(month, toMoney(amount, 'amount'), grain, holidays);
    return { month, amount, version, workingDays: periods.reduce((n, p) => n + p.workingDays, 0), periods };
  }

  async history(principal: Principal, repId: string, month: string): Promise<TargetChange[]> {
    assertMonth(month);
    assertMayRead(principal, 'targets', await this.organisation.repOwnership(repId));
    const events = (await this.store.readStream(streams.target(repId, month))) as unknown as (RecordedEvent &
      TargetEvent)[];
    const proposers = new Map(
      events.flatMap((e) => (e.type === 'TargetProposed' ? [[e.data.proposalId, e.metadata.actor]] : [])),
    );
    return events
      .flatMap((event) => {
        if (event.type === 'TargetProposed' || event.type === 'TargetProposalRejected') return [];
        const approved = event.type === 'TargetProposalApproved';
        const previous = event.type === 'TargetSet' ? null : event.data.previousAmount;
        return [
          {
            amount: Number(event.data.amount),
            previousAmount: previous === null ? null : Number(previous),
            reason: event.data.reason,
            ...categoriesOf(event.data.categories),
            actor: approved ? (proposers.get(event.data.proposalId) ?? event.metadata.actor) : event.metadata.actor,
            approver: approved ? event.metadata.actor : null,
            recordedAt: event.metadata.recordedAt,
          },
        ];
      })
      .map((change, i) => ({ version: i + 1, ...change }));
  }
}

function categoriesOf(categories: Readonly<Record<string, string>> | undefined) {
  return categories
    ? { categories: Object.fromEntries(Object.entries(categories).map(([c, a]) => [c, Number(a)])) }
    : {};
}

function assertMonth(month: string): void {
  if (!MONTH.test(month)) throw new InvalidInputError([{ field: 'month', message: 'must be YYYY-MM' }]);
}
