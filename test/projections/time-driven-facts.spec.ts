import pino from 'pino';
import type { Clock } from '@salesledger/domain/clock.port';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { TimeDrivenFacts } from '@salesledger/sales/time-driven-facts';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { logEvents } from '../support/events';
import { postgresServers } from '../support/postgres-servers';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('time-driven facts, appended as events by the scheduler', () => {
  let api: ApiUnderTest;
  let runner: ProjectionRunner;
  const realNow = Date.now();
  // Midnight of the Monday a week after the one following today: the week after hiring is fully due.
  const nextMonday =
    Date.UTC(new Date(realNow).getUTCFullYear(), new Date(realNow).getUTCMonth(), new Date(realNow).getUTCDate()) +
    ((8 - new Date(realNow).getUTCDay()) % 7 || 7) * DAY;
  const now = nextMonday + 7 * DAY;
  const clock: Clock = { now: () => new Date(now) };

  beforeAll(async () => {
    api = await startApi(postgresServers()[0]!);
    runner = new ProjectionRunner(api.runtime.eventStore, api.runtime.readModel, PROJECTIONS[0]!, {
      log: pino({ level: 'silent' }),
    });
    await api.create('/v1/teams', { id: 't', name: 'T' });
    await api.create('/v1/reps', { id: 'r', name: 'R', email: 'r@example.com', teamId: 't' });
    for (const id of ['c-old', 'c-new']) await api.create('/v1/customers', { id, name: id, repId: 'r' });
    const order = (id: string, customerId: string, placedAt: number) =>
      api.create('/v1/orders', {
        id,
        repId: 'r',
        customerId,
        placedAt: iso(placedAt),
        lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 10 }],
      });
    await order('o-old', 'c-old', now - 200 * DAY);
    await order('o-new', 'c-new', now - 10 * DAY);
    await api.create('/v1/customer-requests', {
      id: 'q-1',
      customerId: 'c-old',
      subject: 'quote',
      receivedAt: iso(now - 3 * DAY),
    });
    await runner.catchUp();
    const facts = new TimeDrivenFacts(api.runtime.eventStore, api.runtime.readModel, clock);
    await facts.run();
    await runner.catchUp();
    await facts.run(); // a second run finds nothing new to say
    await runner.catchUp();
  });
  afterAll(() => api.close());

  const eventsOf = (type: string) => logEvents(api.runtime.eventStore, type);

  it('lapses a customer with no order for 180 days, on the day the threshold passed, once', async () => {
    const lapsed = await eventsOf('CustomerLapsed');
    expect(lapsed.map((e) => [e.streamId, e.data.lapsedOn, e.metadata.actor])).toEqual([
      ['customer-c-old', iso(now - 20 * DAY).slice(0, 10), { userId: 'scheduler', role: 'system' }],
    ]);
    const day = await api.call('GET', `/v1/reps/r/scorecard?grain=day&period=${iso(now - 20 * DAY).slice(0, 10)}`);
    expect(day.body.lostCustomers).toBe(1);
  });

  it('marks the plan and report of the week after hiring overdue, and counts them due', async () => {
    const overdue = await eventsOf('WeeklyPlanOverdue');
    const reports = await eventsOf('WeeklyReportOverdue');
    expect([...overdue, ...reports]).toHaveLength(2);
    const week = overdue[0]!.data.week as string;
    const card = await api.call('GET', `/v1/reps/r/scorecard?grain=week&period=${week}`);
    expect(card.body.planCompletionRate).toBe(0);
  });

  it('marks a request unanswered past its SLA, which then counts as missed', async () => {
    expect((await eventsOf('CustomerRequestSlaMissed')).map((e) => e.streamId)).toEqual(['request-q-1']);
    const day = iso(now - 3 * DAY).slice(0, 10);
    const card = await api.call('GET', `/v1/reps/r/scorecard?grain=day&period=${day}`);
    expect(card.body.requestResponseRate).toBe(0);
  });
});
