import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { AlertDecision } from '@salesledger/domain/alerts/alert-rules.policy';
import type { AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { streams } from '@salesledger/domain/streams';
import { asAlertWorker } from '../support/alert-worker';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

/** An open GET /v1/alerts/stream: the events received so far, and a way to wait for one. */
interface Subscription {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: EventSourceMessage[];
  next(match: (event: EventSourceMessage) => boolean, ms?: number): Promise<EventSourceMessage>;
  /** Settles when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

describe.each(postgresServers())('the alert stream on $name', (server) => {
  let api: ApiUnderTest;
  let base: string;
  const tokens: Record<string, string> = {};
  const open: Subscription[] = [];

  async function subscribe(token: string): Promise<Subscription> {
    const abort = new AbortController();
    const response = await fetch(`${base}/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    const events: EventSourceMessage[] = [];
    const waiting = new Set<() => void>();
    const parser = createParser({
      onEvent: (event) => {
        events.push(event);
        waiting.forEach((wake) => wake());
      },
    });
    let ended: Promise<void> = Promise.resolve();
    if (response.body) {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      ended = (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          parser.feed(value);
        }
      })().catch(() => undefined);
    }
    const subscription: Subscription = {
      status: response.status,
      contentType: response.headers.get('content-type'),
      events,
      next: (match, ms = 30_000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const found = events.find(match);
            if (!found) return;
            clearTimeout(timer);
            waiting.delete(check);
            resolve(found);
          };
          const timer = setTimeout(() => {
            waiting.delete(check);
            reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`));
          }, ms);
          waiting.add(check);
          check();
        }),
      close: () => abort.abort(),
      ended,
    };
    open.push(subscription);
    return subscription;
  }

  const worker = (streamId: string, command: AlertCommand) => asAlertWorker(api.runtime.eventStore, streamId, command);

  /** As the alert worker raises one; then the projector applies it. */
  async function raise(alertId: string, repId: string, teamId: string, period: string): Promise<void> {
    const decision: AlertDecision = {
      rule: 'no-recent-visit',
      repId,
      teamId,
      period,
      severity: 'warning',
      evidence: { summary: `no visit by ${repId}`, figures: { threshold: 3, daysSinceVisit: 5 }, positions: [1] },
    };
    await worker(streams.alert(decision.rule, repId, period), {
      kind: 'raise',
      alertId,
      decision,
      now: new Date().toISOString(),
    });
    await api.project();
  }

  beforeAll(async () => {
    api = await startApi(server);
    base = await api.app.getUrl();
    await api.create('/v1/teams', { id: 'north', name: 'North' });
    await api.create('/v1/teams', { id: 'south', name: 'South' });
    await api.create('/v1/reps', { id: 'rep-a', name: 'Ada', email: 'ada@example.com', teamId: 'north' });
    await api.create('/v1/reps', { id: 'rep-c', name: 'Cy', email: 'cy@example.com', teamId: 'south' });
    for (const user of [
      { id: 'u-director', role: 'director' },
      { id: 'u-manager-n', role: 'manager', teamId: 'north' },
      { id: 'u-rep-a', role: 'rep', teamId: 'north', repId: 'rep-a' },
    ]) {
      tokens[user.id] = await api.userWithToken(user);
    }
    // An alert from before anyone subscribed: not news to a new subscriber.
    await raise('al-before', 'rep-a', 'north', '2026-03-01');
  });

  afterAll(async () => {
    open.forEach((subscription) => subscription.close());
    await api.close();
  });

  it('refuses a caller without a valid token', async () => {
    const response = await fetch(`${base}/v1/alerts/stream`, { headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
  });

  it('sends each alert raised and acknowledged, within what the caller may see', async () => {
    const director = await subscribe(tokens['u-director']!);
    const manager = await subscribe(tokens['u-manager-n']!);
    const rep = await subscribe(tokens['u-rep-a']!);
    expect(director.status).toBe(200);
    expect(director.contentType).toMatch(/^text\/event-stream/);

    await raise('al-south', 'rep-c', 'south', '2026-03-02');
    await raise('al-north', 'rep-a', 'north', '2026-03-02');

    const raisedSouth = await director.next((e) => e.event === 'alert.raised' && e.id === 'al-south');
    expect(JSON.parse(raisedSouth.data)).toMatchObject({ id: 'al-south', status: 'open', teamId: 'south' });
    await manager.next((e) => e.id === 'al-north');
    await rep.next((e) => e.id === 'al-north');

    // A delivery moves the alert on but changes nothing a subscriber is told of.
    await worker(streams.alert('no-recent-visit', 'rep-a', '2026-03-02'), {
      kind: 'record-delivery',
      alertId: 'al-north',
      channel: 'email',
      deliveryId: 'dl-north',
      to: 'u-manager-n@example.com',
      now: new Date().toISOString(),
    });
    await api.project();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a poll or more

    const acknowledged = await api.call('POST', '/v1/alerts/al-north/acknowledgement', tokens['u-manager-n'], {
      note: 'on it',
    });
    expect(acknowledged.status).toBe(200);
    await api.project();
    const ack = await rep.next((e) => e.event === 'alert.acknowledged' && e.id === 'al-north');
    expect(JSON.parse(ack.data)).toMatchObject({
      status: 'acknowledged',
      note: 'on it',
      acknowledgedBy: 'u-manager-n',
    });
    await director.next((e) => e.event === 'alert.acknowledged' && e.id === 'al-north');

    // Another team's alert never reaches the north manager or the rep; the old one reaches no one.
    const seen = (subscription: Subscription) => subscription.events.map((e) => `${e.event} ${e.id}`);
    expect(seen(manager)).toEqual(['alert.raised al-north', 'alert.acknowledged al-north']);
    expect(seen(rep)).toEqual(['alert.raised al-north', 'alert.acknowledged al-north']);
    expect(seen(director)).not.toContain('alert.raised al-before');
  });

  it('ends when its token is revoked', async () => {
    const issued = (await api.call('POST', '/v1/users/u-rep-a/tokens', undefined, { label: 'to revoke' })).body;
    const subscription = await subscribe(issued.token);
    expect(subscription.status).toBe(200);
    await api.project(); // the token list the revocation looks in is a projection
    const revoked = await api.call('DELETE', `/v1/users/u-rep-a/tokens/${issued.tokenId}`);
    expect(revoked.status).toBe(204);
    const ended = await Promise.race([
      subscription.ended.then(() => 'ended'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 12_000)),
    ]);
    expect(ended).toBe('ended');
  }, 20_000);

  it('is described in the OpenAPI document as an event stream', async () => {
    const doc = (await api.call('GET', '/docs/openapi.json')).body;
    const operation = doc.paths['/v1/alerts/stream'].get;
    expect(operation.summary).toMatch(/Server-sent events/);
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
    expect(operation.responses['401']).toBeDefined();
  });
});
