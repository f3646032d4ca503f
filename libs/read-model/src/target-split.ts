import type { ClientBase } from 'pg';
import { monthBreakdown } from '@salesledger/domain/periods';
import { daysOf, periodRange } from '@salesledger/domain/scorecards/grains';
import type { RepDay } from './day-figures';
import type { RepMonth } from './scorecard-rows';
import { insert } from './scorecard-writer';

interface StoredVersion {
  rep_id: string;
  month: string;
  amount: string;
  recorded_at: Date;
  position: number;
}

interface HolidayRow {
  day: string;
  recorded_at: Date;
  superseded_at: Date | null;
}

interface TargetDayRow {
  rep_id: string;
  day: string;
  amount: string;
  recorded_at: string;
  superseded_at: string | null;
  position: number;
}

/**
 * Splits the months' targets over their working days, from scratch: a month's rows change at every
 * target version and every holiday change after its first version, each interval using the amount
 * and the holidays in force then. Only the stored facts decide the result, not the order in which
 * their events arrived — which, fed from a partitioned topic, differs across streams.
 */
export async function splitTargets(client: ClientBase, s: string, months: RepMonth[] | 'all'): Promise<RepDay[]> {
  if (months !== 'all' && months.length === 0) return [];
  const keys = months === 'all' ? null : [months.map((m) => m.repId), months.map((m) => m.month)];
  const { rows: versions } = await client.query<StoredVersion>(
    `SELECT rep_id, month, amount, recorded_at, position FROM ${s}.target_changes
     ${keys ? 'JOIN unnest($1::text[], $2::text[]) k(rep_id, month) USING (rep_id, month)' : ''}
     ORDER BY rep_id, month, version`,
    keys ?? [],
  );
  const { rows: holidays } = await client.query<HolidayRow>(
    `SELECT day, recorded_at, superseded_at FROM ${s}.holidays`,
  );
  const byMonth = new Map<string, StoredVersion[]>();
  for (const version of versions) {
    const key = `${version.rep_id}|${version.month}`;
    byMonth.set(key, [...(byMonth.get(key) ?? []), version]);
  }
  const rows = [...byMonth.values()].flatMap((monthVersions) => monthDays(monthVersions, holidays));
  const touched = [...byMonth.values()].flatMap((monthVersions) => {
    const { rep_id: repId, month } = monthVersions[0] as StoredVersion;
    return daysOf(periodRange('month', month)).map((day) => ({ repId, day }));
  });
  if (keys)
    await client.query(
      `DELETE FROM ${s}.target_days t USING unnest($1::text[], $2::text[]) k(rep_id, month)
       WHERE t.rep_id = k.rep_id AND to_char(t.day, 'YYYY-MM') = k.month`,
      keys,
    );
  else await client.query(`DELETE FROM ${s}.target_days`);
  await insert(client, `${s}.target_days`, rows);
  return touched;
}

/** One month's day targets over time: a set of rows per interval between its versions and holiday changes. */
function monthDays(versions: readonly StoredVersion[], holidays: readonly HolidayRow[]): TargetDayRow[] {
  const { rep_id: repId, month } = versions[0] as StoredVersion;
  const first = (versions[0] as StoredVersion).recorded_at.getTime();
  // A calendar cleared leaves no row recorded at that instant, only the old rows' superseded_at.
  const holidayChanges = holidays
    .flatMap((row) => [row.recorded_at, row.superseded_at])
    .flatMap((at) => (at === null ? [] : [at.getTime()]))
    .filter((t) => t > first);
  const instants = [...new Set([...versions.map((v) => v.recorded_at.getTime()), ...holidayChanges])].sort(
    (a, b) => a - b,
  );
  return instants.flatMap((t, i) => {
    const version = versions.findLast((v) => v.recorded_at.getTime() <= t) as StoredVersion;
    const next = instants[i + 1];
    return monthBreakdown(month, version.amount, 'day', holidaysAt(holidays, t)).map((share) => ({
      rep_id: repId,
      day: share.period,
      amount: share.amount,
      recorded_at: new Date(t).toISOString(),
      superseded_at: next === undefined ? null : new Date(next).toISOString(),
      position: version.position,
    }));
  });
}

const holidaysAt = (holidays: readonly HolidayRow[], t: number): string[] =>
  holidays
    .filter((row) => row.recorded_at.getTime() <= t && (row.superseded_at === null || row.superseded_at.getTime() > t))
    .map((row) => String(row.day));
