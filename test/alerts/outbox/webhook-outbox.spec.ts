import { Command } from 'commander';
import { Webhook } from 'standardwebhooks';
import type { WebhookConfig } from '@salesledger/alerts/delivery/delivery.config';
import type { DeliveryChannel } from '@salesledger/alerts/delivery/delivery.port';
import { WebhookChannel } from '@salesledger/alerts/delivery/webhook.channel';
import { claimDue } from '@salesledger/alerts/outbox/delivery-queue';
import { DeliverySender } from '@salesledger/alerts/outbox/delivery-sender';
import { AlertOutboxDispatcher } from '@salesledger/alerts/outbox/outbox-dispatcher';
import { WebhookSubscriptionService } from '@salesledger/alerts/outbox/webhook-subscription.service';
import { PostgresWebhookSubscriptions } from '@salesledger/alerts/outbox/webhook-subscriptions.adapter';
import type { EventStore } from '@salesledger/domain/event-store.port';
import { addAlertDeliveryCommands } from '../../../apps/salesledger/src/alert-deliveries.command';
import { postgresServers } from '../../support/postgres-servers';
import {
  decision,
  deliveryRows,
  escalate,
  FakeClock,
  nextDue,
  openOutbox,
  raise,
  register,
  type Outbox,
  until,
} from './outbox-fixture';
import { logEvents } from '../../support/events';
import { startWebhookReceiver, type Reply, type WebhookReceiver } from './webhook-receiver';

const [embedded] = postgresServers();
const ok: Reply = { status: 204 };
const LEASE_MS = 60_000;

/** 500s, then no answer, then 429 with Retry-After, then well again. */
function flaky(n: number): Reply {
  if (n <= 5) return { status: 500 };
  if (n === 6) return 'no answer';
  if (n === 7) return { status: 429, headers: { 'retry-after': '2' } };
  return ok;
}

