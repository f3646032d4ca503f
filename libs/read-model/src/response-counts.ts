import type { ClientBase } from 'pg';
import { periodsOf } from '@salesledger/domain/scorecards/grains';
import type { Answer, Batch, RequestRow } from './scorecard-rows';
import { addDeltas, deltaAt } from './sum-deltas';

/** The answered requests among `requests`, copied: the evolvers change the rows in place. */
export function answersOf(requests: Iterable<RequestRow>): Map<string, Answer> {
  const answers = new Map<string, Answer>();
  for (const row of requests)
    if (row.answered_recorded_at !== null && row.response_minutes !== null)
      answers.set(row.request_id, { day: row.received_on, minutes: row.response_minutes });
  return answers;
}

/**
 * Moves the response-time counts, by minute and by hour, by what a segment changed: each answer it
 * added counts once in every period containing the day the request was received, and a stored
 * answer it replaced stops counting. The counts are exact, so any cut of the log into batches ends
 * with the same rows.
 */
export async function countResponses(client: ClientBase, s: string, batch: Batch): Promise<void> {
  const byMinute = new Map<string, { grain: string; period: string; minutes: number; requests: number }>();
  const byHour = new Map<string, { grain: string; period: string; hours: number; requests: number }>();
  const add = ({ day, minutes }: Answer, sign: 1 | -1) => {
    const hours = Math.floor(minutes / 60);
    for (const { grain, period } of periodsOf(day)) {
      deltaAt(byMinute, `${grain}|${period}|${minutes}`, () => ({ grain, period, minutes, requests: 0 })).requests +=
        sign;
      deltaAt(byHour, `${grain}|${period}|${hours}`, () => ({ grain, period, hours, requests: 0 })).requests += sign;
    }
  };
  for (const answer of batch.storedAnswers.values()) add(answer, -1);
  for (const answer of answersOf(batch.requests.values()).values()) add(answer, 1);
  const moved = <T extends { requests: number }>(counts: Map<string, T>) =>
    [...counts.values()].filter((count) => count.requests !== 0);
  await addDeltas(client, `${s}.response_minutes`, countsBy('minutes'), moved(byMinute));
  await addDeltas(client, `${s}.response_hours`, countsBy('hours'), moved(byHour));
}

const countsBy = (unit: string) => ({ key: ['grain', 'period', unit], sums: ['requests'], emptyWhen: 'requests' });

/**
 * The median response time of every answered request received in a period (the company's), from
 * the counts: the mean of the values at ranks ⌊(n+1)/2⌋ and ⌊n/2⌋+1, each found by a running total
 * over the period's hours and then over the minutes of the hour it falls in; null when none is
 * answered. `grain` and `period` are SQL expressions (parameters).
 */
export const countedMedianSql = (s: string, grain: string, period: string) => `
  SELECT avg((
    SELECT m.minutes FROM (
      SELECT minutes, sum(requests) OVER (ORDER BY minutes ROWS UNBOUNDED PRECEDING) AS upto
      FROM ${s}.response_minutes
      WHERE grain = ${grain} AND period = ${period} AND minutes >= h.hours * 60 AND minutes < (h.hours + 1) * 60
    ) m WHERE m.upto >= r.rank - h.before ORDER BY m.minutes LIMIT 1
  ))::float8 AS median_response_minutes
  FROM (
    SELECT hours, requests, sum(requests) OVER (ORDER BY hours ROWS UNBOUNDED PRECEDING) - requests AS before,
      sum(requests) OVER () AS total
    FROM ${s}.response_hours WHERE grain = ${grain} AND period = ${period}
  ) h CROSS JOIN LATERAL (VALUES ((h.total + 1) / 2), (h.total / 2 + 1)) r(rank)
  WHERE r.rank > h.before AND r.rank <= h.before + h.requests`;
