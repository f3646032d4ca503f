import { Injectable } from '@nestjs/common';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import { assertMayWrite, type Principal } from '@salesledger/domain/organisation/access.policy';
import { weeklyPapersDecider, type Paper } from '@salesledger/domain/plans/weekly-plan.decider';
import { registered } from '@salesledger/domain/registration';
import { customerRequestDecider, DEFAULT_SLA_HOURS } from '@salesledger/domain/requests/customer-request.decider';
import { reviewDecider, type ReviewData } from '@salesledger/domain/reviews/review.decider';
import { streams } from '@salesledger/domain/streams';
import { commandContext } from './command-context';
import { CompanySettingsService } from './company-settings.service';
import { CustomersService } from './customers.service';
import { OrganisationService } from './organisation.service';

/** The rep's obligations around the selling: weekly papers, reviews, answering customer requests. */
@Injectable()
export class RepWorkService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly organisation: OrganisationService,
    private readonly customers: CustomersService,
    private readonly settings: CompanySettingsService,
  ) {}

  /** Submission time is the server's clock: lateness is not the client's to claim. */
  async submitPaper(principal: Principal, paper: Paper, repId: string, week: string, content: string) {
    assertMayWrite(principal, 'plans', await this.organisation.repOwnership(repId));
    const request = { paper, repId, week, content };
    const context = { ...commandContext(principal, `${paper}/${repId}/${week}`, this.clock), request };
    const due = (await this.settings.current()).papersDue[paper];
    const command = { ...request, submittedAt: context.now.toISOString(), due };
    const { state } = await handleCommand(
      this.store,
      streams.weeklyPapers(repId, week),
      weeklyPapersDecider,
      command,
      context,
    );
    return { repId, week, ...state[paper] };
  }

  async recordReview(principal: Principal, review: ReviewData) {
    assertMayWrite(principal, 'reviews', await this.organisation.repOwnership(review.repId));
    const context = commandContext(principal, review.id, this.clock, true);
    return registered(
      (await handleCommand(this.store, streams.review(review.id), reviewDecider, review, context)).state,
    );
  }

  /** A request is the customer's owner's to answer. */
  async receiveRequest(
    principal: Principal,
    request: { id: string; customerId: string; subject: string; receivedAt: string; slaHours?: number },
  ) {
    const customer = await this.customers.get(request.customerId);
    assertMayWrite(principal, 'requests', await this.organisation.repOwnership(customer.repId));
    const command = {
      kind: 'receive' as const,
      ...request,
      repId: customer.repId,
      slaHours: request.slaHours ?? DEFAULT_SLA_HOURS,
    };
    const context = commandContext(principal, request.id, this.clock, true);
    return registered(
      (await handleCommand(this.store, streams.customerRequest(request.id), customerRequestDecider, command, context))
        .state,
    );
  }

  async answerRequest(principal: Principal, id: string, answeredAt: string) {
    const stream = streams.customerRequest(id);
    const [received] = await this.store.readStream(stream);
    if (received)
      assertMayWrite(principal, 'requests', await this.organisation.repOwnership(String(received.data.repId)));
    const context = commandContext(principal, `${id}/answer`, this.clock);
    return registered(
      (await handleCommand(this.store, stream, customerRequestDecider, { kind: 'answer', answeredAt }, context)).state,
    );
  }
}
