import type { alertDecider } from '@salesledger/domain/alerts/alert.decider';
import type { companyPlanDecider } from '@salesledger/domain/company/company-plan.decider';
import type { companySettingsDecider } from '@salesledger/domain/company/company-settings.decider';
import type { customerDecider } from '@salesledger/domain/customers/customer.decider';
import type { Decider, DomainEvent } from '@salesledger/domain/decider';
import type { orderDecider } from '@salesledger/domain/orders/order.decider';
import type { teamDecider, tokenDecider, userDecider } from '@salesledger/domain/organisation/organisation.deciders';
import type { repDecider } from '@salesledger/domain/organisation/rep.decider';
import type { weeklyPapersDecider } from '@salesledger/domain/plans/weekly-plan.decider';
import type { customerRequestDecider } from '@salesledger/domain/requests/customer-request.decider';
import type { reviewDecider } from '@salesledger/domain/reviews/review.decider';
import type { scorecardTemplateDecider } from '@salesledger/domain/scorecards/scorecard-template.decider';
import type { targetDecider } from '@salesledger/domain/targets/target.decider';
import type { visitDecider } from '@salesledger/domain/visits/visit.decider';

type EventOf<D> = D extends Decider<infer _Command, infer Event extends DomainEvent, infer _State> ? Event : never;

/**
 * Every event the deciders emit. A decider added to the domain must be added here too; the spec
 * scans the domain's sources, so forgetting it fails the tests.
 */
export type SalesledgerDomainEvent = EventOf<
  | typeof userDecider
  | typeof teamDecider
  | typeof tokenDecider
  | typeof repDecider
  | typeof customerDecider
  | typeof customerRequestDecider
  | typeof orderDecider
  | typeof visitDecider
  | typeof targetDecider
  | typeof companyPlanDecider
  | typeof weeklyPapersDecider
  | typeof reviewDecider
  | typeof companySettingsDecider
  | typeof scorecardTemplateDecider
  | typeof alertDecider
>;

/** Markers the demo seeding appends around the history it generates (libs/demo). */
type DemoEventType = 'DemoSeedingStarted' | 'DemoSeedingFinished';

/** Every event type the store can hold in this version: each has a schema, checked by the compiler. */
export type PublishedEventType = SalesledgerDomainEvent['type'] | DemoEventType;
