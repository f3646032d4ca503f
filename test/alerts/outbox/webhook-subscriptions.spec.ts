import { Webhook } from 'standardwebhooks';
import { insertDeliveries } from '@salesledger/alerts/outbox/delivery-queue';
import { WebhookSubscriptionService } from '@salesledger/alerts/outbox/webhook-subscription.service';
import { PostgresWebhookSubscriptions } from '@salesledger/alerts/outbox/webhook-subscriptions.adapter';
import type { ResolveHost } from '@salesledger/alerts/delivery/webhook-url.guard';
import { ConflictError, InvalidInputError, NotFoundError } from '@salesledger/domain/errors';
import { inTransaction } from '@salesledger/postgres/pool';
import { postgresServers } from '../../support/postgres-servers';
import { deliveryRows, FakeClock, openOutbox, type Outbox } from './outbox-fixture';
import { anAlert } from '../delivery/alert-messages';

const [embedded] = postgresServers();
/** hooks.example.com is public; internal.example.com is on the private network. */
const resolve: ResolveHost = async (host) =>
  host === 'internal.example.com' ? [{ address: '10.0.0.7', family: 4 }] : [{ address: '93.184.215.14', family: 4 }];

describe('webhook subscriptions', () => {
  let outbox: Outbox;
  let service: WebhookSubscriptionService;
  const clock = new FakeClock(Date.parse('2026-11-10T08:00:00.000Z'));

  beforeAll(async () => {
    outbox = await openOutbox(embedded!);
    service = new WebhookSubscriptionService(
      outbox.pool,
      { allowPrivateNetworks: false, allowedHosts: [] },
      clock,
      resolve,
    );
  });
  afterAll(() => outbox.close());

  it('creates a subscription with a fresh Standard Webhooks secret, shown only at creation', async () => {
    const created = await service.create({ id: 'crm', url: 'https://hooks.example.com/salesledger' });

    expect(created).toEqual({
      id: 'crm',
      url: 'https://hooks.example.com/salesledger',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/),
      severities: ['warning', 'critical'],
      enabled: true,
      disabledReason: null,
      createdAt: '2026-11-10T08:00:00.000Z',
    });
    expect(Buffer.from(created.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    const signed = new Webhook(created.secret).sign('dlv_1', new Date(), '{}');
    expect(signed).toMatch(/^v1,/);
    const listed = (await service.list()).find((s) => s.id === 'crm');
    expect(listed).not.toHaveProperty('secret');
    expect(await new PostgresWebhookSubscriptions(outbox.pool).find('crm')).toMatchObject({ secret: created.secret });
  });

  it('generates an id when none is given, and keeps the severities asked for', async () => {
    const created = await service.create({ url: 'https://hooks.example.com/critical', severities: ['critical'] });

    expect(created.id).toMatch(/^whs_[0-9a-f-]{36}$/);
    expect(created.severities).toEqual(['critical']);
  });

  it('refuses a taken id with a conflict', async () => {
    await service.create({ id: 'taken', url: 'https://hooks.example.com/a' });

    await expect(service.create({ id: 'taken', url: 'https://hooks.example.com/b' })).rejects.toThrow(ConflictError);
  });

  it('names every problem of a request at once, the URL checked as deliveries will be', async () => {
    const refused = service.create({
      id: 'no spaces',
      url: 'http://internal.example.com/x',
      severities: ['info' as never],
    });

    await expect(refused).rejects.toThrow(InvalidInputError);
    const problems = (await refused.catch(
      (error: InvalidInputError) => error.problems,
    )) as InvalidInputError['problems'];
    expect(problems.map((p) => p.field)).toEqual(['id', 'severities', 'url']);
    expect(problems[2]?.message).toContain('10.0.0.7, which is not a public address');
    await expect(service.create({ url: 'ftp://hooks.example.com/' })).rejects.toThrow('only http: and https:');
  });

  it('deletes a subscription and cancels the deliveries waiting for it; an unknown one is a 404', async () => {
    const { id } = await service.create({ url: 'https://hooks.example.com/gone-soon' });
    const waiting = {
      deliveryId: 'dlv_waiting',
      alert: { alertId: 'a-1', streamId: 'alert-x' },
      channel: 'webhook' as const,
      recipient: id,
      kind: 'alert' as const,
      message: anAlert(),
      sourcePosition: 1,
    };
    await inTransaction(outbox.pool, (client) => insertDeliveries(client, [waiting], clock.now()));

    await service.delete(id);

    expect((await service.list()).map((s) => s.id)).not.toContain(id);
    expect(await deliveryRows(outbox.pool)).toMatchObject([
      { delivery_id: 'dlv_waiting', status: 'cancelled', last_error: 'the subscription was deleted' },
    ]);
    await expect(service.delete(id)).rejects.toThrow(NotFoundError);
  });
});
