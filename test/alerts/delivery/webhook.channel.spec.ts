import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { WebhookConfig } from '@salesledger/alerts/delivery/delivery.config';
import type { Delivery } from '@salesledger/alerts/delivery/delivery.port';
import {
  WebhookChannel,
  WebhookSubscriptions,
  type WebhookSubscription,
} from '@salesledger/alerts/delivery/webhook.channel';
import type { ResolveHost } from '@salesledger/alerts/delivery/webhook-url.guard';
import { anAlert } from './alert-messages';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The receiver's answer per path; `/slow` never answers. */
function answer(path: string, res: ServerResponse): void {
  const replies: Record<string, () => void> = {
    '/ok': () => res.writeHead(204).end(),
    '/error': () => res.writeHead(500).end('boom'),
    '/throttled': () => res.writeHead(429, { 'retry-after': '3' }).end(),
    '/unavailable': () => res.writeHead(503, { 'retry-after': 'Mon, 09 Nov 2026 08:00:05 GMT' }).end(),
    '/gone': () => res.writeHead(410).end(),
    '/bad': () => res.writeHead(400).end(),
    '/moved': () => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end(),
  };
  replies[path]?.();
}

async function startReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(path, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, received, stop };
}

class InMemorySubscriptions extends WebhookSubscriptions {
  constructor(private readonly all: readonly WebhookSubscription[]) {
    super();
  }

  async find(id: string): Promise<WebhookSubscription | undefined> {
    return this.all.find((subscription) => subscription.id === id);
  }
}

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const loopbackAllowed: WebhookConfig = {
  timeoutMs: 300,
  maxAttempts: 8,
  urlGuard: { allowPrivateNetworks: true, allowedHosts: [] },
};

