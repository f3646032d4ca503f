import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { startAlertDelivery } from '@salesledger/alert-worker/alert-delivery';
import { WebhookSubscriptionService } from '@salesledger/alerts/outbox/webhook-subscription.service';
import { postgresServers } from '../../support/postgres-servers';
import { decision, deliveryRows, FakeClock, openOutbox, raise, register, type Outbox, until } from './outbox-fixture';
import { logEvents } from '../../support/events';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const [embedded] = postgresServers();
const WORKER = resolve(__dirname, 'alert-delivery.process.js');
const env = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '30000' };

describe('an alert worker killed with SIGKILL in the middle of a delivery', () => {
  let outbox: Outbox;
  let receiver: WebhookReceiver;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    outbox = await openOutbox(embedded!);
    // The first request is held unanswered: the worker is killed while it waits for the answer.
    receiver = await startWebhookReceiver(
      (_path, n) => (n === 1 ? 'no answer' : { status: 204 }),
      () => new Date(),
    );
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await receiver.stop();
    await outbox.close();
  });

  it('is resent with the same webhook-id after a restart, and AlertDelivered is recorded once', async () => {
    await register(outbox.store, { teams: [{ id: 't1', name: 'North' }] });
    const { secret } = await new WebhookSubscriptionService(outbox.pool, {
      allowPrivateNetworks: true,
      allowedHosts: [],
    }).create({ url: receiver.url('/hooks') });
    worker = spawn(process.execPath, [WORKER], {
      env: { ...process.env, ...env, OUTBOX_DATABASE_URL: outbox.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(worker.stdout!, 'data');

    await raise(outbox.store, 'a-1', decision({ repId: 'r1', teamId: 't1' }), new Date());
    await until(async () => receiver.received.length === 1);
    worker.kill('SIGKILL');
    await once(worker, 'exit');
    expect(await deliveryRows(outbox.pool)).toMatchObject([{ status: 'pending', attempt: 1 }]);

    // The restart comes after the dead worker's lease (3 x the 30 s timeout) has run out.
    const later = new FakeClock(Date.now() + 91_000);
    const stop = startAlertDelivery({ eventStore: outbox.store, readModel: outbox.pool }, pino({ level: 'silent' }), {
      env,
      clock: later,
      dispatchIntervalMs: 10,
      sendIntervalMs: 10,
    });
    try {
      await until(async () => (await deliveryRows(outbox.pool))[0]?.recorded_at != null);
    } finally {
      await stop();
    }

    const [row] = await deliveryRows(outbox.pool);
    expect(row).toMatchObject({ status: 'delivered', attempt: 2 });
    expect(receiver.received.map((hook) => hook.webhookId)).toEqual([row!.delivery_id, row!.delivery_id]);
    for (const hook of receiver.received) {
      expect(new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>)).toMatchObject({
        type: 'alert.raised',
        data: { alertId: 'a-1' },
      });
    }
    expect((await logEvents(outbox.store, 'AlertDelivered')).map((e) => e.data.deliveryId)).toEqual([row!.delivery_id]);
  });
});
