import type { CompanySettingsEvent } from '@salesledger/domain/company/company-settings.decider';
import type { CustomerEvent } from '@salesledger/domain/customers/customer.decider';
import type { DomainEvent } from '@salesledger/domain/decider';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { OrderEvent } from '@salesledger/domain/orders/order.decider';
import type { TeamEvent } from '@salesledger/domain/organisation/organisation.deciders';
import type { RepEvent } from '@salesledger/domain/organisation/rep.decider';
import type { WeeklyPaperEvent } from '@salesledger/domain/plans/weekly-plan.decider';
import type { RequestEvent } from '@salesledger/domain/requests/customer-request.decider';
import type { ReviewData } from '@salesledger/domain/reviews/review.decider';
import type { ScorecardTemplateEvent } from '@salesledger/domain/scorecards/scorecard-template.decider';
import type { TargetEvent } from '@salesledger/domain/targets/target.decider';
import type { VisitEvent } from '@salesledger/domain/visits/visit.decider';

/** The fact families the sales read model keeps, each a union of the domain's own event types. */
export type OrganisationEvent = TeamEvent | RepEvent;
export type PaperworkEvent = WeeklyPaperEvent | RequestEvent | DomainEvent<'ReviewRecorded', ReviewData>;
export type CalendarEvent = CompanySettingsEvent | ScorecardTemplateEvent;

export type SalesEvent =
  OrganisationEvent | CustomerEvent | OrderEvent | VisitEvent | TargetEvent | PaperworkEvent | CalendarEvent;

/** A stored event of a family: its domain type and data, with the log's stream, position and metadata. */
export type Recorded<E extends DomainEvent> = RecordedEvent & E;

// A Record over the union's types: adding an event to a family without listing it here fails to compile.
const SALES_TYPES: Record<SalesEvent['type'], true> = {
  TeamCreated: true,
  TeamManagerAssigned: true,
  RepHired: true,
  RepMovedTeam: true,
  RepLeft: true,
  CustomerRegistered: true,
  CustomerReassigned: true,
  KeyAccountFlagChanged: true,
  CustomerMarkedLost: true,
  CustomerLapsed: true,
  OrderPlaced: true,
  OrderAmended: true,
  OrderCancelled: true,
  VisitLogged: true,
  FollowUpCompleted: true,
  FollowUpMissed: true,
  TargetSet: true,
  TargetRevised: true,
  TargetProposed: true,
  TargetProposalApproved: true,
  TargetProposalRejected: true,
  WeeklyPlanSubmitted: true,
  WeeklyReportSubmitted: true,
  WeeklyPlanOverdue: true,
  WeeklyReportOverdue: true,
  CustomerRequestReceived: true,
  CustomerRequestAnswered: true,
  CustomerRequestSlaMissed: true,
  ReviewRecorded: true,
  TargetApprovalPolicySet: true,
  HolidaysSet: true,
  PapersDueSet: true,
  AlertSettingsSet: true,
  ScorecardTemplateSet: true,
};

/** The log also holds users, tokens, alerts and plans: the sales read model passes over them. */
export const isSalesEvent = (event: RecordedEvent): event is Recorded<SalesEvent> =>
  Object.hasOwn(SALES_TYPES, event.type);

export const idOf = (event: RecordedEvent, prefix: string): string => event.streamId.slice(prefix.length);
