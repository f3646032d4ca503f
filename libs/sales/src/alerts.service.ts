import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { alertDecider, type AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { NotFoundError } from '@salesledger/domain/errors';
import { EventStore } from '@salesledger/domain/event-store.port';
import {
  assertMayRead,
  assertMayWrite,
  readScope,
  type Principal,
} from '@salesledger/domain/organisation/access.policy';
import { alertFromEvents } from '@salesledger/read-model/alert-projection';
import { AlertQueries, alertView, type AlertFilter, type AlertView } from '@salesledger/read-model/alert-queries';
import { commandContext } from './command-context';

/**
 * The in-app alerts: listed and shown from the read model, as far as the access policy lets the
 * principal see; acknowledged through the alert's own stream, by its team's manager, a director or an admin.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly queries: AlertQueries,
  ) {}

  /** What the filter asks for, within what the principal may read: a filter never widens it. */
  async list(principal: Principal, filter: AlertFilter): Promise<AlertView[]> {
    const scope = readScope(principal, 'alerts');
    if (scope === 'nothing') return [];
    return this.queries.list(filter, scope === 'all' ? {} : scope);
  }

  async get(principal: Principal, alertId: string): Promise<AlertView> {
    const { view } = await this.find(alertId);
    assertMayRead(principal, 'alerts', { repId: view.repId, teamId: view.teamId });
    return view;
  }

  /**
   * Acknowledges an open alert; one already acknowledged stays as first acknowledged, a resolved
   * one is a conflict. `commandId` (the Idempotency-Key) makes a retry an answer, not a new event.
   * Answers from the alert's stream, so the acknowledgement shows before the projection has it.
   */
  async acknowledge(principal: Principal, alertId: string, note?: string, commandId?: string): Promise<AlertView> {
    const { streamId, view } = await this.find(alertId);
    assertMayWrite(principal, 'alerts', { repId: view.repId, teamId: view.teamId });
    const context = {
      ...commandContext(principal, commandId ?? randomUUID(), this.clock),
      request: { alertId, note: note ?? null },
    };
    const now = context.now.toISOString();
    const command: AlertCommand = { kind: 'acknowledge', alertId, now, ...(note !== undefined && { note }) };
    await handleCommand(this.store, streamId, alertDecider, command, context);
    const { alert, deliveries } = alertFromEvents(await this.store.readStream(streamId), alertId);
    if (!alert) throw new NotFoundError(`alert ${alertId} does not exist`);
    return alertView(alert, deliveries);
  }

  private async find(alertId: string) {
    const found = await this.queries.find(alertId);
    if (!found) throw new NotFoundError(`alert ${alertId} does not exist`);
    return found;
  }
}
