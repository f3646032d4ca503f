import type { OrderEvent, PricedLine } from '@salesledger/domain/orders/order.decider';
import { dayOf } from '@salesledger/domain/scorecards/grains';
import { idOf, type Recorded } from './scorecard-events';
import { touch, type Batch, type OrderLineRow, type OrderVersionRow } from './scorecard-rows';

/**
 * Orders as versions: each event supersedes the order's current version with a new one (amended
 * amount, or cancelled), so figures as of any instant can be read back. The lines are the current ones.
 */
export function evolveOrders(batch: Batch, event: Recorded<OrderEvent>): void {
  const orderId = idOf(event, 'order-');
  const previous = batch.orders.get(orderId);
  let next: Omit<OrderVersionRow, 'recorded_at' | 'superseded_at' | 'position'>;
  switch (event.type) {
    case 'OrderPlaced': {
      const { repId, customerId, placedAt, netAmount } = event.data;
      next = {
        order_id: orderId,
        version: 1,
        rep_id: repId,
        customer_id: customerId,
        placed_at: placedAt,
        placed_on: dayOf(placedAt),
        net_amount: netAmount,
        cancelled: false,
      };
      break;
    }
    case 'OrderAmended':
      next = { ...held(previous, event), version: held(previous, event).version + 1, net_amount: event.data.netAmount };
      break;
    case 'OrderCancelled':
      next = { ...held(previous, event), version: held(previous, event).version + 1, cancelled: true };
      break;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
  if (previous?.superseded_at === null) previous.superseded_at = event.metadata.recordedAt;
  const version = { ...next, recorded_at: event.metadata.recordedAt, superseded_at: null, position: event.position };
  batch.orderVersions.push(version);
  batch.orders.set(orderId, version);
  touch(batch, version.rep_id, version.placed_on);
  if (event.type !== 'OrderAmended') batch.orderCustomers.add(version.customer_id);
  if (event.type !== 'OrderCancelled')
    batch.orderLines.set(orderId, linesOf(orderId, event.data.lines, event.position));
}

function held(previous: OrderVersionRow | undefined, event: Recorded<OrderEvent>): OrderVersionRow {
  if (!previous) throw new Error(`${event.type} for an order the read model does not hold`);
  return previous;
}

const linesOf = (orderId: string, lines: readonly PricedLine[], position: number): OrderLineRow[] =>
  lines.map((line, i) => ({
    order_id: orderId,
    line_no: i + 1,
    sku: line.sku,
    category: line.category,
    quantity: line.quantity,
    unit_price: line.unitPrice,
    discount: line.discount,
    net_amount: line.netAmount,
    position,
  }));
