import type { ClientBase } from 'pg';
import { periodsOf } from '@salesledger/domain/scorecards/grains';

const MONEY = ['target', 'actual'] as const;
const COUNTS = [
  'orders',
  'new_customers',
  'prospects_developed',
  'sales_visits',
  'existing_customer_visits',
  'lost_customers',
  'papers_due',
  'papers_on_time',
  'requests_closed',
  'requests_within_sla',
] as const;

/** A row of rep_days as stored: money as numeric strings. */
export type RepDayRow = { rep_id: string; day: string } & Record<(typeof MONEY)[number], string> &
  Record<(typeof COUNTS)[number], number>;

type PeriodDelta = { rep_id: string; grain: string; period: string; days: number } & Record<
  (typeof MONEY)[number] | (typeof COUNTS)[number],
  number
>;

const cents = (money: string) => Math.round(Number(money) * 100);

/**
 * Moves each period's sums by what the recomputed days changed (rows removed count negative, rows
 * written positive): the work is the batch's days times five grains, whatever the history holds.
 * Sums are exact (cents and counts), so any cut of the log into batches ends with the same rows.
 */
export async function addToPeriods(
  client: ClientBase,
  s: string,
  removed: readonly RepDayRow[],
  written: readonly RepDayRow[],
): Promise<void> {
  const deltas = new Map<string, PeriodDelta>();
  const add = (row: RepDayRow, sign: 1 | -1) => {
    for (const { grain, period } of periodsOf(row.day)) {
      const key = `${row.rep_id}|${grain}|${period}`;
      let delta = deltas.get(key);
      if (!delta) deltas.set(key, (delta = zero(row.rep_id, grain, period)));
      delta.days += sign;
      for (const column of MONEY) delta[column] += sign * cents(row[column]);
      for (const column of COUNTS) delta[column] += sign * row[column];
    }
  };
  for (const row of removed) add(row, -1);
  for (const row of written) add(row, 1);
  const rows = [...deltas.values()]
    .filter((d) => d.days !== 0 || [...MONEY, ...COUNTS].some((column) => d[column] !== 0))
    .map((d) => ({ ...d, target: (d.target / 100).toFixed(2), actual: (d.actual / 100).toFixed(2) }));
  if (rows.length === 0) return;
  const columns = ['days', ...MONEY, ...COUNTS];
  const { rows: emptied } = await client.query<{ rep_id: string; grain: string; period: string; days: number }>(
    `INSERT INTO ${s}.rep_periods SELECT * FROM json_populate_recordset(null::${s}.rep_periods, $1)
     ON CONFLICT (rep_id, grain, period) DO UPDATE SET ${columns.map((c) => `${c} = rep_periods.${c} + excluded.${c}`).join(', ')}
     RETURNING rep_id, grain, period, days`,
    [JSON.stringify(rows)],
  );
  const gone = emptied.filter((row) => row.days === 0);
  if (gone.length > 0)
    await client.query(
      `DELETE FROM ${s}.rep_periods p USING unnest($1::text[], $2::text[], $3::text[]) k(rep_id, grain, period)
       WHERE p.rep_id = k.rep_id AND p.grain = k.grain AND p.period = k.period`,
      [gone.map((g) => g.rep_id), gone.map((g) => g.grain), gone.map((g) => g.period)],
    );
}

function zero(repId: string, grain: string, period: string): PeriodDelta {
  const delta = { rep_id: repId, grain, period, days: 0 } as PeriodDelta;
  for (const column of [...MONEY, ...COUNTS]) delta[column] = 0;
  return delta;
}
