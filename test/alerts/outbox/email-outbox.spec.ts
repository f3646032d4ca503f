import pino from 'pino';
import { DEFAULT_SMTP_FROM } from '@salesledger/alerts/delivery/delivery.config';
import { EmailChannel } from '@salesledger/alerts/delivery/email.channel';
import { startAlertDelivery } from '@salesledger/alert-worker/alert-delivery';
import { DailyDigest } from '@salesledger/alerts/outbox/daily-digest';
import { DeliverySender } from '@salesledger/alerts/outbox/delivery-sender';
import { AlertOutboxDispatcher } from '@salesledger/alerts/outbox/outbox-dispatcher';
import { WebhookSubscriptionService } from '@salesledger/alerts/outbox/webhook-subscription.service';
import { READ_MODEL } from '@salesledger/postgres/schemas';
import { postgresServers } from '../../support/postgres-servers';
import {
  decision,
  deliveryRows,
  escalate,
  FakeClock,
  openOutbox,
  raise,
  register,
  type Outbox,
  until,
} from './outbox-fixture';
import { logEvents } from '../../support/events';
import { startSmtpReceiver, type SmtpReceiver } from '../../support/smtp-receiver';
import { startWebhookReceiver } from './webhook-receiver';

const [embedded] = postgresServers();

/** Team t1 is managed by Bea (its managerUserId) and Max (a manager of the team); t2 by Olga. */
const organisation = {
  teams: [
    { id: 't1', name: 'North', managerUserId: 'u-bea' },
    { id: 't2', name: 'South' },
  ],
  users: [
    { id: 'u-bea', name: 'Bea', email: 'bea@example.com', role: 'manager' as const },
    { id: 'u-max', name: 'Max', email: 'Max@Example.com', role: 'manager' as const, teamId: 't1' },
    { id: 'u-olga', name: 'Olga', email: 'olga@example.com', role: 'manager' as const, teamId: 't2' },
    { id: 'u-dora', name: 'Dora', email: 'dora@example.com', role: 'director' as const },
    { id: 'u-ana', name: 'Ana', email: 'ana@example.com', role: 'rep' as const, teamId: 't1', repId: 'r1' },
  ],
  reps: [
    { id: 'r1', name: 'Ana Ruiz', email: 'ana@example.com', teamId: 't1' },
    { id: 'r2', name: 'Bo Chen', email: 'bo@example.com', teamId: 't2' },
  ],
};

