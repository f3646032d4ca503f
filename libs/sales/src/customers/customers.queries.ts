import { QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@salesledger/domain/errors';
import type { Principal, ReadScope } from '@salesledger/domain/organisation/access.policy';
import { BrowseQueries, type CustomerView } from '@salesledger/read-model/browse-queries';
import type { Page, PageRequest } from '@salesledger/read-model/keyset-page';
import { AppQuery, AppQueryHandler, type Access } from '../bus/application-bus';
import { listWithin } from '../shared/reach';

export interface CustomerFilter {
  readonly repId?: string;
  readonly teamId?: string;
  readonly status?: 'prospect' | 'customer' | 'lost';
}

export class ListCustomers extends AppQuery<Page<CustomerView>> {
  constructor(
    principal: Principal,
    readonly filter: CustomerFilter,
    readonly page: PageRequest,
  ) {
    super(principal);
  }
}

export class GetCustomer extends AppQuery<CustomerView> {
  constructor(
    principal: Principal,
    readonly customerId: string,
  ) {
    super(principal);
  }
}

@QueryHandler(ListCustomers)
export class ListCustomersHandler extends AppQueryHandler<ListCustomers> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access {
    return { scoped: 'customers' };
  }

  handle({ filter, page }: ListCustomers, reach: ReadScope) {
    return listWithin(reach, (within) => this.browse.customers(within, filter, page));
  }
}

@QueryHandler(GetCustomer)
export class GetCustomerHandler extends AppQueryHandler<GetCustomer> {
  constructor(private readonly browse: BrowseQueries) {
    super();
  }

  access(): Access<CustomerView> {
    return { resource: 'customers', ownerOf: (c) => ({ repId: c.repId, teamId: c.teamId ?? undefined }) };
  }

  async handle({ customerId }: GetCustomer) {
    const customer = await this.browse.customer(customerId);
    if (!customer) throw new NotFoundError(`customer ${customerId} does not exist`);
    return customer;
  }
}

export const CUSTOMER_QUERY_HANDLERS = [ListCustomersHandler, GetCustomerHandler];
