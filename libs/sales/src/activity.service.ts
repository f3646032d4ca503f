import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import { toMoney } from '@salesledger/domain/money';
import { assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { orderDecider, type OrderLine, type OrderState } from '@salesledger/domain/orders/order.decider';
import { registered } from '@salesledger/domain/registration';
import { streams } from '@salesledger/domain/streams';
import { visitDecider, type VisitData } from '@salesledger/domain/visits/visit.decider';
import { commandContext } from './command-context';
import { CustomersService } from './customers.service';
import { load } from './load';
import { OrganisationService } from './organisation.service';

export type OrderLineInput = { sku: string; category: string; quantity: number; unitPrice: number; discount?: number };

export interface PlaceOrderInput {
  id: string;
  repId: string;
  customerId: string;
  placedAt: string;
  lines: OrderLineInput[];
}

const orderLines = (lines: OrderLineInput[]): OrderLine[] =>
  lines.map((line, i) => ({
    ...line,
    unitPrice: toMoney(line.unitPrice, `lines[${i}].unitPrice`),
    discount: line.discount ?? 0,
  }));

/** What reps do in the field: visits and orders. */
@Injectable()
export class ActivityService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly organisation: OrganisationService,
    private readonly customers: CustomersService,
  ) {}

  async logVisit(principal: Principal, visit: VisitData) {
    return (await this.logVisitOutcome(principal, visit)).view;
  }

  /** `replayed`: this same visit was already recorded (a re-import), so nothing was appended. */
  async logVisitOutcome(principal: Principal, visit: VisitData) {
    assertMayWrite(principal, 'visits', await this.organisation.repOwnership(visit.repId));
    await this.requireCustomer(visit.customerId);
    const context = commandContext(principal, visit.id, this.clock, true);
    const command = { kind: 'log' as const, visit };
    const { state, replayed } = await handleCommand(
      this.store,
      streams.visit(visit.id),
      visitDecider,
      command,
      context,
    );
    return { view: registered(state), replayed };
  }

  async closeFollowUp(principal: Principal, visitId: string, outcome: 'completed' | 'missed', on: string) {
    const visit = await load(this.store, streams.visit(visitId), visitDecider);
    if (visit.registered) assertMayWrite(principal, 'visits', await this.organisation.repOwnership(visit.repId));
    const context = commandContext(principal, `${visitId}/follow-up`, this.clock);
    const command = { kind: 'close-follow-up' as const, outcome, on };
    return registered((await handleCommand(this.store, streams.visit(visitId), visitDecider, command, context)).state);
  }

  async placeOrder(principal: Principal, order: PlaceOrderInput) {
    return (await this.placeOrderOutcome(principal, order)).view;
  }

  /** `replayed`: this same order was already recorded (a re-import), so nothing was appended. */
  async placeOrderOutcome(principal: Principal, order: PlaceOrderInput) {
    assertMayWrite(principal, 'orders', await this.organisation.repOwnership(order.repId));
    await this.requireCustomer(order.customerId);
    const command = { kind: 'place' as const, ...order, lines: orderLines(order.lines) };
    const context = commandContext(principal, order.id, this.clock, true);
    const { state, replayed } = await handleCommand(
      this.store,
      streams.order(order.id),
      orderDecider,
      command,
      context,
    );
    return { view: orderView(state), replayed };
  }

  /** An amendment replaces the lines; the order keeps its date, so its month's figure changes. */
  async amendOrder(
    principal: Principal,
    orderId: string,
    change: { lines: OrderLineInput[]; reason: string },
    commandId: string,
  ) {
    await this.assertMayChangeOrder(principal, orderId);
    const context = { ...commandContext(principal, commandId, this.clock), request: { orderId, ...change } };
    const command = { kind: 'amend' as const, lines: orderLines(change.lines), reason: change.reason };
    return orderView((await handleCommand(this.store, streams.order(orderId), orderDecider, command, context)).state);
  }

  async cancelOrder(principal: Principal, orderId: string, reason: string) {
    await this.assertMayChangeOrder(principal, orderId);
    const context = commandContext(principal, `${orderId}/cancellation`, this.clock);
    const { state } = await handleCommand(
      this.store,
      streams.order(orderId),
      orderDecider,
      { kind: 'cancel', reason },
      context,
    );
    return orderView(state);
  }

  private async assertMayChangeOrder(principal: Principal, orderId: string): Promise<void> {
    const placed = await load(this.store, streams.order(orderId), orderDecider);
    if (placed.status !== 'none')
      assertMayWrite(principal, 'orders', await this.organisation.repOwnership(placed.repId));
  }

  private async requireCustomer(customerId: string): Promise<void> {
    await this.customers.get(customerId);
  }
}

/** The order as placed, with its current lines and amounts, and how it ended if it did. */
function orderView(state: OrderState) {
  if (state.status === 'none') return state;
  const { amendments, ...order } = state;
  return amendments > 0 ? { ...order, amendments } : order;
}
