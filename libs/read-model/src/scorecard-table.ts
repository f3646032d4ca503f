import type { ClientBase } from 'pg';
import { nextPeriod, periodsOf, yearLaterPeriod, type PeriodRange } from '@salesledger/domain/scorecards/grains';
import type { RepDay } from './day-figures';
import { isoDay, loadDayData, scorecardFrom, spanOf, splitByRep } from './scorecard-figures';

export type ScorecardKeys = Map<string, { repId: string; range: PeriodRange }>;

/** The scorecards a changed (rep, day) can move: its periods, and those whose growth compares with them. */
export function scorecardKeys(days: Iterable<RepDay>): ScorecardKeys {
  const keys: ScorecardKeys = new Map();
  const add = (repId: string, range: PeriodRange | null) => {
    if (range) keys.set(`${repId}|${range.grain}|${range.period}`, { repId, range });
  };
  const seen = new Set<string>();
  for (const { repId, day } of days) {
    for (const range of periodsOf(day)) {
      const key = `${repId}|${range.grain}|${range.period}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(repId, range);
      add(repId, nextPeriod(range));
      add(repId, yearLaterPeriod(range));
    }
  }
  return keys;
}

// Only expected_to_date and pace depend on the day they are read; they are not stored.
const NOT_STORED = new Date(0);

/**
 * Recomputes the stored scorecards of the given keys from rep_days (all of them after a change of
 * holidays or of the scorecard template). A key with no figures and no review has no row.
 */
export async function materializeScorecards(client: ClientBase, s: string, keys: ScorecardKeys | 'all'): Promise<void> {
  if (keys === 'all') {
    const { rows } = await client.query(
      `SELECT rep_id, day FROM ${s}.rep_days UNION SELECT rep_id, to_date(month, 'YYYY-MM') FROM ${s}.reviews`,
    );
    await client.query(`DELETE FROM ${s}.scorecards`);
    keys = scorecardKeys(rows.map((row) => ({ repId: row.rep_id as string, day: isoDay(row.day) })));
  }
  if (keys.size === 0) return;
  let from = '9999-12-31';
  let to = '0000-01-01';
  const byRep = new Map<string, PeriodRange[]>();
  for (const { repId, range } of keys.values()) {
    const span = spanOf(range);
    if (span.from < from) from = span.from;
    if (span.to > to) to = span.to;
    byRep.set(repId, [...(byRep.get(repId) ?? []), range]);
  }
  const repIds = [...byRep.keys()];
  const data = await loadDayData(client, s, { repIds }, from, to, null);
  const rows: Record<string, unknown>[] = [];
  const perRep = splitByRep(data);
  for (const [repId, ranges] of byRep) {
    const mine = perRep.get(repId);
    if (!mine) continue;
    for (const range of ranges) {
      const card = scorecardFrom(mine, range, NOT_STORED);
      if (!card.active) continue;
      rows.push({
        rep_id: repId,
        grain: range.grain,
        period: range.period,
        start_day: range.start,
        end_day: range.end,
        target: card.target,
        actual: card.actual,
        attainment: card.attainment,
        orders: card.orders,
        new_customers: card.newCustomers,
        prospects_developed: card.prospectsDeveloped,
        sales_visits: card.salesVisits,
        existing_customer_visits: card.existingCustomerVisits,
        lost_customers: card.lostCustomers,
        growth_rate: card.growthRate,
        yoy_growth: card.yoyGrowth,
        discipline: card.discipline,
        plan_completion_rate: card.planCompletionRate,
        request_response_rate: card.requestResponseRate,
        median_response_minutes: card.medianResponseMinutes,
        composite_score: card.compositeScore,
        template_version: card.templateVersion,
        working_days: card.workingDays,
      });
    }
  }
  const all = [...keys.values()];
  const keyColumns = [all.map((k) => k.repId), all.map((k) => k.range.grain), all.map((k) => k.range.period)];
  await client.query(
    `DELETE FROM ${s}.scorecards c USING unnest($1::text[], $2::text[], $3::text[]) k(rep_id, grain, period)
     WHERE c.rep_id = k.rep_id AND c.grain = k.grain AND c.period = k.period`,
    keyColumns,
  );
  // Every key, kept or gone: the scorecards feed publishes the row, or a tombstone for a key with none.
  await client.query(
    `INSERT INTO ${s}.scorecard_changes (rep_id, grain, period) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (rep_id, grain, period) DO UPDATE SET seq = nextval('${s}.scorecard_change_seq')`,
    keyColumns,
  );
  for (let i = 0; i < rows.length; i += 5000)
    await client.query(`INSERT INTO ${s}.scorecards SELECT * FROM json_populate_recordset(null::${s}.scorecards, $1)`, [
      JSON.stringify(rows.slice(i, i + 5000)),
    ]);
}
