import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import fc from 'fast-check';
import { Pool } from 'pg';
import type { JsonObject, RecordedEvent } from '@salesledger/domain/event';
import { monthBreakdown } from '@salesledger/domain/periods';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { inTransaction } from '@salesledger/postgres/pool';
import { deriveAll } from '@salesledger/read-model/projection-runner';
import { applyScorecardEvents, scorecardsProjection } from '@salesledger/read-model/scorecard-projection';
import { ScorecardQueries } from '@salesledger/read-model/scorecard-queries';
import { createDatabase, postgresServers } from '../support/postgres-servers';

const [embedded] = postgresServers();
const NOW = new Date('2031-01-01T00:00:00Z');
let database: { url: string; drop: () => Promise<void> };
let pool: Pool;
let schemas = 0;

beforeAll(async () => {
  database = await createDatabase(embedded!);
  pool = new Pool({ connectionString: database.url, max: 4 });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

function recorded(position: number, streamId: string, type: string, data: JsonObject): RecordedEvent {
  return {
    eventId: randomUUID(),
    streamId,
    revision: 0,
    position,
    checkpoint: String(position),
    hash: '',
    type,
    data,
    metadata: {
      actor: { userId: 'director-1', role: 'director' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      recordedAt: new Date(Date.parse('2019-01-01T00:00:00Z') + position * 60_000).toISOString(),
    },
  };
}

/** Projects the events into a schema of their own, one batch per array. */
async function projectBatches(...batches: RecordedEvent[][]): Promise<ScorecardQueries> {
  const schema = `rm_split_${++schemas}`;
  await migrateReadModel(database.url, schema);
  for (const events of batches)
    await inTransaction(pool, async (client) => {
      await applyScorecardEvents(client, schema, events);
      await deriveAll(client, schema, scorecardsProjection);
    });
  return new ScorecardQueries(pool, schema);
}

const holidaysSet = (position: number, dates: string[]) =>
  recorded(position, 'company-settings', 'HolidaysSet', { dates });
const targetSet = (position: number, month: string, amount: string) =>
  recorded(position, `target-r1-${month}`, 'TargetSet', { repId: 'r1', month, amount, reason: 'plan' });

/** Projects one rep's month target (and the company holidays) into a schema of its own. */
const project = (month: string, amount: string, holidays: string[]) =>
  projectBatches([holidaysSet(1, holidays), targetSet(2, month, amount)]);

const cents = (value: number | string) => Number(new Big(value).times(100).round(0));

describe('a month target as the breakdown route and the scorecards show it', () => {
  it('gives the same day and week targets in both, days adding up to their week and weeks to the month', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000_000_00 }),
        fc.integer({ min: 2020, max: 2030 }),
        fc.integer({ min: 1, max: 12 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 28 }), { maxLength: 4 }),
        async (amountCents, year, monthNumber, holidayDays) => {
          const month = `${year}-${String(monthNumber).padStart(2, '0')}`;
          const amount = new Big(amountCents).div(100).toFixed(2);
          const holidays = holidayDays.map((d) => `${month}-${String(d).padStart(2, '0')}`);
          const queries = await project(month, amount, holidays);
          const card = (grain: 'day' | 'week' | 'month', period: string) =>
            queries.scorecard({ repIds: ['r1'] }, grain, period, NOW);

          expect(cents((await card('month', month)).target)).toBe(amountCents);
          let weeksTotal = 0;
          for (const week of monthBreakdown(month, amount, 'week', holidays)) {
            // Only this month has a target, so the week's scorecard holds just its days in the month.
            expect([week.period, cents((await card('week', week.period)).target)]).toEqual([
              week.period,
              cents(week.amount),
            ]);
            weeksTotal += cents(week.amount);
          }
          expect(weeksTotal).toBe(amountCents);
          const days = monthBreakdown(month, amount, 'day', holidays);
          for (const day of days)
            expect([day.period, cents((await card('day', day.period)).target)]).toEqual([
              day.period,
              cents(day.amount),
            ]);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('a month target when the holiday calendar is cleared after it was set', () => {
  const month = '2025-11';
  const holiday = '2025-11-14';
  const dayTarget = async (queries: ScorecardQueries, asOf?: Date) =>
    (await queries.scorecard({ repIds: ['r1'] }, 'day', holiday, NOW, asOf)).target;
  const shareOf = (holidays: string[]) =>
    Number(monthBreakdown(month, '4000.00', 'day', holidays).find((d) => d.period === holiday)?.amount ?? 0);

  it.each([
    ['in one batch', (events: RecordedEvent[]) => [events]],
    ['one event per batch', (events: RecordedEvent[]) => events.map((e) => [e])],
  ])('splits the month over the days the cleared calendar makes working days (%s)', async (_, batches) => {
    // given a target, then a holiday in its month, then the calendar cleared
    const events = [targetSet(1, month, '4000.00'), holidaysSet(2, [holiday]), holidaysSet(3, [])];
    const queries = await projectBatches(...batches(events));

    // then the former holiday carries its share again, and an as-of view between the two still shows it off
    expect(await dayTarget(queries)).toBe(shareOf([]));
    expect(await dayTarget(queries, new Date(events[1]!.metadata.recordedAt))).toBe(0);
    expect(shareOf([])).toBeGreaterThan(0);
  });
});