describe('the alert delivery outbox, over webhooks', () => {
  let outbox: Outbox;
  let receiver: WebhookReceiver;
  let brokenFixed = false;
  const clock = new FakeClock(Date.now());
  const scripts: Record<string, (n: number) => Reply> = {
    '/flaky': flaky,
    '/ok': () => ok,
    '/gone': () => ({ status: 410 }),
    '/broken': () => (brokenFixed ? ok : { status: 500 }),
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver(
      (path, n) => scripts[path]?.(n) ?? { status: 404 },
      () => clock.now(),
    );
  });
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    receiver.reset();
    outbox = await openOutbox(embedded!);
    await register(outbox.store, {
      teams: [{ id: 't1', name: 'North' }],
      reps: ['r1', 'r2', 'r3', 'r4'].map((id) => ({ id, name: `Rep ${id}`, email: `${id}@example.com`, teamId: 't1' })),
    });
  });
  afterEach(() => outbox.close());

  const config = (maxAttempts = 8): WebhookConfig => ({
    timeoutMs: 300,
    maxAttempts,
    urlGuard: { allowPrivateNetworks: true, allowedHosts: [] },
  });
  // The channel signs with the real clock, so Webhook.verify (which checks the timestamp against now) accepts it.
  const channel = (maxAttempts?: number) =>
    new WebhookChannel(new PostgresWebhookSubscriptions(outbox.pool), config(maxAttempts));
  const subscriptions = () => new WebhookSubscriptionService(outbox.pool, config().urlGuard, clock);
  const dispatcher = (store: EventStore = outbox.store) =>
    new AlertOutboxDispatcher(store, outbox.pool, { email: false, clock });
  const sender = (channels: DeliveryChannel[] = [channel()], store: EventStore = outbox.store, batchSize = 10) =>
    new DeliverySender(outbox.pool, store, channels, { clock, leaseMs: LEASE_MS, batchSize });
  const raiseAt = (alertId: string, repId: string, overrides = {}) =>
    raise(outbox.store, alertId, decision({ repId, teamId: 't1', ...overrides }), clock.now());

  /** Sends until nothing is pending, moving the clock to the next due attempt between rounds. */
  async function sendUntilSettled(s: DeliverySender): Promise<void> {
    for (let round = 0; round < 50; round++) {
      await s.sendDue();
      const due = await nextDue(outbox.pool);
      if (!due) return;
      if (due > clock.now()) clock.set(due);
    }
    throw new Error('deliveries still pending after 50 rounds');
  }

  const postsOf = (webhookId: string) => receiver.received.filter((hook) => hook.webhookId === webhookId);
  const deliveredIds = async () => (await logEvents(outbox.store, 'AlertDelivered')).map((e) => e.data.deliveryId);

  it('delivers every alert exactly once through 500s, a timeout and a 429, each attempt signed and counted', async () => {
    const subscription = await subscriptions().create({ url: receiver.url('/flaky') });
    const alertIds = ['a-1', 'a-2', 'a-3', 'a-4'];
    for (const [i, id] of alertIds.entries()) {
      await raiseAt(id, `r${i + 1}`, { severity: i % 2 === 0 ? 'critical' : 'warning' });
    }

    await dispatcher().dispatchPending();
    await sendUntilSettled(sender());

    const hooks = receiver.received;
    for (const hook of hooks) {
      expect(() =>
        new Webhook(subscription.secret).verify(hook.body, hook.headers as Record<string, string>),
      ).not.toThrow();
    }
    expect(hooks.map((hook) => (hook.reply === 'no answer' ? hook.reply : hook.reply.status))).toEqual(
      expect.arrayContaining([500, 'no answer', 429, 204]),
    );
    const processed = receiver.processed();
    expect([...processed.values()].map((list) => list.length)).toEqual([1, 1, 1, 1]);
    const processedAlerts = [...processed.values()].map(([hook]) => JSON.parse(hook!.body).data.alertId).sort();
    expect(processedAlerts).toEqual(alertIds);
    const rows = await deliveryRows(outbox.pool);
    expect(rows.map((row) => [row.status, postsOf(row.delivery_id).length])).toEqual(
      rows.map((row) => ['delivered', row.attempt]),
    );
    expect((await deliveredIds()).sort()).toEqual(rows.map((row) => row.delivery_id).sort());
    const recorded = await logEvents(outbox.store, 'AlertDelivered');
    expect(recorded.every((e) => e.data.channel === 'webhook' && e.data.to === subscription.id)).toBe(true);
  });

  it('waits as long as Retry-After says before the next attempt', async () => {
    await subscriptions().create({ url: receiver.url('/flaky') });
    for (const [i, id] of ['a-1', 'a-2', 'a-3'].entries()) await raiseAt(id, `r${i + 1}`);

    await dispatcher().dispatchPending();
    await sendUntilSettled(sender());

    const throttled = receiver.received.find((hook) => hook.reply !== 'no answer' && hook.reply.status === 429);
    const attempts = postsOf(throttled!.webhookId);
    const next = attempts[attempts.indexOf(throttled!) + 1];
    expect(next!.at.getTime() - throttled!.at.getTime()).toBeGreaterThanOrEqual(2_000);
  });

  it('makes nothing twice when the log is dispatched and sent again', async () => {
    await subscriptions().create({ url: receiver.url('/ok') });
    await raiseAt('a-1', 'r1');
    await dispatcher().dispatchPending();
    await sendUntilSettled(sender());

    await outbox.pool.query(`UPDATE outbound.relay_checkpoints SET checkpoint = NULL WHERE name = 'alert-outbox'`);
    await dispatcher().dispatchPending();
    await sender().sendDue();
    await sender().recordDelivered();

    expect(await deliveryRows(outbox.pool)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    expect(await deliveredIds()).toHaveLength(1);
  });

  it('delivers once after the worker died between claiming a delivery and sending it', async () => {
    await subscriptions().create({ url: receiver.url('/ok') });
    await raiseAt('a-1', 'r1');
    await dispatcher().dispatchPending();
    // The dispatcher committed; the sender claimed the delivery, then the process was killed.
    const [claimed] = await claimDue(
      outbox.pool,
      clock.now(),
      new Date(clock.now().getTime() + LEASE_MS),
      ['webhook'],
      10,
    );
    expect(claimed?.attempt).toBe(1);

    const restarted = sender();
    expect(await restarted.sendDue()).toBe(0); // still leased to the dead worker
    clock.advance(LEASE_MS);
    expect(await restarted.sendDue()).toBe(1);

    expect(receiver.received.map((hook) => hook.webhookId)).toEqual([claimed!.deliveryId]);
    expect(await deliveredIds()).toEqual([claimed!.deliveryId]);
    expect(await restarted.sendDue()).toBe(0);
  });

  it('resends with the same webhook-id when the worker died after sending, and records AlertDelivered once', async () => {
    await subscriptions().create({ url: receiver.url('/ok') });
    await raiseAt('a-1', 'r1');
    await dispatcher().dispatchPending();
    const real = channel();
    // Sends, then the process freezes for good before it can mark the delivery delivered.
    const dying: DeliveryChannel = {
      name: 'webhook',
      maxAttempts: 8,
      deliver: async (delivery) => {
        await real.deliver(delivery);
        return new Promise(() => undefined);
      },
    };
    void sender([dying]).sendDue();
    await until(() => receiver.received.length === 1);

    clock.advance(LEASE_MS);
    expect(await sender().sendDue()).toBe(1);

    const [row] = await deliveryRows(outbox.pool);
    expect(receiver.received.map((hook) => hook.webhookId)).toEqual([row!.delivery_id, row!.delivery_id]);
    expect(receiver.processed().size).toBe(1);
    expect(row).toMatchObject({ status: 'delivered', attempt: 2 });
    expect(await deliveredIds()).toEqual([row!.delivery_id]);
  });

  it('records AlertDelivered later, without sending again, when the store was away after the send', async () => {
    await subscriptions().create({ url: receiver.url('/ok') });
    await raiseAt('a-1', 'r1');
    await dispatcher().dispatchPending();
    const storeAway = Object.assign(Object.create(outbox.store), {
      append: async () => {
        throw new Error('event store unavailable');
      },
    }) as EventStore;

    await sender([channel()], storeAway).sendDue();
    expect(await deliveryRows(outbox.pool)).toMatchObject([{ status: 'delivered', recorded_at: null }]);
    expect(await deliveredIds()).toEqual([]);

    const recovered = sender();
    expect(await recovered.sendDue()).toBe(0);
    expect(await recovered.recordDelivered()).toBe(1);
    expect(await recovered.recordDelivered()).toBe(0);
    expect(receiver.received).toHaveLength(1);
    expect(await deliveredIds()).toHaveLength(1);
  });

  it('dispatches a page in one transaction: a failure half-way leaves nothing, the retry everything', async () => {
    await subscriptions().create({ url: receiver.url('/ok') });
    const stream = await raiseAt('a-1', 'r1');
    clock.advance(25 * 3_600_000);
    await escalate(outbox.store, stream, 'a-1', clock.now());
    // Escalations read the alert's stream: make that read fail once, after the raise was dispatched.
    let failures = 1;
    const flakyStore = Object.assign(Object.create(outbox.store), {
      readStream: async (...args: [string, number?]) => {
        if (failures-- > 0) throw new Error('connection lost');
        return outbox.store.readStream(...args);
      },
    }) as EventStore;

    await expect(dispatcher(flakyStore).dispatchPending()).rejects.toThrow('connection lost');
    expect(await deliveryRows(outbox.pool)).toEqual([]);

    await dispatcher(flakyStore).dispatchPending();
    const rows = await deliveryRows(outbox.pool);
    expect(rows.map((row) => row.kind).sort()).toEqual(['alert', 'escalation']);
  });

  it('tells a critical-only subscription when a warning turns critical', async () => {
    const all = await subscriptions().create({ url: receiver.url('/ok') });
    const critical = await subscriptions().create({ url: receiver.url('/ok'), severities: ['critical'] });
    await raiseAt('a-1', 'r1', { severity: 'warning' });
    await dispatcher().dispatchPending();
    await raiseAt('a-ignored', 'r1', { severity: 'critical' }); // the active alert turns critical
    await dispatcher().dispatchPending();
    await sendUntilSettled(sender());

    const bodies = receiver.received.map((hook) => JSON.parse(hook.body));
    expect(bodies.map((body) => [body.type, body.data.alertId, body.data.severity]).sort()).toEqual([
      ['alert.raised', 'a-1', 'critical'],
      ['alert.raised', 'a-1', 'critical'],
      ['alert.raised', 'a-1', 'warning'],
    ]);
    const rows = await deliveryRows(outbox.pool);
    expect(rows.filter((row) => row.recipient === critical.id)).toHaveLength(1);
    expect(rows.filter((row) => row.recipient === all.id)).toHaveLength(2);
  });

  it('disables a subscription whose receiver answers 410, and cancels what was waiting for it', async () => {
    const gone = await subscriptions().create({ url: receiver.url('/gone') });
    const fine = await subscriptions().create({ url: receiver.url('/ok') });
    await raiseAt('a-1', 'r1');
    await raiseAt('a-2', 'r2');
    await dispatcher().dispatchPending();

    await sendUntilSettled(sender([channel()], outbox.store, 1));

    expect(receiver.received.filter((hook) => hook.path === '/gone')).toHaveLength(1);
    const listed = await subscriptions().list();
    expect(listed.find((s) => s.id === gone.id)).toMatchObject({
      enabled: false,
      disabledReason: 'receiver answered 410',
    });
    expect(listed.find((s) => s.id === fine.id)).toMatchObject({ enabled: true, disabledReason: null });
    const rows = await deliveryRows(outbox.pool);
    expect(rows.filter((row) => row.recipient === gone.id).map((row) => row.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(rows.filter((row) => row.recipient === fine.id).map((row) => row.status)).toEqual([
      'delivered',
      'delivered',
    ]);

    await raiseAt('a-3', 'r3');
    await dispatcher().dispatchPending();
    expect((await deliveryRows(outbox.pool)).filter((row) => row.recipient === gone.id)).toHaveLength(2);
  });

  it('dead-letters a delivery after its last attempt; `alerts deliveries replay` delivers it', async () => {
    brokenFixed = false;
    await subscriptions().create({ url: receiver.url('/broken') });
    await raiseAt('a-1', 'r1');
    await dispatcher().dispatchPending();
    const threeAttempts = sender([channel(3)]);
    await sendUntilSettled(threeAttempts);

    const [dead] = await deliveryRows(outbox.pool);
    expect(dead).toMatchObject({ status: 'dead', attempt: 3, last_error: 'receiver answered 500' });
    expect(postsOf(dead!.delivery_id)).toHaveLength(3);
    const cli = commandLine(outbox);
    await cli.run('alerts', 'deliveries', 'list', '--status', 'dead');
    expect(cli.out[0]).toMatch(/^DELIVERY ID +CHANNEL +KIND +RECIPIENT +ALERT +ATTEMPTS +CREATED +LAST ERROR$/);
    expect(cli.out[1]).toContain(dead!.delivery_id);
    expect(cli.out[1]).toMatch(/webhook +alert .* a-1 +3 .* receiver answered 500$/);

    brokenFixed = true;
    await cli.run('alerts', 'deliveries', 'replay', dead!.delivery_id, 'dlv_unknown');
    expect(cli.out.slice(-2)).toEqual([`replayed ${dead!.delivery_id}`, '1 delivery queued again']);
    expect(cli.err).toEqual(['not dead-lettered, left as they are: dlv_unknown']);
    expect(cli.exitCode).toBe(1);
    clock.set(new Date()); // the replay made it due at the wall-clock time

    await sendUntilSettled(threeAttempts);
    expect(await deliveryRows(outbox.pool)).toMatchObject([{ status: 'delivered', attempt: 1 }]);
    expect(postsOf(dead!.delivery_id)).toHaveLength(4);
    expect(await deliveredIds()).toEqual([dead!.delivery_id]);
  });
});

/** The `alerts deliveries` commands on the spec's database, their output captured. */
function commandLine(outbox: Outbox) {
  const out: string[] = [];
  const err: string[] = [];
  const state = { exitCode: 0 };
  const program = new Command('salesledger').exitOverride();
  addAlertDeliveryCommands(
    program.command('alerts'),
    async () => ({ pool: outbox.pool, close: async () => undefined }),
    { out: (line) => out.push(line), err: (line) => err.push(line), fail: (code) => (state.exitCode = code) },
  );
  return {
    out,
    err,
    get exitCode() {
      return state.exitCode;
    },
    run: (...args: string[]) => program.parseAsync(args, { from: 'user' }),
  };
}