describe('the alert delivery outbox, by email', () => {
  let outbox: Outbox;
  let smtp: SmtpReceiver;
  let email: EmailChannel;
  const clock = new FakeClock(Date.parse('2026-11-10T06:00:00.000Z'));

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    email = new EmailChannel({ smtpUrl: smtp.url, from: DEFAULT_SMTP_FROM, timeoutMs: 5_000, maxAttempts: 8 });
  });
  afterAll(async () => {
    email.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    smtp.received.splice(0);
    clock.set('2026-11-10T06:00:00.000Z');
    outbox = await openOutbox(embedded!);
    await register(outbox.store, organisation);
  });
  afterEach(() => outbox.close());

  const dispatcher = () => new AlertOutboxDispatcher(outbox.store, outbox.pool, { email: true, clock });
  const sender = () => new DeliverySender(outbox.pool, outbox.store, [email], { clock });
  const mailsTo = (address: string) => smtp.received.filter((mail) => mail.recipients.includes(address));

  it('sends an alert to the managers of the rep team, and its escalation to the director', async () => {
    const stream = await raise(outbox.store, 'a-1', decision({ repId: 'r1', teamId: 't1' }), clock.now());
    await dispatcher().dispatchPending();
    await sender().sendDue();

    expect(smtp.received.map((mail) => mail.recipients).sort()).toEqual([['bea@example.com'], ['max@example.com']]);
    const [toBea] = mailsTo('bea@example.com');
    expect(toBea?.headers.get('subject')).toBe('[Salesledger] critical: Ana Ruiz is behind pace for 2026-11');
    const rows = await deliveryRows(outbox.pool);
    const beaRow = rows.find((row) => row.recipient === 'bea@example.com');
    expect(toBea?.headers.get('x-salesledger-delivery-id')).toBe(beaRow?.delivery_id);
    expect(toBea?.headers.get('message-id')).toBe(`<${beaRow?.delivery_id}@salesledger.local>`);

    clock.advance(25 * 3_600_000);
    await escalate(outbox.store, stream, 'a-1', clock.now());
    await dispatcher().dispatchPending();
    await sender().sendDue();

    const [toDora, ...more] = mailsTo('dora@example.com');
    expect(more).toEqual([]);
    expect(toDora?.headers.get('subject')).toBe(
      '[Salesledger] escalated critical: Ana Ruiz is behind pace for 2026-11',
    );
    expect(smtp.received).toHaveLength(3);
    const recorded = await logEvents(outbox.store, 'AlertDelivered');
    expect(recorded.map((e) => [e.data.channel, e.data.to]).sort()).toEqual([
      ['email', 'bea@example.com'],
      ['email', 'dora@example.com'],
      ['email', 'max@example.com'],
    ]);
  });

  async function openAlert(alertId: string, repId: string, teamId: string, status: string, severity = 'warning') {
    await outbox.pool.query(
      `INSERT INTO ${READ_MODEL}.alerts (alert_id, stream_id, rule, rep_id, team_id, period, severity, status,
         raised_at, evidence, position)
       VALUES ($1, $2, 'no-recent-visit', $3, $4, '2026-11-02', $5, $6, '2026-11-06T09:00:00Z', $7, 1)`,
      [
        alertId,
        `alert-no-recent-visit-${repId}-${alertId}`,
        repId,
        teamId,
        severity,
        status,
        {
          summary: `No visit by ${repId} since 2026-11-02.`,
          figures: { workingDaysWithoutVisit: 3 },
          positions: [1],
        },
      ],
    );
  }

  it('sends each manager one digest a day, however many workers make and send them', async () => {
    await dispatcher().dispatchPending(); // the recipients and rep names
    await openAlert('a-1', 'r1', 't1', 'open');
    await openAlert('a-2', 'r1', 't1', 'open', 'critical');
    await openAlert('a-3', 'r2', 't2', 'open');
    await openAlert('a-4', 'r1', 't1', 'resolved');
    const workers = [0, 1].map(() => ({ digest: new DailyDigest(outbox.pool, { clock }), sender: sender() }));

    clock.set('2026-11-10T06:59:59.000Z');
    expect(await Promise.all(workers.map((w) => w.digest.createDue()))).toEqual([0, 0]);
    clock.set('2026-11-10T07:00:30.000Z');
    const made = await Promise.all(workers.map((w) => w.digest.createDue()));
    await Promise.all(workers.map((w) => w.sender.sendDue()));

    expect(made.sort()).toEqual([0, 3]);
    expect(smtp.received.map((mail) => mail.recipients[0]).sort()).toEqual([
      'bea@example.com',
      'max@example.com',
      'olga@example.com',
    ]);
    const [toBea] = mailsTo('bea@example.com');
    expect(toBea?.headers.get('subject')).toBe('[Salesledger] 2 open alerts on 2026-11-10');
    expect(toBea?.text.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      '- critical: Ana Ruiz has made no visit since 2026-11-02 (raised 2026-11-06T09:00:00.000Z)',
      '- warning: Ana Ruiz has made no visit since 2026-11-02 (raised 2026-11-06T09:00:00.000Z)',
    ]);
    expect(mailsTo('olga@example.com')[0]?.headers.get('subject')).toBe('[Salesledger] 1 open alert on 2026-11-10');

    clock.set('2026-11-10T18:00:00.000Z');
    expect(await Promise.all(workers.map((w) => w.digest.createDue()))).toEqual([0, 0]);
    clock.set('2026-11-11T07:00:00.000Z');
    await Promise.all(workers.map((w) => w.digest.createDue()));
    await Promise.all(workers.map((w) => w.sender.sendDue()));
    expect(mailsTo('bea@example.com').map((mail) => mail.headers.get('subject'))).toEqual([
      '[Salesledger] 2 open alerts on 2026-11-10',
      '[Salesledger] 2 open alerts on 2026-11-11',
    ]);
    const digests = (await deliveryRows(outbox.pool)).filter((row) => row.kind === 'digest');
    expect(digests.map((row) => row.status)).toEqual(Array(6).fill('delivered'));
    expect(await logEvents(outbox.store, 'AlertDelivered')).toEqual([]); // a digest has no alert stream to record on
  });

  it('runs as two workers (startAlertDelivery) and still sends every alert once per recipient', async () => {
    const hooks = await startWebhookReceiver(
      () => ({ status: 204 }),
      () => new Date(),
    );
    const env = { SMTP_URL: smtp.url, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', ALERT_DIGEST_HOUR: '23' };
    await new WebhookSubscriptionService(outbox.pool, { allowPrivateNetworks: true, allowedHosts: [] }).create({
      url: hooks.url('/hooks'),
    });
    const runtime = { eventStore: outbox.store, readModel: outbox.pool };
    const log = pino({ level: 'silent' });
    const options = { env, dispatchIntervalMs: 10, sendIntervalMs: 10 };
    const stops = [startAlertDelivery(runtime, log, options), startAlertDelivery(runtime, log, options)];
    try {
      const now = new Date();
      for (const [i, rule] of (['plan-overdue', 'report-overdue', 'lost-customers'] as const).entries()) {
        await raise(outbox.store, `a-${i}`, decision({ rule, repId: 'r1', teamId: 't1', period: '2026-W46' }), now);
      }
      await until(async () => {
        const rows = await deliveryRows(outbox.pool);
        return rows.length === 9 && rows.every((row) => row.status === 'delivered' && row.recorded_at !== null);
      });
    } finally {
      await Promise.all(stops.map((stop) => stop()));
      await hooks.stop();
    }

    expect(mailsTo('bea@example.com')).toHaveLength(3);
    expect(mailsTo('max@example.com')).toHaveLength(3);
    expect(hooks.received).toHaveLength(3);
    expect(new Set(hooks.received.map((hook) => hook.webhookId)).size).toBe(3);
    expect(await logEvents(outbox.store, 'AlertDelivered')).toHaveLength(9);
  });
});
