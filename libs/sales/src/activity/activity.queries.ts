import { QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@salesledger/domain/errors';
import type { Principal, ReadScope } from '@salesledger/domain/organisation/access.policy';
import { BrowseQueries, type OrderSummary, type VisitView } from '@salesledger/read-model/browse-queries';
import type { Page, PageRequest } from '@salesledger/read-model/keyset-page';
import { AppQuery, AppQueryHandler, type Access } from '../bus/application-bus';
import { listWithin } from '../shared/reach';

export interface ActivityFilter {
  readonly repId?: string;
  readonly customerId?: string;
  readonly from?: string;
  readonly to?: string;
}

type OrderDetail = NonNullable<Awaited<ReturnType<BrowseQueries['order']>>>;

export class ListOrders extends AppQuery<Page<OrderSummary>> {
  constructor(
    principal: Principal,
    readonly filter: ActivityFilter,
    readonly page: PageRequest,
  ) {
    super(principal);
  }
}

export class GetOrder extends AppQuery<OrderDetail> {
  constructor(
    principal: Principal,
    readonly orderId: string,
  ) {
    super(principal);
  }
}

export class ListVisits extends AppQuery<Page<VisitView>> {
  constructor(
    principal: Principal,
    readonly filter: ActivityFilter,
    readonly page: PageRequest,
  ) {
    super(principal);
  }
}

@QueryHandler(ListOrders)
export class ListOrdersHandler extends AppQueryHandler<ListOrders> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access {
    return { scoped: 'orders' };
  }

  handle({ filter, page }: ListOrders, reach: ReadScope) {
    return listWithin(reach, (within) => this.browse.orders(within, filter, page));
  }
}

@QueryHandler(GetOrder)
export class GetOrderHandler extends AppQueryHandler<GetOrder> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access<OrderDetail> {
    return { resource: 'orders', ownerOf: (order) => ({ repId: order.repId, teamId: order.teamId ?? undefined }) };
  }

  async handle({ orderId }: GetOrder) {
    const order = await this.browse.order(orderId);
    if (!order) throw new NotFoundError(`order ${orderId} does not exist`);
    return order;
  }
}

@QueryHandler(ListVisits)
export class ListVisitsHandler extends AppQueryHandler<ListVisits> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access {
    return { scoped: 'visits' };
  }

  handle({ filter, page }: ListVisits, reach: ReadScope) {
    return listWithin(reach, (within) => this.browse.visits(within, filter, page));
  }
}

export const ACTIVITY_QUERY_HANDLERS = [ListOrdersHandler, GetOrderHandler, ListVisitsHandler];
