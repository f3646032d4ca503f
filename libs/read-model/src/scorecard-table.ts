import type { ClientBase } from 'pg';
import { nextPeriod, periodsOf, yearLaterPeriod, type PeriodRange } from '@salesledger/domain/scorecards/grains';
import type { RepDay } from './day-figures';
import { isoDay } from './scorecard-figures';
import { readCalendar, storedScorecards, type Calendar, type ScorecardKey } from './period-scorecards';

export type ScorecardKeys = Map<string, ScorecardKey>;

/** A stored scorecard's key, as the table's columns name it. */
type StoredKey = { rep_id: string; grain: string; period: string };

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

/** Keys recomputed per statement: a change of holidays recomputes every scorecard, in this many at a time. */
const KEYS_PER_CHUNK = 2000;

/**
 * Recomputes the stored scorecards of the given keys from the period sums (all of them after a
 * change of holidays or of the scorecard template). A key with no figures and no review has no row.
 * Large sets go in chunks, so a process serving requests beside the settler gets turns between them.
 */
export async function materializeScorecards(client: ClientBase, s: string, keys: ScorecardKeys | 'all'): Promise<void> {
  // Everything recomputed: where the feed already heard of a key from this call (see below).
  let toldFrom: string | undefined;
  if (keys === 'all') {
    const { rows } = await client.query<{ rep_id: string; day: string }>(
      `SELECT rep_id, day FROM ${s}.rep_days UNION SELECT rep_id, to_date(month, 'YYYY-MM') FROM ${s}.reviews`,
    );
    // Every stored scorecard goes, so the feed hears of each (one stored again is published with its
    // new figures, one that is not as a tombstone). Changes from `toldFrom` on are this call's: a
    // key among them is not told again when its new figures are stored.
    toldFrom = (await client.query<{ seq: string }>(`SELECT nextval('${s}.scorecard_change_seq') AS seq`)).rows[0]?.seq;
    await client.query(
      `WITH gone AS (DELETE FROM ${s}.scorecards RETURNING rep_id, grain, period)
       INSERT INTO ${s}.scorecard_changes (rep_id, grain, period) SELECT * FROM gone
       ON CONFLICT (rep_id, grain, period) DO UPDATE SET seq = nextval('${s}.scorecard_change_seq')`,
    );
    // Only the periods with figures or a review: the ones after them, which scorecardKeys adds for
    // a change to compare with, have a row only if they have figures of their own, so they are
    // here already. At 10,000 reps that is 311,000 keys rather than 722,000.
    keys = new Map();
    for (const row of rows)
      for (const range of periodsOf(isoDay(row.day)))
        keys.set(`${row.rep_id}|${range.grain}|${range.period}`, { repId: row.rep_id, range });
  }
  const all = [...keys.values()];
  if (all.length === 0) return;
  const calendar = await readCalendar(client, s);
  for (let i = 0; i < all.length; i += KEYS_PER_CHUNK)
    await materializeChunk(client, s, all.slice(i, i + KEYS_PER_CHUNK), calendar, toldFrom);
}

/**
 * `toldFrom` set: the table holds none of the keys (everything is being recomputed), so none is
 * looked up to remove, and the feed's changes from that seq on need no second telling.
 */
async function materializeChunk(
  client: ClientBase,
  s: string,
  keys: ScorecardKey[],
  calendar: Calendar,
  toldFrom: string | undefined,
) {
  const cards = await storedScorecards(client, s, keys, calendar);
  // Looked up for nothing, this took 38 s of a rebuild at 10,000 reps (106 ms a chunk, on the
  // statistics of a table still empty when the rebuild analysed it).
  const { rows: removed } = toldFrom
    ? { rows: [] }
    : await client.query<StoredKey>(
        `DELETE FROM ${s}.scorecards c USING unnest($1::text[], $2::text[], $3::text[]) k(rep_id, grain, period)
         WHERE c.rep_id = k.rep_id AND c.grain = k.grain AND c.period = k.period
         RETURNING c.rep_id, c.grain, c.period`,
        [keys.map((k) => k.repId), keys.map((k) => k.range.grain), keys.map((k) => k.range.period)],
      );
  // The scorecards feed publishes each key that had a row or has one (the row, or a tombstone for
  // one gone). A key with neither, such as a period a year on that has no figures yet, has nothing
  // to say: about a third of a live batch's keys.
  const changed = new Map<string, StoredKey>();
  for (const row of [...removed, ...cards]) changed.set(`${row.rep_id}|${row.grain}|${row.period}`, row);
  const changes = [...changed.values()];
  // A change from before this transaction gets a new seq, or the feed, publishing it right now with
  // the old figures, would then forget it.
  if (changes.length > 0)
    await client.query(
      `INSERT INTO ${s}.scorecard_changes (rep_id, grain, period) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (rep_id, grain, period) DO UPDATE SET seq = nextval('${s}.scorecard_change_seq')
       WHERE $4::bigint IS NULL OR scorecard_changes.seq < $4`,
      [changes.map((c) => c.rep_id), changes.map((c) => c.grain), changes.map((c) => c.period), toldFrom ?? null],
    );
  if (cards.length > 0)
    await client.query(`INSERT INTO ${s}.scorecards SELECT * FROM json_populate_recordset(null::${s}.scorecards, $1)`, [
      JSON.stringify(cards),
    ]);
}
