import type { ClientBase } from 'pg';
import { periodsOf } from '@salesledger/domain/scorecards/grains';
import { addDeltas, deltaAt } from './sum-deltas';

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
      const delta = deltaAt(deltas, `${row.rep_id}|${grain}|${period}`, () => zero(row.rep_id, grain, period));
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
  await addDeltas(client, `${s}.rep_periods`, PERIOD_SUMS, rows);
}

const PERIOD_SUMS = { key: ['rep_id', 'grain', 'period'], sums: ['days', ...MONEY, ...COUNTS], emptyWhen: 'days' };

function zero(repId: string, grain: string, period: string): PeriodDelta {
  const delta = { rep_id: repId, grain, period, days: 0 } as PeriodDelta;
  for (const column of [...MONEY, ...COUNTS]) delta[column] = 0;
  return delta;
}
