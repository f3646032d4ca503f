import { sameJson } from '../canonical-json';
import type { Decider, DomainEvent } from '../decider';
import { ConflictError, NotFoundError } from '../errors';
import { netAmount, sumMoney, type Money } from '../money';

export type OrderLine = { sku: string; category: string; quantity: number; unitPrice: Money; discount: number };
export type PricedLine = OrderLine & { netAmount: Money };

export type OrderCommand =
  | { kind: 'place'; id: string; repId: string; customerId: string; placedAt: string; lines: OrderLine[] }
  | { kind: 'amend'; lines: OrderLine[]; reason: string }
  | { kind: 'cancel'; reason: string };

export type OrderEvent =
  | DomainEvent<
      'OrderPlaced',
      { id: string; repId: string; customerId: string; placedAt: string; lines: PricedLine[]; netAmount: Money }
    >
  | DomainEvent<'OrderAmended', { lines: PricedLine[]; netAmount: Money; previousNetAmount: Money; reason: string }>
  | DomainEvent<'OrderCancelled', { reason: string }>;

type Placed = Extract<OrderEvent, { type: 'OrderPlaced' }>['data'];

/** The order as it stands: its current lines and total, how often they changed, how it ended. */
export type OrderState =
  | { status: 'none' }
  | (Placed & { status: 'placed' | 'cancelled'; amendments: number; cancellation?: { reason: string } });

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: { status: 'none' },
  decide: (command, state) => {
    if (command.kind === 'place') {
      if (state.status !== 'none') throw new ConflictError('this order id is already used');
      const { kind: _kind, ...order } = command;
      return [{ type: 'OrderPlaced', data: { ...order, ...priced(order.lines) } }];
    }
    if (state.status === 'none') throw new NotFoundError('no such order');
    if (state.status === 'cancelled') throw new ConflictError('the order is already cancelled');
    if (command.kind === 'cancel') return [{ type: 'OrderCancelled', data: { reason: command.reason } }];
    const amended = priced(command.lines);
    if (sameJson(amended.lines, state.lines)) return [];
    return [{ type: 'OrderAmended', data: { ...amended, previousNetAmount: state.netAmount, reason: command.reason } }];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'OrderPlaced':
        return { ...event.data, status: 'placed', amendments: 0 };
      case 'OrderAmended':
        if (state.status === 'none') return state;
        return { ...state, lines: event.data.lines, netAmount: event.data.netAmount, amendments: state.amendments + 1 };
      case 'OrderCancelled':
        return state.status === 'none'
          ? state
          : { ...state, status: 'cancelled', cancellation: { reason: event.data.reason } };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};

/** Net per line (quantity x unit price x (1 - discount), to the cent) and their exact sum. */
function priced(lines: OrderLine[]): { lines: PricedLine[]; netAmount: Money } {
  const pricedLines = lines.map((line) => ({
    ...line,
    netAmount: netAmount(line.quantity, line.unitPrice, line.discount),
  }));
  return { lines: pricedLines, netAmount: sumMoney(pricedLines.map((l) => l.netAmount)) };
}
