import type { VisitEvent } from '@salesledger/domain/visits/visit.decider';
import { dayOf } from '@salesledger/domain/scorecards/grains';
import type { Recorded } from './scorecard-events';
import { touch, type Batch } from './scorecard-rows';

/** Visits; follow-ups feed alerts, not scorecards. */
export function evolveVisits(batch: Batch, event: Recorded<VisitEvent>): void {
  switch (event.type) {
    case 'VisitLogged': {
      const { id, repId, customerId, occurredAt, kind, outcome } = event.data;
      batch.visits.push({
        visit_id: id,
        rep_id: repId,
        customer_id: customerId,
        occurred_at: occurredAt,
        occurred_on: dayOf(occurredAt),
        kind,
        outcome: outcome ?? null,
        recorded_at: event.metadata.recordedAt,
        position: event.position,
      });
      touch(batch, repId, dayOf(occurredAt));
      return;
    }
    case 'FollowUpCompleted':
    case 'FollowUpMissed':
      return;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
