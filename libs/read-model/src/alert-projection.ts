import type { ClientBase } from 'pg';
import type { AlertEvidence } from '@salesledger/domain/alerts/alert-rules.policy';
import type { AlertEvent, AlertStatus } from '@salesledger/domain/alerts/alert.decider';
import type { RecordedEvent } from '@salesledger/domain/event';
import type { Projection } from './projection-runner';

/** A row of `alerts`, as stored. */
export interface AlertRow {
  alert_id: string;
  stream_id: string;
  rule: string;
  rep_id: string;
  team_id: string;
  period: string;
  severity: string;
  status: AlertStatus;
  raised_at: string;
  evidence: AlertEvidence;
  escalated_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
  resolved_at: string | null;
  resolution_reason: string | null;
  /** The last event of the alert applied: an event at or below it is not applied again. */
  position: number;
}

/** A row of `alert_deliveries`. */
export interface DeliveryRow {
  alert_id: string;
  delivery_id: string;
  channel: string;
  recipient: string;
  delivered_at: string;
  position: number;
}

export type RecordedAlertEvent = RecordedEvent & AlertEvent;

const ALERT_EVENTS: ReadonlySet<string> = new Set<AlertEvent['type']>([
  'AlertRaised',
  'AlertSeverityChanged',
  'AlertDelivered',
  'AlertAcknowledged',
  'AlertEscalated',
  'AlertResolved',
]);

export const isAlertEvent = (event: RecordedEvent): event is RecordedAlertEvent => ALERT_EVENTS.has(event.type);

/**
 * An alert after one more of its events. Returns the same row when the event is not applied: one
 * already folded in (an alert's events come from one stream, in order, so their positions grow),
 * or one of an alert never raised.
 */
export function evolveAlert(alert: AlertRow | undefined, event: RecordedAlertEvent): AlertRow | undefined {
  if (alert && event.position <= alert.position) return alert;
  if (event.type === 'AlertRaised') return alert ?? raisedRow(event);
  if (!alert) return alert;
  return { ...alert, ...changeOf(event), position: event.position };
}

function raisedRow(event: RecordedAlertEvent & { type: 'AlertRaised' }): AlertRow {
  const { alertId, rule, repId, teamId, period, severity, evidence, raisedAt } = event.data;
  return {
    alert_id: alertId,
    stream_id: event.streamId,
    rule,
    rep_id: repId,
    team_id: teamId,
    period,
    severity,
    status: 'open',
    raised_at: raisedAt,
    evidence,
    escalated_at: null,
    acknowledged_at: null,
    acknowledged_by: null,
    acknowledgement_note: null,
    resolved_at: null,
    resolution_reason: null,
    position: event.position,
  };
}

function changeOf(event: RecordedAlertEvent): Partial<AlertRow> {
  switch (event.type) {
    case 'AlertRaised':
    case 'AlertDelivered':
      return {};
    case 'AlertSeverityChanged':
      return { severity: event.data.to, evidence: event.data.evidence };
    case 'AlertAcknowledged':
      return {
        status: 'acknowledged',
        acknowledged_at: event.data.acknowledgedAt,
        acknowledged_by: event.metadata.actor.userId,
        acknowledgement_note: event.data.note,
      };
    case 'AlertEscalated':
      return { escalated_at: event.data.escalatedAt };
    case 'AlertResolved':
      return { status: 'resolved', resolved_at: event.data.resolvedAt, resolution_reason: event.data.reason };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export function deliveryOf(event: RecordedAlertEvent & { type: 'AlertDelivered' }): DeliveryRow {
  const { alertId, deliveryId, channel, to, deliveredAt } = event.data;
  return {
    alert_id: alertId,
    delivery_id: deliveryId,
    channel,
    recipient: to,
    delivered_at: deliveredAt,
    position: event.position,
  };
}

/** One alert folded from its stream's events (the stream may hold earlier alerts of its key). */
export function alertFromEvents(
  events: readonly RecordedEvent[],
  alertId: string,
): { alert: AlertRow | undefined; deliveries: DeliveryRow[] } {
  const own = events.filter(isAlertEvent).filter((event) => event.data.alertId === alertId);
  return {
    alert: own.reduce(evolveAlert, undefined),
    deliveries: own.flatMap((event) => (event.type === 'AlertDelivered' ? [deliveryOf(event)] : [])),
  };
}

/**
 * Folds a batch over the alerts it touches, then writes each changed alert once and the new
 * deliveries. Alerts depend on their own stream only, so any interleaving of streams gives the
 * same rows; and an event at or below an alert's stored position is skipped, so a batch applied
 * twice changes nothing.
 */
export async function applyAlertEvents(
  client: ClientBase,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const batch = events.filter(isAlertEvent);
  if (batch.length === 0) return;
  const alerts = await loadAlerts(client, schema, [...new Set(batch.map((event) => event.data.alertId))]);
  const changed = new Set<string>();
  const deliveries: DeliveryRow[] = [];
  for (const event of batch) {
    const before = alerts.get(event.data.alertId);
    const after = evolveAlert(before, event);
    if (!after || after === before) continue;
    alerts.set(after.alert_id, after);
    changed.add(after.alert_id);
    if (event.type === 'AlertDelivered') deliveries.push(deliveryOf(event));
  }
  await upsertAlerts(
    client,
    schema,
    [...changed].map((id) => alerts.get(id) as AlertRow),
  );
  if (deliveries.length > 0)
    await client.query(
      `INSERT INTO ${schema}.alert_deliveries SELECT * FROM json_populate_recordset(null::${schema}.alert_deliveries, $1)
       ON CONFLICT (delivery_id) DO NOTHING`,
      [JSON.stringify(deliveries)],
    );
}

async function loadAlerts(client: ClientBase, schema: string, ids: string[]): Promise<Map<string, AlertRow>> {
  const { rows } = await client.query(`SELECT * FROM ${schema}.alerts WHERE alert_id = ANY($1)`, [ids]);
  return new Map(rows.map((row) => [row.alert_id as string, storedAlert(row)]));
}

const instant = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : (value as null));

/** A stored row as the fold keeps it: instants as ISO strings, the position as a number. */
export function storedAlert(row: Record<string, unknown>): AlertRow {
  return {
    ...(row as unknown as AlertRow),
    raised_at: instant(row.raised_at) as string,
    escalated_at: instant(row.escalated_at),
    acknowledged_at: instant(row.acknowledged_at),
    resolved_at: instant(row.resolved_at),
    position: Number(row.position),
  };
}

async function upsertAlerts(client: ClientBase, schema: string, rows: AlertRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as AlertRow).filter((column) => column !== 'alert_id');
  await client.query(
    `INSERT INTO ${schema}.alerts SELECT * FROM json_populate_recordset(null::${schema}.alerts, $1)
     ON CONFLICT (alert_id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}

/** Alerts are whole after apply: nothing is left to derive. */
export const alertsProjection: Projection = {
  name: 'alerts',
  applies: isAlertEvent,
  apply: applyAlertEvents,
  derive: async () => undefined,
};
