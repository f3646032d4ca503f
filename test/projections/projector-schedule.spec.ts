import pino from 'pino';
import { startProjector } from '@salesledger/projector/projector';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { logEvents } from '../support/events';
import { postgresServers } from '../support/postgres-servers';

const DAY = 86_400_000;

describe('the projector process, on a log it has not caught up with', () => {
  let api: ApiUnderTest;

  beforeAll(async () => {
    api = await startApi(postgresServers()[0]!);
    await api.create('/v1/teams', { id: 't', name: 'T' });
    await api.create('/v1/reps', { id: 'r', name: 'R', email: 'r@example.com', teamId: 't' });
    await api.create('/v1/customers', { id: 'c-quiet', name: 'Quiet', repId: 'r' });
    await api.create('/v1/orders', {
      id: 'o-1',
      repId: 'r',
      customerId: 'c-quiet',
      placedAt: new Date(Date.now() - 200 * DAY).toISOString(),
      lines: [{ sku: 's', category: 'c', quantity: 1, unitPrice: 10 }],
    });
  });
  afterAll(() => api.close());

  it('looks for time-driven facts as soon as its projections have caught up, not a whole period later', async () => {
    const lapses = () => logEvents(api.runtime.eventStore, 'CustomerLapsed');
    expect(await lapses()).toEqual([]);
    // Its first look comes before the projections have applied the log, so it must not decide then;
    // the next look used to be a minute (the period) later.
    const stop = await startProjector(api.runtime, pino({ level: 'silent' }));
    try {
      for (let i = 0; i < 150 && (await lapses()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await stop();
    }
    expect((await lapses()).map((e) => e.streamId)).toEqual(['customer-c-quiet']);
  }, 60_000);
});
