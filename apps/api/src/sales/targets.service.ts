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
import { MONTH, targetDecider, type TargetEvent } from '@salesledger/domain/targets/target.decider';
import { commandContext } from './command-context';
import { OrganisationService } from './organisation.service';

export interface TargetChange {
  version: number;
  amount: number;
  previousAmount: number | null;
  reason: string;
  actor: { userId: string; role: string };
  recordedAt: string;
}

@Injectable()
export class TargetsService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly organisation: OrganisationService,
  ) {}

  async set(
    principal: Principal,
    repId: string,
    month: string,
    change: { amount: number; reason: string },
    key?: string,
  ) {
    assertMonth(month);
    assertMayWrite(principal, 'targets', await this.organisation.repOwnership(repId));
    const command = { repId, month, amount: toMoney(change.amount, 'amount'), reason: change.reason };
    const context = commandContext(principal, key ?? randomUUID(), this.clock);
    const { state } = await handleCommand(this.store, streams.target(repId, month), targetDecider, command, context);
    return { amount: Number(state.amount), version: state.version };
  }

  /** The target as known at `asOf` (default: now), from the changes recorded up to then. */
  async get(principal: Principal, repId: string, month: string, asOf?: Date) {
    const changes = (await this.history(principal, repId, month)).filter(
      (c) => !asOf || new Date(c.recordedAt) <= asOf,
    );
    const current = changes.at(-1);
    if (!current)
      throw new NotFoundError(`no target for rep ${repId} in ${month}${asOf ? ` as of ${asOf.toISOString()}` : ''}`);
    return { amount: current.amount, version: current.version };
  }

  async history(principal: Principal, repId: string, month: string): Promise<TargetChange[]> {
    assertMonth(month);
    assertMayRead(principal, 'targets', await this.organisation.repOwnership(repId));
    const events = (await this.store.readStream(streams.target(repId, month))) as unknown as (RecordedEvent &
      TargetEvent)[];
    return events.map((event, i) => ({
      version: i + 1,
      amount: Number(event.data.amount),
      previousAmount: event.type === 'TargetRevised' ? Number(event.data.previousAmount) : null,
      reason: event.data.reason,
      actor: event.metadata.actor,
      recordedAt: event.metadata.recordedAt,
    }));
  }
}

function assertMonth(month: string): void {
  if (!MONTH.test(month)) throw new InvalidInputError([{ field: 'month', message: 'must be YYYY-MM' }]);
}
