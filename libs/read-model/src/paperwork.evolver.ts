import type { WeeklyPaperEvent } from '@salesledger/domain/plans/weekly-plan.decider';
import { dayOf } from '@salesledger/domain/scorecards/grains';
import { idOf, type PaperworkEvent, type Recorded } from './scorecard-events';
import { touch, type Batch, type PaperRow, type RequestRow } from './scorecard-rows';

/** Weekly plans and reports, customer requests and manager reviews: the discipline figures. */
export function evolvePaperwork(batch: Batch, event: Recorded<PaperworkEvent>): void {
  const { position } = event;
  const at = event.metadata.recordedAt;
  switch (event.type) {
    case 'WeeklyPlanSubmitted':
    case 'WeeklyReportSubmitted': {
      const { submittedAt, late } = event.data;
      const paper = paperOf(batch, event);
      Object.assign(paper, { submitted_at: submittedAt, late, submitted_recorded_at: at, position });
      return touch(batch, paper.rep_id, paper.due_on);
    }
    case 'WeeklyPlanOverdue':
    case 'WeeklyReportOverdue': {
      const paper = Object.assign(paperOf(batch, event), { overdue_recorded_at: at, position });
      return touch(batch, paper.rep_id, paper.due_on);
    }
    case 'CustomerRequestReceived': {
      const { id, repId, customerId, receivedAt, dueAt } = event.data;
      batch.requests.set(id, {
        request_id: id,
        rep_id: repId,
        customer_id: customerId,
        received_at: receivedAt,
        received_on: dayOf(receivedAt),
        due_at: dueAt,
        recorded_at: at,
        answered_at: null,
        answered_recorded_at: null,
        response_minutes: null,
        within_sla: null,
        sla_missed_recorded_at: null,
        position,
      });
      return touch(batch, repId, dayOf(receivedAt));
    }
    case 'CustomerRequestAnswered': {
      const { answeredAt, responseMinutes, withinSla } = event.data;
      const request = Object.assign(requestOf(batch, event), {
        answered_at: answeredAt,
        answered_recorded_at: at,
        response_minutes: responseMinutes,
        within_sla: withinSla,
        position,
      });
      return touch(batch, request.rep_id, request.received_on);
    }
    case 'CustomerRequestSlaMissed': {
      const request = Object.assign(requestOf(batch, event), { sla_missed_recorded_at: at, position });
      return touch(batch, request.rep_id, request.received_on);
    }
    case 'ReviewRecorded': {
      const { id, repId, period, score } = event.data;
      batch.reviews.push({ review_id: id, rep_id: repId, month: period, score, recorded_at: at, position });
      return touch(batch, repId, `${period}-01`);
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** The week's plan or report, created as due when its first event arrives. */
function paperOf(batch: Batch, event: Recorded<WeeklyPaperEvent>): PaperRow {
  const kind = event.type.startsWith('WeeklyPlan') ? 'plan' : 'report';
  const { repId, week, dueAt } = event.data;
  const key = `${repId}|${week}|${kind}`;
  const paper = batch.papers.get(key) ?? {
    rep_id: repId,
    week,
    kind,
    due_at: dueAt,
    due_on: dayOf(dueAt),
    submitted_at: null,
    late: null,
    submitted_recorded_at: null,
    overdue_recorded_at: null,
    position: event.position,
  };
  batch.papers.set(key, paper);
  return paper;
}

function requestOf(batch: Batch, event: Recorded<PaperworkEvent>): RequestRow {
  const request = batch.requests.get(idOf(event, 'request-'));
  if (!request) throw new Error(`${event.type} for a request the read model does not hold`);
  return request;
}
