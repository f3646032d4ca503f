import type { AlertEvent, AlertRaised } from '@salesledger/domain/alerts/alert.decider';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { AlertMessage } from '../delivery/delivery.port';

/** An alert as its message needs it, plus the team whose managers it goes to. */
export interface AlertFacts extends AlertMessage {
  readonly teamId: string;
}

export function raisedFacts(data: AlertRaised['data']): AlertFacts {
  const { alertId, rule, repId, teamId, period, severity, evidence, raisedAt } = data;
  return {
    alertId,
    rule,
    repId,
    teamId,
    period,
    severity,
    status: 'open',
    raisedAt,
    summary: evidence.summary,
    evidence,
  };
}

/**
 * The alert `alertId` as its stream tells it up to `revision`: the severity and evidence it has
 * turned to, and whether it was acknowledged or resolved since. Undefined if it was never raised there.
 */
export function alertAt(history: readonly RecordedEvent[], alertId: string, revision: number): AlertFacts | undefined {
  let alert: AlertFacts | undefined;
  for (const event of history as unknown as (RecordedEvent & AlertEvent)[]) {
    if (event.revision > revision || event.data.alertId !== alertId) continue;
    alert = evolve(alert, event);
  }
  return alert;
}

function evolve(alert: AlertFacts | undefined, event: AlertEvent): AlertFacts | undefined {
  if (event.type === 'AlertRaised') return raisedFacts(event.data);
  if (!alert) return alert;
  switch (event.type) {
    case 'AlertSeverityChanged': {
      const { to: severity, evidence } = event.data;
      return { ...alert, severity, evidence, summary: evidence.summary };
    }
    case 'AlertAcknowledged':
      return { ...alert, status: 'acknowledged' };
    case 'AlertResolved':
      return { ...alert, status: 'resolved' };
    default:
      return alert;
  }
}

/** The message without the team (which is for routing) and with the rep's name when known. */
export function messageOf({ teamId: _teamId, ...alert }: AlertFacts, repName: string | undefined): AlertMessage {
  return repName === undefined ? alert : { ...alert, repName };
}
