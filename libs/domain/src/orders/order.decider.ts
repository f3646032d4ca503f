import type { Decider, DomainEvent } from '../decider';
import { ConflictError, NotFoundError } from '../errors';
import { netAmount, sumMoney, type Money } from '../money';

export type OrderLine = { sku: string; category: string; quantity: number; unitPrice: Money; discount: number };
export type PricedLine = OrderLine & { netAmount: Money };

export type OrderCommand =
  | { kind: 'place'; id: string; repId: string; customerId: string; placedAt: string; lines: OrderLine[] }
  | { kind: 'cancel'; reason: string };

export type OrderEvent =
  | DomainEvent<
      'OrderPlaced',
      { id: string; repId: string; customerId: string; placedAt: string; lines: PricedLine[]; netAmount: Money }
    >
  | DomainEvent<'OrderCancelled', { reason: string }>;

export type OrderState = { status: 'none' } | { status: 'placed' | 'cancelled'; repId: string; customerId: string };

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: { status: 'none' },
  decide: (command, state) => {
    if (command.kind === 'place') {
      if (state.status !== 'none') throw new ConflictError('this order id is already used');
      const { kind: _kind, ...order } = command;
      const lines = order.lines.map((line) => ({
        ...line,
        netAmount: netAmount(line.quantity, line.unitPrice, line.discount),
      }));
      return [{ type: 'OrderPlaced', data: { ...order, lines, netAmount: sumMoney(lines.map((l) => l.netAmount)) } }];
    }
    if (state.status === 'none') throw new NotFoundError('no such order');
    if (state.status === 'cancelled') throw new ConflictError('the order is already cancelled');
    return [{ type: 'OrderCancelled', data: { reason: command.reason } }];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'OrderPlaced':
        return { status: 'placed', repId: event.data.repId, customerId: event.data.customerId };
      case 'OrderCancelled':
        return state.status === 'none' ? state : { ...state, status: 'cancelled' };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};
