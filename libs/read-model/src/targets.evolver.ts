import type { TargetEvent } from '@salesledger/domain/targets/target.decider';
import type { CalendarEvent, Recorded } from './scorecard-events';
import type { Batch } from './scorecard-rows';

/** Every change of a monthly target that took effect; proposals take effect only once approved. */
export function evolveTargets(batch: Batch, event: Recorded<TargetEvent>): void {
  switch (event.type) {
    case 'TargetSet':
    case 'TargetRevised':
    case 'TargetProposalApproved': {
      const { repId, month, amount, reason, categories } = event.data;
      const key = `${repId}|${month}`;
      const version = (batch.targetVersions.get(key) ?? 0) + 1;
      batch.targetVersions.set(key, version);
      const approved = event.type === 'TargetProposalApproved';
      const actor = event.metadata.actor.userId;
      batch.targetChanges.push({
        rep_id: repId,
        month,
        version,
        amount,
        previous_amount: event.type === 'TargetSet' ? null : event.data.previousAmount,
        categories: categories ?? null,
        reason,
        actor_user_id: approved ? event.data.proposedBy : actor,
        approver_user_id: approved ? actor : null,
        recorded_at: event.metadata.recordedAt,
        position: event.position,
      });
      batch.targetMonths.set(key, { repId, month });
      return;
    }
    case 'TargetProposed':
    case 'TargetProposalRejected':
      return;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** The company calendar and the scorecard template: a change of either re-derives every scorecard. */
export function evolveCalendar(batch: Batch, event: Recorded<CalendarEvent>): void {
  switch (event.type) {
    case 'HolidaysSet':
      batch.holidays = { dates: event.data.dates, recordedAt: event.metadata.recordedAt };
      return;
    case 'ScorecardTemplateSet':
      batch.templates.push({
        version: event.data.version,
        weights: event.data.weights,
        actor_user_id: event.metadata.actor.userId,
        recorded_at: event.metadata.recordedAt,
        position: event.position,
      });
      return;
    case 'TargetApprovalPolicySet':
    case 'PapersDueSet':
    case 'AlertSettingsSet':
      return;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
