import type { ClientBase } from 'pg';
import { periodsOf } from '@salesledger/domain/scorecards/grains';
import type { Answer, Batch, RequestRow } from './scorecard-rows';

/**
 * Moves the response-time counts by what a segment changed: each answer it added counts once in
 * every period containing the day the request was received, and a stored answer it replaced stops
 * counting. The counts are exact, so any cut of the log into batches ends with the same rows.
 */
export async function countResponses(client: ClientBase, s: string, batch: Batch): Promise<void> {
  const deltas = new Map<string, { grain: string; period: string; minutes: number; requests: number }>();
  const add = ({ day, minutes }: Answer, sign: 1 | -1) => {
    for (const { grain, period } of periodsOf(day)) {
      const key = `${grain}|${period}|${minutes}`;
      const delta = deltas.get(key) ?? { grain, period, minutes, requests: 0 };
      delta.requests += sign;
      deltas.set(key, delta);
    }
  };
  for (const answer of batch.storedAnswers.values()) add(answer, -1);
  for (const answer of answersOf(batch.requests.values()).values()) add(answer, 1);
  const rows = [...deltas.values()].filter((delta) => delta.requests !== 0);
  if (rows.length === 0) return;
  const { rows: counted } = await client.query<{ grain: string; period: string; minutes: number; requests: number }>(
    `INSERT INTO ${s}.response_minutes SELECT * FROM json_populate_recordset(null::${s}.response_minutes, $1)
     ON CONFLICT (grain, period, minutes) DO UPDATE SET requests = response_minutes.requests + excluded.requests
     RETURNING grain, period, minutes, requests`,
    [JSON.stringify(rows)],
  );
  const gone = counted.filter((row) => row.requests === 0);
  if (gone.length > 0)
    await client.query(
      `DELETE FROM ${s}.response_minutes r USING unnest($1::text[], $2::text[], $3::int[]) k(grain, period, minutes)
       WHERE r.grain = k.grain AND r.period = k.period AND r.minutes = k.minutes`,
      [gone.map((g) => g.grain), gone.map((g) => g.period), gone.map((g) => g.minutes)],
    );
}

/** The answered requests among `requests`, copied: the evolvers change the rows in place. */
export function answersOf(requests: Iterable<RequestRow>): Map<string, Answer> {
  const answers = new Map<string, Answer>();
  for (const row of requests)
    if (row.answered_recorded_at !== null && row.response_minutes !== null)
      answers.set(row.request_id, { day: row.received_on, minutes: row.response_minutes });
  return answers;
}

/**
 * The median response time of every answered request received in a period (the company's), from
 * the counts: the values at ranks ⌊(n+1)/2⌋ and ⌊n/2⌋+1 of the running total, averaged; null when
 * none is answered. `grain` and `period` are SQL expressions (parameters).
 */
export const countedMedianSql = (s: string, grain: string, period: string) => `
  SELECT ((min(minutes) FILTER (WHERE upto >= (total + 1) / 2) + min(minutes) FILTER (WHERE upto >= total / 2 + 1))
    / 2.0)::float8 AS median_response_minutes
  FROM (
    SELECT minutes, sum(requests) OVER (ORDER BY minutes) AS upto, sum(requests) OVER () AS total
    FROM ${s}.response_minutes WHERE grain = ${grain} AND period = ${period}
  ) h`;
