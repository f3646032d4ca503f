import { Injectable } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import { toMoney } from '@salesledger/domain/money';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import {
  orderDecider,
  type OrderCommand,
  type OrderLine,
  type OrderState,
} from '@salesledger/domain/orders/order.decider';
import { registered } from '@salesledger/domain/registration';
import { streams } from '@salesledger/domain/streams';
import { visitDecider, type VisitData, type VisitState } from '@salesledger/domain/visits/visit.decider';
import { AppCommand, AppCommandHandler, type Access, type Outcome } from '../bus/application-bus';
import { commandContext } from '../shared/command-context';
import type { MoneyInput } from '../shared/dto-rules';
import { load } from '../shared/load';
import { Lookups } from '../shared/lookups';

export type OrderLineInput = {
  sku: string;
  category: string;
  quantity: number;
  unitPrice: MoneyInput;
  discount?: number;
};
export type PlaceOrderInput = {
  id: string;
  repId: string;
  customerId: string;
  placedAt: string;
  lines: OrderLineInput[];
};
type Visit = ReturnType<typeof registered<Exclude<VisitState, { registered: false }>>>;
type OrderView = ReturnType<typeof orderView>;

const orderLines = (lines: OrderLineInput[]): OrderLine[] =>
  lines.map((line, i) => ({
    ...line,
    unitPrice: toMoney(line.unitPrice, `lines[${i}].unitPrice`),
    discount: line.discount ?? 0,
  }));

/** The order as placed, with its current lines and amounts, and how it ended if it did. */
function orderView(state: OrderState) {
  if (state.status === 'none') return state;
  const { amendments, ...order } = state;
  return amendments > 0 ? { ...order, amendments } : order;
}

export class LogVisit extends AppCommand<Outcome<Visit>> {
  constructor(
    principal: Principal,
    readonly visit: VisitData,
  ) {
    super(principal);
  }
}

export class CloseFollowUp extends AppCommand<Visit> {
  constructor(
    principal: Principal,
    readonly visitId: string,
    readonly outcome: 'completed' | 'missed',
    readonly on: string,
  ) {
    super(principal);
  }
}

export class PlaceOrder extends AppCommand<Outcome<OrderView>> {
  constructor(
    principal: Principal,
    readonly order: PlaceOrderInput,
  ) {
    super(principal);
  }
}

export class AmendOrder extends AppCommand<OrderView> {
  constructor(
    principal: Principal,
    readonly orderId: string,
    readonly change: { lines: OrderLineInput[]; reason: string },
    readonly commandId: string,
  ) {
    super(principal);
  }
}

export class CancelOrder extends AppCommand<OrderView> {
  constructor(
    principal: Principal,
    readonly orderId: string,
    readonly reason: string,
  ) {
    super(principal);
  }
}

/**
 * Visits and orders are the rep's to record; the customer must exist but may be another rep's
 * (customers buy from several reps).
 */
@CommandHandler(LogVisit)
export class LogVisitHandler extends AppCommandHandler<LogVisit> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ principal, visit }: LogVisit): Promise<Access> {
    return { resource: 'visits', owner: await this.lookups.repOwnershipFor(principal, visit.repId) };
  }

  async handle({ principal, visit }: LogVisit) {
    await this.lookups.customerExists(visit.customerId);
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
}

@CommandHandler(CloseFollowUp)
export class CloseFollowUpHandler extends AppCommandHandler<CloseFollowUp> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  /** An unknown visit is the decider's 404. */
  async access({ visitId }: CloseFollowUp): Promise<Access> {
    const visit = await load(this.store, streams.visit(visitId), visitDecider);
    return visit.registered ? { resource: 'visits', owner: await this.lookups.repOwnership(visit.repId) } : 'none';
  }

  async handle({ principal, visitId, outcome, on }: CloseFollowUp) {
    const context = commandContext(principal, `${visitId}/follow-up`, this.clock);
    const command = { kind: 'close-follow-up' as const, outcome, on };
    return registered((await handleCommand(this.store, streams.visit(visitId), visitDecider, command, context)).state);
  }
}

@CommandHandler(PlaceOrder)
export class PlaceOrderHandler extends AppCommandHandler<PlaceOrder> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ principal, order }: PlaceOrder): Promise<Access> {
    return { resource: 'orders', owner: await this.lookups.repOwnershipFor(principal, order.repId) };
  }

  async handle({ principal, order }: PlaceOrder) {
    await this.lookups.customerExists(order.customerId);
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
}

/** Injectable so that the handlers extending it get its constructor's dependencies. */
@Injectable()
abstract class OrderChangeHandler<C extends AppCommand<OrderView> & { orderId: string }> extends AppCommandHandler<
  C,
  OrderView
> {
  constructor(
    protected readonly store: EventStore,
    protected readonly clock: Clock,
    protected readonly lookups: Lookups,
  ) {
    super();
  }

  /** An unknown order is the decider's 404. */
  async access({ orderId }: C): Promise<Access> {
    const placed = await load(this.store, streams.order(orderId), orderDecider);
    return placed.status === 'none'
      ? 'none'
      : { resource: 'orders', owner: await this.lookups.repOwnership(placed.repId) };
  }

  protected async decide(
    principal: Principal,
    orderId: string,
    command: OrderCommand,
    commandId: string,
    request?: object,
  ) {
    const context = {
      ...commandContext(principal, commandId, this.clock),
      ...(request && { request: JSON.parse(JSON.stringify(request)) }),
    };
    return orderView((await handleCommand(this.store, streams.order(orderId), orderDecider, command, context)).state);
  }
}

/** An amendment replaces the lines; the order keeps its date, so its month's figure changes. */
@CommandHandler(AmendOrder)
export class AmendOrderHandler extends OrderChangeHandler<AmendOrder> {
  handle({ principal, orderId, change, commandId }: AmendOrder) {
    const command = { kind: 'amend' as const, lines: orderLines(change.lines), reason: change.reason };
    return this.decide(principal, orderId, command, commandId, { orderId, ...change });
  }
}

@CommandHandler(CancelOrder)
export class CancelOrderHandler extends OrderChangeHandler<CancelOrder> {
  handle({ principal, orderId, reason }: CancelOrder) {
    return this.decide(principal, orderId, { kind: 'cancel', reason }, `${orderId}/cancellation`);
  }
}

export const ACTIVITY_COMMAND_HANDLERS = [
  LogVisitHandler,
  CloseFollowUpHandler,
  PlaceOrderHandler,
  AmendOrderHandler,
  CancelOrderHandler,
];
