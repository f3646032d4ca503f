import type { Pool } from 'pg';
import type { AlertEvidence } from '@salesledger/domain/alerts/alert-rules.policy';
import type { AlertStatus } from '@salesledger/domain/alerts/alert.decider';
import { storedAlert, type AlertRow, type DeliveryRow } from './alert-projection';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { inTransaction } from '@salesledger/postgres/pool';

/** An alert as the API shows it: the contract's fields (DESIGN.md §6) first, then its lifecycle and deliveries. */
export interface AlertView {
  readonly id: string;
  readonly rule: string;
  readonly repId: string;
  readonly period: string;
  readonly severity: string;
  readonly status: AlertStatus;
  readonly raisedAt: string;
  readonly evidence: AlertEvidence;
  readonly teamId: string;
  readonly escalatedAt: string | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly note: string | null;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  readonly deliveries: { channel: string; recipient: string; deliveredAt: string }[];
}

export interface AlertFilter {
  readonly status?: AlertStatus;
  readonly repId?: string;
  readonly teamId?: string;
  readonly rule?: string;
  readonly limit?: number;
}

/** Where the caller may look, on top of what it asked for: one team's or one rep's alerts, or all. */
export type AlertScope = { readonly teamId?: string; readonly repId?: string };

export const DEFAULT_ALERT_LIMIT = 500;

export function alertView(alert: AlertRow, deliveries: readonly DeliveryRow[]): AlertView {
  return {
    id: alert.alert_id,
    rule: alert.rule,
    repId: alert.rep_id,
    period: alert.period,
    severity: alert.severity,
    status: alert.status,
    raisedAt: alert.raised_at,
    evidence: asRaised(alert.evidence),
    teamId: alert.team_id,
    escalatedAt: alert.escalated_at,
    acknowledgedAt: alert.acknowledged_at,
    acknowledgedBy: alert.acknowledged_by,
    note: alert.acknowledgement_note,
    resolvedAt: alert.resolved_at,
    resolution: alert.resolution_reason,
    deliveries: deliveries.map((d) => ({ channel: d.channel, recipient: d.recipient, deliveredAt: d.delivered_at })),
  };
}

/** jsonb keeps the values but not the order of keys: put the evidence's back in the order it is raised with. */
function asRaised({ summary, figures, paceCurve, positions, ...rest }: AlertEvidence): AlertEvidence {
  return { summary, figures, ...(paceCurve !== undefined && { paceCurve }), positions, ...rest };
}

/** Reads of the alerts read model, for the API. Access control is the caller's. */
export class AlertQueries {
  constructor(
    private readonly pool: Pool,
    private readonly schema = READ_MODEL,
  ) {}

  /** Newest raised first; `filter` and `scope` both narrow the list. */
  list(filter: AlertFilter, scope: AlertScope): Promise<AlertView[]> {
    const s = this.schema;
    return this.snapshot(async (query) => {
      const alerts = await query(
        `SELECT * FROM ${s}.alerts
         WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR rep_id = $2)
           AND ($3::text IS NULL OR team_id = $3) AND ($4::text IS NULL OR rule = $4)
           AND ($5::text IS NULL OR team_id = $5) AND ($6::text IS NULL OR rep_id = $6)
         ORDER BY raised_at DESC, alert_id LIMIT $7`,
        [
          filter.status ?? null,
          filter.repId ?? null,
          filter.teamId ?? null,
          filter.rule ?? null,
          scope.teamId ?? null,
          scope.repId ?? null,
          filter.limit ?? DEFAULT_ALERT_LIMIT,
        ],
      );
      return this.withDeliveries(query, alerts.map(storedAlert));
    });
  }

  /** One alert with the stream it lives on, or undefined if the read model has no such alert. */
  find(alertId: string): Promise<{ streamId: string; view: AlertView } | undefined> {
    return this.snapshot(async (query) => {
      const [row] = await query(`SELECT * FROM ${this.schema}.alerts WHERE alert_id = $1`, [alertId]);
      if (!row) return undefined;
      const alert = storedAlert(row);
      const [view] = await this.withDeliveries(query, [alert]);
      return { streamId: alert.stream_id, view: view as AlertView };
    });
  }

  private async withDeliveries(query: Query, alerts: AlertRow[]): Promise<AlertView[]> {
    if (alerts.length === 0) return [];
    const rows = await query(
      `SELECT * FROM ${this.schema}.alert_deliveries WHERE alert_id = ANY($1) ORDER BY delivered_at, delivery_id`,
      [alerts.map((alert) => alert.alert_id)],
    );
    const byAlert = new Map<string, DeliveryRow[]>();
    for (const row of rows) {
      const delivery = { ...row, delivered_at: (row.delivered_at as Date).toISOString() } as DeliveryRow;
      byAlert.set(delivery.alert_id, [...(byAlert.get(delivery.alert_id) ?? []), delivery]);
    }
    return alerts.map((alert) => alertView(alert, byAlert.get(alert.alert_id) ?? []));
  }

  /** Alerts and their deliveries from one snapshot: a batch committing in between cannot mix in. */
  private snapshot<T>(work: (query: Query) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return work(async (sql, params) => (await client.query(sql, params)).rows);
    });
  }
}

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
