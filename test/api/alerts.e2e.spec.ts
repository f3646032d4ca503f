import type { AlertDecision } from '@salesledger/domain/alerts/alert-rules.policy';
import { DEFAULT_ALERT_SETTINGS } from '@salesledger/domain/alerts/alert-settings';
import type { AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { streams } from '@salesledger/domain/streams';
import { REPORTING_ROLE } from '@salesledger/read-model/reporting';
import { asAlertWorker } from '../support/alert-worker';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { postgresServers } from '../support/postgres-servers';

const paceEvidence = {
  summary: 'Sold 2500.00 of 5000.00 expected after 5 of 22 working days of 2026-03: 50% of pace, below 70%.',
  figures: {
    target: '22000.00',
    actual: '2500.00',
    expected: '5000.00',
    pace: 0.5,
    threshold: 0.7,
    workingDaysCompleted: 5,
    workingDaysInMonth: 22,
  },
  paceCurve: [{ day: '2026-03-02', actual: '1000.00', expected: '1000.00' }],
  positions: [10, 11, 20, 21, 22],
};

const decision = (rule: AlertDecision['rule'], repId: string, teamId: string, period: string): AlertDecision => ({
  rule,
  repId,
  teamId,
  period,
  severity: rule === 'pace-below-expected' ? 'critical' : 'warning',
  evidence:
    rule === 'pace-below-expected'
      ? paceEvidence
      : { summary: `${rule} for ${repId}`, figures: { threshold: 3 }, positions: [5] },
});

const CONTRACT_FIRST = [
  'id',
  'rule',
  'repId',
  'period',
  'severity',
  'status',
  'raisedAt',
  'evidence',
  'teamId',
  'escalatedAt',
  'acknowledgedAt',
  'acknowledgedBy',
  'note',
  'resolvedAt',
  'resolution',
  'deliveries',
];

// The webhook case's receiver, allowed by name although it is loopback, as an operator allows a known host.
process.env.WEBHOOK_ALLOWED_HOSTS = 'localhost';

describe.each(postgresServers())('alert routes on $name', (server) => {
  let api: ApiUnderTest;
  const tokens: Record<string, string> = {};

  async function ok(response: Promise<{ status: number; body: any }>, status = 200) {
    const { status: actual, body } = await response;
    if (actual !== status) throw new Error(`expected ${status}, got ${actual}: ${JSON.stringify(body)}`);
    return body;
  }

  const worker = (streamId: string, command: AlertCommand) => asAlertWorker(api.runtime.eventStore, streamId, command);

  async function raise(alertId: string, d: AlertDecision, now: string): Promise<string> {
    const streamId = streams.alert(d.rule, d.repId, d.period);
    await worker(streamId, { kind: 'raise', alertId, decision: d, now });
    return streamId;
  }

  const ids = (alerts: { id: string }[]) => alerts.map((alert) => alert.id);
  const list = async (query = '', token?: string) => ids(await ok(api.call('GET', `/v1/alerts${query}`, token)));

  beforeAll(async () => {
    api = await startApi(server);
    await api.create('/v1/teams', { id: 'north', name: 'North' });
    await api.create('/v1/teams', { id: 'south', name: 'South' });
    await api.create('/v1/reps', { id: 'rep-a', name: 'Ada', email: 'ada@example.com', teamId: 'north' });
    await api.create('/v1/reps', { id: 'rep-b', name: 'Bo', email: 'bo@example.com', teamId: 'north' });
    await api.create('/v1/reps', { id: 'rep-c', name: 'Cy', email: 'cy@example.com', teamId: 'south' });
    for (const user of [
      { id: 'u-director', role: 'director' },
      { id: 'u-analyst', role: 'analyst' },
      { id: 'u-manager-n', role: 'manager', teamId: 'north' },
      { id: 'u-manager-s', role: 'manager', teamId: 'south' },
      { id: 'u-rep-a', role: 'rep', teamId: 'north', repId: 'rep-a' },
    ]) {
      tokens[user.id] = await api.userWithToken(user);
    }
    const pace = await raise(
      'al-pace',
      decision('pace-below-expected', 'rep-a', 'north', '2026-03'),
      '2026-03-09T09:00:00.000Z',
    );
    await worker(pace, {
      kind: 'record-delivery',
      alertId: 'al-pace',
      channel: 'email',
      deliveryId: 'dl-1',
      to: 'u-manager-n@example.com',
      now: '2026-03-09T09:00:04.000Z',
    });
    await raise('al-visit', decision('no-recent-visit', 'rep-b', 'north', '2026-03-02'), '2026-03-09T10:00:00.000Z');
    await raise('al-sla', decision('request-past-sla', 'rep-c', 'south', 'req-1'), '2026-03-09T11:00:00.000Z');
    const old = await raise(
      'al-old',
      decision('plan-overdue', 'rep-c', 'south', '2026-W09'),
      '2026-03-03T09:00:00.000Z',
    );
    await worker(old, {
      kind: 'resolve',
      alertId: 'al-old',
      reason: 'condition-cleared',
      now: '2026-03-04T09:00:00.000Z',
    });
    await api.project();
  });
  afterAll(() => api.close());

  it('lists alerts by status, newest raised first, with the contract fields first and the evidence as raised', async () => {
    expect(await list('?status=open')).toEqual(['al-sla', 'al-visit', 'al-pace']);
    expect(await list('?status=resolved')).toEqual(['al-old']);
    expect(await list()).toEqual(['al-sla', 'al-visit', 'al-pace', 'al-old']);
    expect(await list('?status=open&teamId=north&rule=pace-below-expected')).toEqual(['al-pace']);
    expect(await list('?repId=rep-c&limit=1')).toEqual(['al-sla']);

    const [pace] = await ok(api.call('GET', '/v1/alerts?repId=rep-a'));
    expect(Object.keys(pace)).toEqual(CONTRACT_FIRST);
    expect(pace).toEqual({
      id: 'al-pace',
      rule: 'pace-below-expected',
      repId: 'rep-a',
      period: '2026-03',
      severity: 'critical',
      status: 'open',
      raisedAt: '2026-03-09T09:00:00.000Z',
      evidence: paceEvidence,
      teamId: 'north',
      escalatedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      note: null,
      resolvedAt: null,
      resolution: null,
      deliveries: [{ channel: 'email', recipient: 'u-manager-n@example.com', deliveredAt: '2026-03-09T09:00:04.000Z' }],
    });
    expect(Object.keys(pace.evidence)).toEqual(['summary', 'figures', 'paceCurve', 'positions']);
    expect(await ok(api.call('GET', '/v1/alerts/al-pace'))).toEqual(pace);
    expect(await ok(api.call('GET', '/v1/alerts/al-old'))).toMatchObject({
      status: 'resolved',
      resolvedAt: '2026-03-04T09:00:00.000Z',
      resolution: 'condition-cleared',
    });
  });

  it("shows a manager their team's alerts, a rep their own, analysts and directors all", async () => {
    expect(await list('', tokens['u-manager-n'])).toEqual(['al-visit', 'al-pace']);
    expect(await list('', tokens['u-manager-s'])).toEqual(['al-sla', 'al-old']);
    expect(await list('', tokens['u-rep-a'])).toEqual(['al-pace']);
    expect(await list('', tokens['u-analyst'])).toEqual(['al-sla', 'al-visit', 'al-pace', 'al-old']);
    expect(await list('?status=open', tokens['u-director'])).toEqual(['al-sla', 'al-visit', 'al-pace']);
    // A filter narrows what one may see, never widens it.
    expect(await list('?teamId=south', tokens['u-manager-n'])).toEqual([]);
    expect(await list('?repId=rep-b', tokens['u-rep-a'])).toEqual([]);

    expect((await api.call('GET', '/v1/alerts/al-pace', tokens['u-rep-a'])).status).toBe(200);
    expect((await api.call('GET', '/v1/alerts/al-visit', tokens['u-rep-a'])).status).toBe(403);
    expect((await api.call('GET', '/v1/alerts/al-pace', tokens['u-manager-s'])).status).toBe(403);
    expect((await api.call('GET', '/v1/alerts/al-pace', tokens['u-analyst'])).status).toBe(200);
  });

  it('acknowledges with a note; a second acknowledgement leaves the first in place', async () => {
    const before = await api.eventCount();
    const acknowledged = await ok(
      api.call('POST', '/v1/alerts/al-visit/acknowledgement', tokens['u-manager-n'], { note: 'Bo is on leave' }),
    );
    expect(acknowledged).toMatchObject({
      id: 'al-visit',
      status: 'acknowledged',
      acknowledgedBy: 'u-manager-n',
      note: 'Bo is on leave',
      acknowledgedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(await api.eventCount()).toBe(before + 1);

    const again = await ok(
      api.call('POST', '/v1/alerts/al-visit/acknowledgement', tokens['u-director'], { note: 'seen it too' }),
    );
    expect(again).toEqual(acknowledged);
    expect(await api.eventCount()).toBe(before + 1);

    await api.project();
    expect(await ok(api.call('GET', '/v1/alerts/al-visit'))).toEqual(acknowledged);
    expect(await list('?status=acknowledged')).toEqual(['al-visit']);
    expect(await list('?status=open')).toEqual(['al-sla', 'al-pace']);
  });

  it('answers a retry with the same Idempotency-Key without appending, and acknowledges without a body', async () => {
    const url = `${await api.app.getUrl()}/v1/alerts/al-sla/acknowledgement`;
    const call = (body?: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens['u-manager-s']}`,
          'idempotency-key': 'ack-sla-1',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    const before = await api.eventCount();
    const first = await call();
    expect(first).toMatchObject({ status: 200, body: { status: 'acknowledged', note: null } });
    expect(await call()).toEqual(first);
    expect(await api.eventCount()).toBe(before + 1);
    // The same key for another request is refused rather than taken for a retry.
    expect((await call({ note: 'something else' })).status).toBe(409);
  });

  it('refuses to acknowledge a resolved alert (409), an unknown one (404), and acknowledgements by reps and analysts (403)', async () => {
    const before = await api.eventCount();
    const resolved = await api.call('POST', '/v1/alerts/al-old/acknowledgement', tokens['u-manager-s'], {});
    expect(resolved.status).toBe(409);
    expect(resolved.body.message).toContain('resolved');
    expect((await api.call('POST', '/v1/alerts/nope/acknowledgement', undefined, {})).status).toBe(404);
    expect((await api.call('GET', '/v1/alerts/nope')).status).toBe(404);
    expect((await api.call('POST', '/v1/alerts/al-pace/acknowledgement', tokens['u-rep-a'], {})).status).toBe(403);
    expect((await api.call('POST', '/v1/alerts/al-pace/acknowledgement', tokens['u-analyst'], {})).status).toBe(403);
    expect((await api.call('POST', '/v1/alerts/al-pace/acknowledgement', tokens['u-manager-s'], {})).status).toBe(403);
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses bad bodies and queries with field messages, appending nothing', async () => {
    const before = await api.eventCount();
    const tooLong = await api.call('POST', '/v1/alerts/al-pace/acknowledgement', undefined, { note: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields).toEqual([{ field: 'note', message: expect.stringContaining('2000') }]);
    for (const body of [{ note: 5 }, { note: 'ok', extra: true }, '{not json'])
      expect((await api.call('POST', '/v1/alerts/al-pace/acknowledgement', undefined, body)).status).toBe(400);
    expect(await api.eventCount()).toBe(before);

    const badStatus = await api.call('GET', '/v1/alerts?status=foo');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.fields).toEqual([{ field: 'status', message: expect.any(String) }]);
    for (const query of [
      '?rule=bananas',
      '?limit=0',
      '?limit=ten',
      '?repId=a%20b',
      '?colour=red',
      '?status=open&status=resolved',
    ])
      expect({ query, status: (await api.call('GET', `/v1/alerts${query}`)).status }).toEqual({ query, status: 400 });
    expect((await api.call('GET', '/v1/alerts/a%20b')).status).toBe(400);
  });

  it('shows the alerts to the reporting role in reporting.alerts, and nothing beneath it', async () => {
    await api.project();
    const client = await api.runtime.readModel.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE ${REPORTING_ROLE}`);
      const { rows } = await client.query(
        `SELECT alert_id, rule, rep_id, rep_name, team_id, period, severity, status, escalated, acknowledged_by,
           acknowledgement_note, resolution_reason, summary, evidence, deliveries, position
         FROM reporting.alerts ORDER BY alert_id`,
      );
      expect(rows.map((row) => [row.alert_id, row.status, row.rep_name, row.team_id])).toEqual([
        ['al-old', 'resolved', 'Cy', 'south'],
        ['al-pace', 'open', 'Ada', 'north'],
        ['al-sla', 'acknowledged', 'Cy', 'south'],
        ['al-visit', 'acknowledged', 'Bo', 'north'],
      ]);
      expect(rows[1]).toMatchObject({
        rule: 'pace-below-expected',
        severity: 'critical',
        escalated: false,
        summary: paceEvidence.summary,
        evidence: paceEvidence,
        deliveries: 1,
      });
      expect(rows[3]).toMatchObject({ acknowledged_by: 'u-manager-n', acknowledgement_note: 'Bo is on leave' });
      await client.query('SAVEPOINT beneath');
      await expect(client.query('SELECT * FROM read_model.alerts')).rejects.toThrow(/permission denied/);
      await client.query('ROLLBACK TO SAVEPOINT beneath');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('lets a director subscribe a webhook (secret shown once), list and delete it; refuses private URLs and non-directors', async () => {
    const created = await ok(
      api.call('POST', '/v1/alert-webhooks', tokens['u-director'], {
        id: 'wh-ops',
        url: 'http://localhost:8080/salesledger',
        severities: ['critical'],
      }),
      201,
    );
    expect(created).toMatchObject({
      id: 'wh-ops',
      url: 'http://localhost:8080/salesledger',
      severities: ['critical'],
      enabled: true,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const listed = await ok(api.call('GET', '/v1/alert-webhooks', tokens['u-director']));
    expect(listed).toEqual([expect.objectContaining({ id: 'wh-ops', enabled: true })]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    expect(
      (await api.call('POST', '/v1/alert-webhooks', tokens['u-director'], { id: 'wh-ops', url: created.url })).status,
    ).toBe(409);
    const privateUrl = await api.call('POST', '/v1/alert-webhooks', tokens['u-director'], {
      url: 'http://169.254.169.254/latest',
    });
    expect(privateUrl.status).toBe(400);
    expect(JSON.stringify(privateUrl.body)).toContain('url');
    const badSeverity = await api.call('POST', '/v1/alert-webhooks', tokens['u-director'], {
      url: created.url,
      severities: ['loud'],
    });
    expect(badSeverity.status).toBe(400);
    for (const user of ['u-manager-n', 'u-analyst', 'u-rep-a'])
      expect((await api.call('POST', '/v1/alert-webhooks', tokens[user], { url: created.url })).status).toBe(403);
    expect((await api.call('GET', '/v1/alert-webhooks', tokens['u-manager-n'])).status).toBe(403);

    expect((await api.call('DELETE', '/v1/alert-webhooks/wh-ops', tokens['u-director'])).status).toBe(204);
    expect((await api.call('DELETE', '/v1/alert-webhooks/wh-ops', tokens['u-director'])).status).toBe(404);
    expect(await ok(api.call('GET', '/v1/alert-webhooks'))).toEqual([]);
  });

  it('takes alert settings from a director as an audited event, refusing bad values field by field and other roles', async () => {
    const settings = {
      ...DEFAULT_ALERT_SETTINGS,
      rules: { ...DEFAULT_ALERT_SETTINGS.rules, 'lost-customers': { enabled: false, atLeast: 5 } },
      churnAfterDays: 120,
    };
    const before = await api.eventCount();
    const pace = { enabled: true, warningBelow: 0.6, criticalBelow: 0.7, afterWorkingDays: 5 };
    for (const [body, fields] of [
      [{ ...settings, escalateAfterHours: 0, churnAfterDays: 'soon' }, ['churnAfterDays', 'escalateAfterHours']],
      [
        { ...settings, rules: { ...settings.rules, 'pace-below-expected': pace } },
        ['rules.pace-below-expected.criticalBelow'],
      ],
    ] as const) {
      const bad = await api.call('PUT', '/v1/settings/alerts', tokens['u-director'], body);
      expect(bad.status).toBe(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(fields);
    }
    expect((await api.call('PUT', '/v1/settings/alerts', tokens['u-manager-n'], settings)).status).toBe(403);
    expect(await api.eventCount()).toBe(before);

    const changed = await ok(api.call('PUT', '/v1/settings/alerts', tokens['u-director'], settings));
    expect(changed.alerts).toEqual(settings);
    const [event] = (await api.runtime.eventStore.readStream('company-settings')).filter(
      (e) => e.type === 'AlertSettingsSet',
    );
    expect(event).toMatchObject({ data: settings, metadata: { actor: { userId: 'u-director', role: 'director' } } });
  });
});
