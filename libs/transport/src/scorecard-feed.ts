import type { Pool } from 'pg';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import type { OutgoingMessage, Transport } from './transport.port';

/** Stored column → the KPI name of DESIGN §4 that BI consumers know. */
const FIELDS: Record<string, string> = {
  rep_id: 'repId',
  grain: 'grain',
  period: 'period',
  start_day: 'startDay',
  end_day: 'endDay',
  target: 'target',
  actual: 'actual',
  attainment: 'attainment',
  orders: 'orders',
  new_customers: 'newCustomers',
  prospects_developed: 'prospectsDeveloped',
  sales_visits: 'salesVisits',
  existing_customer_visits: 'existingCustomerVisits',
  lost_customers: 'lostCustomers',
  growth_rate: 'growthRate',
  yoy_growth: 'yoyGrowth',
  discipline: 'discipline',
  plan_completion_rate: 'planCompletionRate',
  request_response_rate: 'requestResponseRate',
  median_response_minutes: 'medianResponseMinutes',
  composite_score: 'compositeScore',
  template_version: 'templateVersion',
  working_days: 'workingDays',
};

export const scorecardKey = (repId: string, grain: string, period: string) => `${repId}|${grain}|${period}`;

/**
 * Publishes every changed scorecard to the compacted scorecards topic: its latest figures, or a
 * tombstone when the scorecard no longer exists. A change is forgotten only after the broker's ack,
 * and only if the scorecard did not change again meanwhile, so the topic's last word per key is
 * always the read model's. Run by the publishing relay only, so a standby never lands a stale copy last.
 */
export class ScorecardFeed {
  constructor(
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly topic: string,
    private readonly batchSize = 1000,
  ) {}

  /** Publishes one batch of pending changes; returns how many. */
  async publishChanges(): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT c.rep_id, c.grain, c.period, c.seq, to_jsonb(s) AS card
       FROM ${READ_MODEL}.scorecard_changes c
       LEFT JOIN ${READ_MODEL}.scorecards s USING (rep_id, grain, period)
       ORDER BY c.seq LIMIT $1`,
      [this.batchSize],
    );
    if (rows.length === 0) return 0;
    const messages: OutgoingMessage[] = rows.map((row) => ({
      key: scorecardKey(row.rep_id, row.grain, row.period),
      value: row.card === null ? null : JSON.stringify(publicScorecard(row.card)),
      headers: { 'content-type': 'application/json', 'schema-version': '1' },
    }));
    await this.transport.publish(this.topic, messages);
    // Rows the projector is rewriting right now are skipped, not waited for (no deadlock): they have
    // a new seq anyway, so they stay and are published again with their new figures.
    await this.pool.query(
      `DELETE FROM ${READ_MODEL}.scorecard_changes WHERE (rep_id, grain, period, seq) IN (
         SELECT c.rep_id, c.grain, c.period, c.seq FROM ${READ_MODEL}.scorecard_changes c
         JOIN unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) k(rep_id, grain, period, seq)
           ON c.rep_id = k.rep_id AND c.grain = k.grain AND c.period = k.period AND c.seq = k.seq
         FOR UPDATE OF c SKIP LOCKED)`,
      [rows.map((r) => r.rep_id), rows.map((r) => r.grain), rows.map((r) => r.period), rows.map((r) => r.seq)],
    );
    return rows.length;
  }
}

/** The stored figures under the names the API gives them (numbers, as there). */
function publicScorecard(card: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(FIELDS).map(([column, name]) => [name, card[column]]));
}
