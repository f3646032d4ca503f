import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import {
  customerDecider,
  type CustomerCommand,
  type CustomerData,
} from '@salesledger/domain/customers/customer.decider';
import { EventStore } from '@salesledger/domain/event-store.port';
import { assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { registered } from '@salesledger/domain/registration';
import { streams } from '@salesledger/domain/streams';
import { commandContext } from './command-context';
import { loadRegistered } from './load';
import { OrganisationService } from './organisation.service';

@Injectable()
export class CustomersService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly organisation: OrganisationService,
  ) {}

  async register(principal: Principal, customer: CustomerData) {
    return (await this.registerOutcome(principal, customer)).view;
  }

  /** `replayed`: this same registration was already recorded (a re-import), so nothing was appended. */
  async registerOutcome(principal: Principal, customer: CustomerData) {
    assertMayWrite(principal, 'customers', await this.organisation.repOwnership(customer.repId));
    const context = commandContext(principal, customer.id, this.clock, true);
    const command: CustomerCommand = { kind: 'register', ...customer };
    const { state, replayed } = await handleCommand(
      this.store,
      streams.customer(customer.id),
      customerDecider,
      command,
      context,
    );
    return { view: registered(state), replayed };
  }

  /** Both the current and the new owner must be within the principal's reach. */
  async reassign(principal: Principal, id: string, repId: string, reason: string, commandId: string) {
    const customer = await this.get(id);
    assertMayWrite(principal, 'customers', await this.organisation.repOwnership(customer.repId));
    assertMayWrite(principal, 'customers', await this.organisation.repOwnership(repId));
    return this.handle(principal, id, { kind: 'reassign', repId, reason }, commandId);
  }

  async flagKeyAccount(principal: Principal, id: string, keyAccount: boolean, commandId: string) {
    assertMayWrite(principal, 'customers', await this.organisation.repOwnership((await this.get(id)).repId));
    return this.handle(principal, id, { kind: 'flag-key-account', keyAccount }, commandId);
  }

  async markLost(principal: Principal, id: string, reason: string, lostOn: string) {
    assertMayWrite(principal, 'customers', await this.organisation.repOwnership((await this.get(id)).repId));
    return this.handle(principal, id, { kind: 'mark-lost', reason, lostOn }, `${id}/loss`);
  }

  get(id: string) {
    return loadRegistered(this.store, streams.customer(id), customerDecider, `customer ${id}`);
  }

  private async handle(principal: Principal, id: string, command: CustomerCommand, commandId: string) {
    const context = commandContext(principal, commandId, this.clock, command.kind === 'register');
    return registered((await handleCommand(this.store, streams.customer(id), customerDecider, command, context)).state);
  }
}
