import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '@salesledger/domain/clock.port';
import { handleCommand } from '@salesledger/domain/command-handler';
import { EventStore } from '@salesledger/domain/event-store.port';
import type { Principal } from '@salesledger/domain/organisation/access.policy';
import { weekStart } from '@salesledger/domain/periods';
import { weeklyPapersDecider, type Paper } from '@salesledger/domain/plans/weekly-plan.decider';
import { registered } from '@salesledger/domain/registration';
import {
  customerRequestDecider,
  DEFAULT_SLA_HOURS,
  type RequestEvent,
  type RequestState,
} from '@salesledger/domain/requests/customer-request.decider';
import { reviewDecider, type ReviewData } from '@salesledger/domain/reviews/review.decider';
import { assertSupportedYear } from '@salesledger/domain/scorecards/grains';
import { streams } from '@salesledger/domain/streams';
import { AppCommand, AppCommandHandler, type Access } from '../bus/application-bus';
import { commandContext } from '../shared/command-context';
import { Lookups } from '../shared/lookups';

type PaperResult = { repId: string; week: string; dueAt?: string; submittedAt?: string; late?: boolean };
type Request = ReturnType<typeof registered<Exclude<RequestState, { registered: false }>>>;
export type RequestInput = { id: string; customerId: string; subject: string; receivedAt: string; slaHours?: number };

export class SubmitPaper extends AppCommand<PaperResult> {
  constructor(
    principal: Principal,
    readonly paper: Paper,
    readonly repId: string,
    readonly week: string,
    readonly content: string,
  ) {
    super(principal);
  }
}

export class RecordReview extends AppCommand<ReviewData> {
  constructor(
    principal: Principal,
    readonly review: ReviewData,
  ) {
    super(principal);
  }
}

export class ReceiveRequest extends AppCommand<Request> {
  constructor(
    principal: Principal,
    readonly request: RequestInput,
  ) {
    super(principal);
  }
}

export class AnswerRequest extends AppCommand<Request> {
  constructor(
    principal: Principal,
    readonly requestId: string,
    readonly answeredAt: string,
  ) {
    super(principal);
  }
}

/** Submission time is the server's clock: lateness is not the client's to claim. */
@CommandHandler(SubmitPaper)
export class SubmitPaperHandler extends AppCommandHandler<SubmitPaper> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ repId, week }: SubmitPaper): Promise<Access> {
    assertSupportedYear(weekStart(week).weekYear, 'week');
    return { resource: 'plans', owner: await this.lookups.repOwnership(repId) };
  }

  async handle({ principal, paper, repId, week, content }: SubmitPaper) {
    const request = { paper, repId, week, content };
    const context = { ...commandContext(principal, `${paper}/${repId}/${week}`, this.clock), request };
    const due = (await this.lookups.settings()).papersDue[paper];
    const command = { ...request, submittedAt: context.now.toISOString(), due };
    const stream = streams.weeklyPapers(repId, week);
    const { state } = await handleCommand(this.store, stream, weeklyPapersDecider, command, context);
    return { repId, week, ...state[paper] };
  }
}

@CommandHandler(RecordReview)
export class RecordReviewHandler extends AppCommandHandler<RecordReview> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access({ review }: RecordReview): Promise<Access> {
    assertSupportedYear(Number(review.period.slice(0, 4)), 'period');
    return { resource: 'reviews', owner: await this.lookups.repOwnership(review.repId) };
  }

  async handle({ principal, review }: RecordReview) {
    const context = commandContext(principal, review.id, this.clock, true);
    return registered(
      (await handleCommand(this.store, streams.review(review.id), reviewDecider, review, context)).state,
    );
  }
}

/** A request is the customer's owner's to answer. */
@CommandHandler(ReceiveRequest)
export class ReceiveRequestHandler extends AppCommandHandler<ReceiveRequest> {
  /** The owner access() read, so handle() need not read the customer again. */
  private readonly owners = new WeakMap<ReceiveRequest, string>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  async access(message: ReceiveRequest): Promise<Access> {
    const customer = await this.lookups.customer(message.request.customerId);
    this.owners.set(message, customer.repId);
    return { resource: 'requests', owner: await this.lookups.repOwnership(customer.repId) };
  }

  async handle(message: ReceiveRequest) {
    const { principal, request } = message;
    const repId = this.owners.get(message) as string;
    const command = { kind: 'receive' as const, ...request, repId, slaHours: request.slaHours ?? DEFAULT_SLA_HOURS };
    const context = commandContext(principal, request.id, this.clock, true);
    const stream = streams.customerRequest(request.id);
    return registered((await handleCommand(this.store, stream, customerRequestDecider, command, context)).state);
  }
}

@CommandHandler(AnswerRequest)
export class AnswerRequestHandler extends AppCommandHandler<AnswerRequest> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {
    super();
  }

  /** An unknown request is the decider's 404. */
  async access({ requestId }: AnswerRequest): Promise<Access> {
    const [received] = await this.store.readStream<RequestEvent>(streams.customerRequest(requestId));
    if (received?.type !== 'CustomerRequestReceived') return 'none';
    return { resource: 'requests', owner: await this.lookups.repOwnership(received.data.repId) };
  }

  async handle({ principal, requestId, answeredAt }: AnswerRequest) {
    const context = commandContext(principal, `${requestId}/answer`, this.clock);
    const command = { kind: 'answer' as const, answeredAt };
    const stream = streams.customerRequest(requestId);
    return registered((await handleCommand(this.store, stream, customerRequestDecider, command, context)).state);
  }
}

export const REP_WORK_COMMAND_HANDLERS = [
  SubmitPaperHandler,
  RecordReviewHandler,
  ReceiveRequestHandler,
  AnswerRequestHandler,
];