describe('WebhookChannel against a real HTTP receiver', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let subscriptions: InMemorySubscriptions;
  const paths = ['/ok', '/error', '/slow', '/throttled', '/unavailable', '/gone', '/bad', '/moved'];

  beforeAll(async () => {
    receiver = await startReceiver();
    const subscription = (path: string): WebhookSubscription => ({
      id: `sub${path.replace('/', '-')}`,
      url: `http://127.0.0.1:${receiver.port}${path}`,
      secret,
      severities: ['warning', 'critical'],
      enabled: true,
    });
    subscriptions = new InMemorySubscriptions([
      ...paths.map(subscription),
      { ...subscription('/ok'), id: 'sub-disabled', enabled: false },
      { ...subscription('/ok'), id: 'sub-warnings-only', severities: ['warning'] },
    ]);
  });

  afterAll(() => receiver.stop());
  beforeEach(() => receiver.received.splice(0));

  const deliver = (to: string, overrides: Partial<Delivery> = {}, config = loopbackAllowed, clock?: { now(): Date }) =>
    new WebhookChannel(subscriptions, config, clock).deliver({
      deliveryId: 'dlv-0001',
      attempt: 1,
      to,
      kind: 'alert',
      message: anAlert(),
      ...overrides,
    } as Delivery);

  it('posts the alert signed per Standard Webhooks, verifiable with the subscription secret', async () => {
    await expect(deliver('sub-ok')).resolves.toEqual({ outcome: 'delivered' });

    const [request] = receiver.received;
    const headers = request?.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe('dlv-0001');
    expect(headers['content-type']).toBe('application/json');
    expect(new Webhook(secret).verify(request?.body ?? '', headers)).toEqual({
      type: 'alert.raised',
      timestamp: expect.any(String),
      data: anAlert(),
    });
  });

  it('rejects a signature checked with another secret', async () => {
    await deliver('sub-ok');

    const [request] = receiver.received;
    const otherSecret = `whsec_${randomBytes(24).toString('base64')}`;
    expect(() =>
      new Webhook(otherSecret).verify(request?.body ?? '', request?.headers as Record<string, string>),
    ).toThrow();
  });

  it('sends an escalation as alert.escalated', async () => {
    await deliver('sub-ok', { kind: 'escalation' });

    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({ type: 'alert.escalated' });
  });

  it('retries with backoff on a 500', async () => {
    const outcome = await deliver('sub-error', { attempt: 2 });

    expect(outcome).toEqual({ outcome: 'retry', afterMs: expect.any(Number), reason: 'receiver answered 500' });
    expect(outcome.outcome === 'retry' && outcome.afterMs).toBeLessThan(2_000);
  });

  it('retries when the receiver does not answer within the timeout', async () => {
    await expect(deliver('sub-slow')).resolves.toEqual({
      outcome: 'retry',
      afterMs: expect.any(Number),
      reason: 'no answer within 300 ms',
    });
  });

  it('waits as long as Retry-After says on a 429', async () => {
    await expect(deliver('sub-throttled')).resolves.toEqual({
      outcome: 'retry',
      afterMs: 3_000,
      reason: 'receiver answered 429',
    });
  });

  it('reads Retry-After as an HTTP date on a 503', async () => {
    const clock = { now: () => new Date('2026-11-09T08:00:00Z') };

    await expect(deliver('sub-unavailable', {}, loopbackAllowed, clock)).resolves.toEqual({
      outcome: 'retry',
      afterMs: 5_000,
      reason: 'receiver answered 503',
    });
  });

  it('reports a 410 as gone, so the subscription is disabled', async () => {
    await expect(deliver('sub-gone')).resolves.toEqual({ outcome: 'gone', reason: 'receiver answered 410' });
  });

  it('fails for good on other 4xx answers', async () => {
    await expect(deliver('sub-bad')).resolves.toEqual({ outcome: 'failed', reason: 'receiver answered 400' });
  });

  it('does not follow a redirect, whose target was never checked', async () => {
    await expect(deliver('sub-moved')).resolves.toEqual({ outcome: 'failed', reason: 'receiver answered 302' });
  });

  it('retries when the connection is refused', async () => {
    const closed = await startReceiver();
    await closed.stop();
    const refused = new InMemorySubscriptions([
      { id: 'sub-closed', url: `http://127.0.0.1:${closed.port}/`, secret, severities: ['critical'], enabled: true },
    ]);

    const outcome = await new WebhookChannel(refused, loopbackAllowed).deliver({
      deliveryId: 'dlv-0001',
      attempt: 1,
      to: 'sub-closed',
      kind: 'alert',
      message: anAlert(),
    });

    expect(outcome).toEqual({
      outcome: 'retry',
      afterMs: expect.any(Number),
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('refuses a loopback receiver unless private networks or the host are allowed', async () => {
    const guarded = { ...loopbackAllowed, urlGuard: { allowPrivateNetworks: false, allowedHosts: [] } };
    const hostAllowed = { ...loopbackAllowed, urlGuard: { allowPrivateNetworks: false, allowedHosts: ['127.0.0.1'] } };

    await expect(deliver('sub-ok', {}, guarded)).resolves.toEqual({
      outcome: 'failed',
      reason: expect.stringContaining('127.0.0.1, which is not a public address'),
    });
    expect(receiver.received).toEqual([]);
    await expect(deliver('sub-ok', {}, hostAllowed)).resolves.toEqual({ outcome: 'delivered' });
  });

  it('reaches a receiver given by host name, and sends that name as Host', async () => {
    const byName = new InMemorySubscriptions([
      {
        id: 'sub-localhost',
        url: `http://localhost:${receiver.port}/ok`,
        secret,
        severities: ['critical'],
        enabled: true,
      },
    ]);

    const outcome = await new WebhookChannel(byName, loopbackAllowed).deliver({
      deliveryId: 'dlv-0001',
      attempt: 1,
      to: 'sub-localhost',
      kind: 'alert',
      message: anAlert(),
    });

    expect(outcome).toEqual({ outcome: 'delivered' });
    expect(receiver.received[0]?.headers.host).toBe(`localhost:${receiver.port}`);
  });

  it('connects to the address it checked rather than looking the host up again', async () => {
    const checked: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
    const config = {
      ...loopbackAllowed,
      urlGuard: { allowPrivateNetworks: false, allowedHosts: ['hooks.example.invalid'] },
    };
    const elsewhere = new InMemorySubscriptions([
      {
        id: 'sub-named',
        url: `http://hooks.example.invalid:${receiver.port}/ok`,
        secret,
        severities: ['critical'],
        enabled: true,
      },
    ]);

    const outcome = await new WebhookChannel(elsewhere, config, undefined, checked).deliver({
      deliveryId: 'dlv-0001',
      attempt: 1,
      to: 'sub-named',
      kind: 'alert',
      message: anAlert(),
    });

    expect(outcome).toEqual({ outcome: 'delivered' });
    expect(receiver.received[0]?.headers.host).toBe(`hooks.example.invalid:${receiver.port}`);
  });

  it.each([
    ['a disabled subscription', 'sub-disabled'],
    ['a subscription without the alert severity', 'sub-warnings-only'],
    ['an unknown subscription', 'sub-unknown'],
  ])('sends nothing to %s', async (_case, to) => {
    await expect(deliver(to)).resolves.toEqual({ outcome: 'failed', reason: expect.any(String) });
    expect(receiver.received).toEqual([]);
  });

  it('leaves digests to email', async () => {
    const outcome = await new WebhookChannel(subscriptions, loopbackAllowed).deliver({
      deliveryId: 'dlv-digest-1',
      attempt: 1,
      to: 'sub-ok',
      kind: 'digest',
      digest: { day: '2026-11-09', alerts: [anAlert()] },
    });

    expect(outcome).toEqual({ outcome: 'failed', reason: 'digests go by email, not by webhook' });
  });
});
