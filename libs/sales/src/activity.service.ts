import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import { toMoney } from '@salesledger/domain/money';
import { assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { orderDecider, type OrderLine } from '@salesledger/domain/orders/order.decider';
import { registered } from '@salesledger/domain/registration';
import { streams } from '@salesledger/domain/streams';
import { visitDecider, type VisitData } from '@salesledger/domain/visits/visit.decider';
import { commandContext } from './command-context';
import { CustomersService } from './customers.service';
import { load } from './load';
import { OrganisationService } from './organisation.service';

export interface PlaceOrderInput {
  id: string;
  repId: string;
  customerId: string;
  placedAt: string;
  lines: { sku: string; category: string; quantity: number; unitPrice: number; discount?: number }[];
}

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
    assertMayWrite(principal, 'visits', await this.organisation.repOwnership(visit.repId));
    await this.requireCustomer(visit.customerId);
    const context = commandContext(principal, visit.id, this.clock, true);
    return registered((await handleCommand(this.store, streams.visit(visit.id), visitDecider, visit, context)).state);
  }

  async placeOrder(principal: Principal, order: PlaceOrderInput) {
    assertMayWrite(principal, 'orders', await this.organisation.repOwnership(order.repId));
    await this.requireCustomer(order.customerId);
    const lines: OrderLine[] = order.lines.map((line, i) => ({
      ...line,
      unitPrice: toMoney(line.unitPrice, `lines[${i}].unitPrice`),
      discount: line.discount ?? 0,
    }));
    const command = { kind: 'place' as const, ...order, lines };
    await handleCommand(
      this.store,
      streams.order(order.id),
      orderDecider,
      command,
      commandContext(principal, order.id, this.clock, true),
    );
    return this.order(order.id);
  }

  async cancelOrder(principal: Principal, orderId: string, reason: string) {
    const placed = await load(this.store, streams.order(orderId), orderDecider);
    if (placed.status !== 'none')
      assertMayWrite(principal, 'orders', await this.organisation.repOwnership(placed.repId));
    const context = commandContext(principal, `${orderId}/cancellation`, this.clock);
    await handleCommand(this.store, streams.order(orderId), orderDecider, { kind: 'cancel', reason }, context);
    return this.order(orderId);
  }

  private async order(orderId: string) {
    const [placed, cancelled] = await this.store.readStream(streams.order(orderId));
    return {
      ...placed?.data,
      status: cancelled ? 'cancelled' : 'placed',
      ...(cancelled && { cancellation: cancelled.data }),
    };
  }

  private async requireCustomer(customerId: string): Promise<void> {
    await this.customers.get(customerId);
  }
}
