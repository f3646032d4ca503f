import { Injectable } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import {
  customerDecider,
  type CustomerCommand,
  type CustomerData,
  type CustomerState,
} from '@salesledger/domain/customers/customer.decider';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { registered } from '@salesledger/domain/registration';
import { streams } from '@salesledger/domain/streams';
import { AppCommand, AppCommandHandler, type Access, type Outcome } from '../bus/application-bus';
import { commandContext } from '../shared/command-context';
import { Lookups } from '../shared/lookups';

type Customer = ReturnType<typeof registered<Exclude<CustomerState, { registered: false }>>>;

export class RegisterCustomer extends AppCommand<Outcome<Customer>> {
  constructor(
    principal: Principal,
    readonly customer: CustomerData,
  ) {
    super(principal);
  }
}

export class ReassignCustomer extends AppCommand<Customer> {
  constructor(
    principal: Principal,
    readonly customerId: string,
    readonly repId: string,
    readonly reason: string,
    readonly commandId: string,
  ) {
    super(principal);
  }
}

export class FlagKeyAccount extends AppCommand<Customer> {
  constructor(
    principal: Principal,
    readonly customerId: string,
    readonly keyAccount: boolean,
    readonly commandId: string,
  ) {
    super(principal);
  }
}

export class MarkCustomerLost extends AppCommand<Customer> {
  constructor(
    principal: Principal,
    readonly customerId: string,
    readonly reason: string,
    readonly lostOn: string,
  ) {
    super(principal);
  }
}

/** Injectable so that the handlers extending it get its constructor's dependencies. */
@Injectable()
abstract class CustomerCommandHandler<
  C extends AppCommand<Customer> & { customerId: string },
> extends AppCommandHandler<C, Customer> {
  constructor(
    protected readonly store: EventStore,
    protected readonly clock: Clock,
    protected readonly lookups: Lookups,
  ) {
    super();
  }

  /** The customer's owning rep must be within reach. */
  async access({ customerId }: C): Promise<Access> {
    const customer = await this.lookups.customer(customerId);
    return { resource: 'customers', owner: await this.lookups.repOwnership(customer.repId) };
  }

  protected abstract command(message: C): { command: CustomerCommand; commandId: string };

  async handle(message: C) {
    const { command, commandId } = this.command(message);
    const context = commandContext(message.principal, commandId, this.clock);
    const stream = streams.customer(message.customerId);
    return registered((await handleCommand(this.store, stream, customerDecider, command, context)).state) as Customer;
  }
}

@CommandHandler(RegisterCustomer)
export class RegisterCustomerHandler extends AppCommandHandler<RegisterCustomer> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ customer }: RegisterCustomer): Promise<Access> {
    return { resource: 'customers', owner: await this.lookups.repOwnership(customer.repId) };
  }

  async handle({ principal, customer }: RegisterCustomer) {
    const context = commandContext(principal, customer.id, this.clock, true);
    const command = { kind: 'register' as const, ...customer };
    const stream = streams.customer(customer.id);
    const { state, replayed } = await handleCommand(this.store, stream, customerDecider, command, context);
    return { view: registered(state) as Customer, replayed };
  }
}

/** Both the current and the new owner must be within the principal's reach. */
@CommandHandler(ReassignCustomer)
export class ReassignCustomerHandler extends CustomerCommandHandler<ReassignCustomer> {
  override async access(message: ReassignCustomer): Promise<Access> {
    const current = (await super.access(message)) as { resource: 'customers'; owner: object };
    return [current, { resource: 'customers', owner: await this.lookups.repOwnership(message.repId) }];
  }

  command({ repId, reason, commandId }: ReassignCustomer) {
    return { command: { kind: 'reassign' as const, repId, reason }, commandId };
  }
}

@CommandHandler(FlagKeyAccount)
export class FlagKeyAccountHandler extends CustomerCommandHandler<FlagKeyAccount> {
  command({ keyAccount, commandId }: FlagKeyAccount) {
    return { command: { kind: 'flag-key-account' as const, keyAccount }, commandId };
  }
}

@CommandHandler(MarkCustomerLost)
export class MarkCustomerLostHandler extends CustomerCommandHandler<MarkCustomerLost> {
  command({ customerId, reason, lostOn }: MarkCustomerLost) {
    return { command: { kind: 'mark-lost' as const, reason, lostOn }, commandId: `${customerId}/loss` };
  }
}

export const CUSTOMER_COMMAND_HANDLERS = [
  RegisterCustomerHandler,
  ReassignCustomerHandler,
  FlagKeyAccountHandler,
  MarkCustomerLostHandler,
];
