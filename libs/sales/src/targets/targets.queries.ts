import { Injectable } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Actor } from '@salesledger/domain/event';
import type { Principal, ReadScope } from '@salesledger/domain/organisation/access.policy';
import { monthBreakdown } from '@salesledger/domain/periods';
import { streams } from '@salesledger/domain/streams';
import type { TargetEvent } from '@salesledger/domain/targets/target.decider';
import { BrowseQueries, type ProposalView } from '@salesledger/read-model/browse-queries';
import type { Page, PageRequest } from '@salesledger/read-model/keyset-page';
import { AppQuery, AppQueryHandler, type Access } from '../bus/application-bus';
import { Lookups } from '../shared/lookups';
import { listWithin } from '../shared/reach';
import { assertMonth } from './month';

export interface TargetChange {
  version: number;
  amount: string;
  previousAmount: string | null;
  reason: string;
  /** Present when the target was split by product category. */
  categories?: Record<string, string>;
  actor: Actor;
  /** Who approved a manager's proposal; null for a change that needed no approval. */
  approver: Actor | null;
  recordedAt: string;
}

export class TargetHistory extends AppQuery<TargetChange[]> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly month: string,
  ) {
    super(principal);
  }
}

export class GetTarget extends AppQuery<{ amount: string; version: number; categories?: Record<string, string> }> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly month: string,
    readonly asOf?: Date,
  ) {
    super(principal);
  }
}

export class TargetBreakdown extends AppQuery<ReturnType<typeof breakdownOf>> {
  constructor(
    principal: Principal,
    readonly repId: string,
    readonly month: string,
    readonly grain: 'week' | 'day',
    readonly asOf?: Date,
  ) {
    super(principal);
  }
}

export class ListProposals extends AppQuery<Page<ProposalView>> {
  constructor(
    principal: Principal,
    readonly filter: { status?: string },
    readonly page: PageRequest,
  ) {
    super(principal);
  }
}

/** Every change that took effect, oldest first, from the target's own stream: the audit trail. */
function changesOf(
  events: readonly (TargetEvent & { metadata: { actor: Actor; recordedAt: string } })[],
): TargetChange[] {
  const proposers = new Map(
    events.flatMap((e) => (e.type === 'TargetProposed' ? [[e.data.proposalId, e.metadata.actor]] : [])),
  );
  return events
    .flatMap((event) => {
      if (event.type === 'TargetProposed' || event.type === 'TargetProposalRejected') return [];
      const approved = event.type === 'TargetProposalApproved';
      return [
        {
          amount: event.data.amount,
          previousAmount: event.type === 'TargetSet' ? null : event.data.previousAmount,
          reason: event.data.reason,
          ...(event.data.categories && { categories: { ...event.data.categories } }),
          actor: approved ? (proposers.get(event.data.proposalId) ?? event.metadata.actor) : event.metadata.actor,
          approver: approved ? event.metadata.actor : null,
          recordedAt: event.metadata.recordedAt,
        },
      ];
    })
    .map((change, i) => ({ version: i + 1, ...change }));
}

/** The target as known at `asOf` (default: now). */
function asKnownAt(changes: TargetChange[], repId: string, month: string, asOf?: Date) {
  const current = changes.filter((c) => !asOf || new Date(c.recordedAt) <= asOf).at(-1);
  if (!current)
    throw new NotFoundError(`no target for rep ${repId} in ${month}${asOf ? ` as of ${asOf.toISOString()}` : ''}`);
  return {
    amount: current.amount,
    version: current.version,
    ...(current.categories && { categories: current.categories }),
  };
}

function breakdownOf(
  month: string,
  target: { amount: string; version: number },
  grain: 'week' | 'day',
  holidays: readonly string[],
) {
  const periods = monthBreakdown(month, target.amount, grain, holidays);
  const workingDays = periods.reduce((n, p) => n + p.workingDays, 0);
  return { month, amount: target.amount, version: target.version, workingDays, periods };
}

/** Injectable so that the handlers extending it get its constructor's dependencies. */
@Injectable()
abstract class TargetQueryHandler<Q extends AppQuery<R> & { repId: string; month: string }, R> extends AppQueryHandler<
  Q,
  R
> {
  constructor(
    protected readonly store: EventStore,
    protected readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ repId, month }: Q): Promise<Access> {
    assertMonth(month);
    return { resource: 'targets', owner: await this.lookups.repOwnership(repId) };
  }

  protected async changes(repId: string, month: string): Promise<TargetChange[]> {
    return changesOf(await this.store.readStream<TargetEvent>(streams.target(repId, month)));
  }
}

@QueryHandler(TargetHistory)
export class TargetHistoryHandler extends TargetQueryHandler<TargetHistory, TargetChange[]> {
  handle({ repId, month }: TargetHistory) {
    return this.changes(repId, month);
  }
}

@QueryHandler(GetTarget)
export class GetTargetHandler extends TargetQueryHandler<GetTarget, ReturnType<typeof asKnownAt>> {
  async handle({ repId, month, asOf }: GetTarget) {
    return asKnownAt(await this.changes(repId, month), repId, month, asOf);
  }
}

/** The month's target split over its ISO weeks or working days, by working days. */
@QueryHandler(TargetBreakdown)
export class TargetBreakdownHandler extends TargetQueryHandler<TargetBreakdown, ReturnType<typeof breakdownOf>> {
  async handle({ repId, month, grain, asOf }: TargetBreakdown) {
    const target = asKnownAt(await this.changes(repId, month), repId, month, asOf);
    return breakdownOf(month, target, grain, (await this.lookups.settings()).holidays);
  }
}

/** An approver's queue: the proposals of the reps the caller reaches, newest first. */
@QueryHandler(ListProposals)
export class ListProposalsHandler extends AppQueryHandler<ListProposals> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access {
    return { scoped: 'targets' };
  }

  handle({ filter, page }: ListProposals, reach: ReadScope) {
    return listWithin(reach, (within) => this.browse.proposals(within, filter, page));
  }
}

export const TARGET_QUERY_HANDLERS = [
  TargetHistoryHandler,
  GetTargetHandler,
  TargetBreakdownHandler,
  ListProposalsHandler,
];
