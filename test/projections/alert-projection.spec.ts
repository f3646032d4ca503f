import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { evaluateRules, type AlertDecision, type RepSituation } from '@salesledger/domain/alerts/alert-rules.policy';
import { DEFAULT_ALERT_SETTINGS } from '@salesledger/domain/alerts/alert-settings';
import { alertDecider, type AlertCommand } from '@salesledger/domain/alerts/alert.decider';
import { handleCommand } from '@salesledger/domain/command-handler';
import type { Actor, RecordedEvent } from '@salesledger/domain/event';
import { streams } from '@salesledger/domain/streams';
import { alertsProjection, applyAlertEvents } from '@salesledger/read-model/alert-projection';
import { migrateReadModel } from '@salesledger/read-model/migrate';
import { inTransaction } from '@salesledger/postgres/pool';
import { applyDelivered } from '@salesledger/read-model/projection-runner';
import { MemoryEventStore } from '../support/memory-event-store';
import { createDatabase, postgresServers } from '../support/postgres-servers';
import { dumpTables } from './tables';

const [embedded] = postgresServers();
const worker: Actor = { userId: 'alert-worker', role: 'system' };
const mia: Actor = { userId: 'mia', role: 'manager' };
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

/** Ana's pace in March 2026 as the real rule judges it: a warning on the 9th, critical on the 16th. */
function paceDecisions(): [AlertDecision, AlertDecision] {
  const situation: RepSituation = {
    repId: 'ana',
    teamId: 'north',
    hiredOn: '2026-01-05',
    leftOn: null,
    holidays: [],
    month: {
      target: '32000.00',
      targetPositions: [2],
      sales: [{ day: '2026-03-04', amount: '5500.00', positions: [3] }],
    },
    lastVisit: null,
    unsubmittedPapers: [],
    lostCustomers: [],
    unansweredRequests: [],
  };
  const pace = (now: string) =>
    evaluateRules(situation, DEFAULT_ALERT_SETTINGS, now).find(
      (d) => d.rule === 'pace-below-expected',
    ) as AlertDecision;
  return [pace('2026-03-09T09:00:00.000Z'), pace('2026-03-16T09:00:00.000Z')];
}

const [warning, critical] = paceDecisions();
const PACE = streams.alert('pace-below-expected', 'ana', '2026-03');
const VISIT = streams.alert('no-recent-visit', 'bo', '2026-03-02');
const noVisit: AlertDecision = {
  rule: 'no-recent-visit',
  repId: 'bo',
  teamId: 'south',
  period: '2026-03-02',
  severity: 'warning',
  evidence: {
    summary: 'No visit in 3 working days.',
    figures: { workingDaysWithoutVisit: 3, threshold: 3 },
    positions: [],
  },
};

/** Each step is one command through the real decider and command handler; returns the events each appended. */
async function life(steps: [string, Actor, AlertCommand][]): Promise<RecordedEvent[][]> {
  const store = new MemoryEventStore();
  const appended: RecordedEvent[][] = [];
  for (const [streamId, actor, command] of steps) {
    const before = (await store.readAll(null, 10_000)).length;
    const context = { commandId: randomUUID(), actor, correlationId: randomUUID(), now: new Date(command.now) };
    await handleCommand(store, streamId, alertDecider, command, context);
    appended.push((await store.readAll(null, 10_000)).slice(before));
  }
  return appended;
}

const STEPS: [string, Actor, AlertCommand][] = [
  [PACE, worker, { kind: 'raise', alertId: 'a-1', decision: warning, now: '2026-03-09T09:00:00.000Z' }],
  [VISIT, worker, { kind: 'raise', alertId: 'v-1', decision: noVisit, now: '2026-03-09T09:00:01.000Z' }],
  [PACE, worker, { kind: 'raise', alertId: 'a-9', decision: critical, now: '2026-03-16T09:00:00.000Z' }],
  [
    PACE,
    worker,
    {
      kind: 'record-delivery',
      alertId: 'a-1',
      channel: 'email',
      deliveryId: 'd-1',
      to: 'mia@example.com',
      now: '2026-03-16T09:00:05.000Z',
    },
  ],
  [PACE, worker, { kind: 'escalate', alertId: 'a-1', escalateAfterHours: 24, now: '2026-03-17T09:00:00.000Z' }],
  [PACE, mia, { kind: 'acknowledge', alertId: 'a-1', note: 'talking to Ana', now: '2026-03-17T10:00:00.000Z' }],
  [VISIT, worker, { kind: 'resolve', alertId: 'v-1', reason: 'condition-cleared', now: '2026-03-18T10:00:00.000Z' }],
  [PACE, worker, { kind: 'resolve', alertId: 'a-1', reason: 'period-ended', now: '2026-04-01T00:00:00.000Z' }],
  [PACE, worker, { kind: 'raise', alertId: 'a-2', decision: warning, now: '2026-04-01T00:00:01.000Z' }],
];

async function freshSchema(): Promise<string> {
  const schema = `alerts_spec_${++schemas}`;
  await migrateReadModel(database.url, schema);
  return schema;
}

const apply = (schema: string, events: readonly RecordedEvent[]) =>
  inTransaction(pool, (client) => applyAlertEvents(client, schema, events));

async function alertRow(schema: string, alertId: string) {
  const { rows } = await pool.query(`SELECT * FROM ${schema}.alerts WHERE alert_id = $1`, [alertId]);
  const { position: _position, stream_id: _stream, evidence: _evidence, ...row } = rows[0];
  const instants = Object.fromEntries(
    Object.entries(row).map(([column, value]) => [column, value instanceof Date ? value.toISOString() : value]),
  );
  return { ...instants, position: Number(rows[0].position), evidence: rows[0].evidence, streamId: rows[0].stream_id };
}

describe('the alerts projection', () => {
  let appended: RecordedEvent[][];
  beforeAll(async () => {
    appended = await life(STEPS);
  });
  const positionOf = (step: number) => (appended[step]?.at(-1) as RecordedEvent).position;

  it('follows an alert through its life, one row per alert and one per delivery', async () => {
    const schema = await freshSchema();
    const rowAfter = async (step: number, alertId = 'a-1') => {
      await apply(schema, appended[step]!);
      return alertRow(schema, alertId);
    };
    const raised = {
      alert_id: 'a-1',
      rule: 'pace-below-expected',
      rep_id: 'ana',
      team_id: 'north',
      period: '2026-03',
      severity: 'warning',
      status: 'open',
      raised_at: '2026-03-09T09:00:00.000Z',
      escalated_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
      acknowledgement_note: null,
      resolved_at: null,
      resolution_reason: null,
    };
    expect(await rowAfter(0)).toEqual({
      ...raised,
      evidence: warning.evidence,
      position: positionOf(0),
      streamId: PACE,
    });
    expect(warning.evidence.paceCurve?.length).toBeGreaterThan(0);
    expect(await rowAfter(1, 'v-1')).toMatchObject({ rep_id: 'bo', team_id: 'south', status: 'open', streamId: VISIT });

    // Turning critical keeps the id, and brings the new evidence.
    const severe = { ...raised, severity: 'critical' };
    expect(await rowAfter(2)).toEqual({
      ...severe,
      evidence: critical.evidence,
      position: positionOf(2),
      streamId: PACE,
    });

    expect(await rowAfter(3)).toMatchObject({ ...severe, position: positionOf(3) });
    const { rows: deliveries } = await pool.query(`SELECT * FROM ${schema}.alert_deliveries`);
    expect(deliveries).toEqual([
      {
        alert_id: 'a-1',
        delivery_id: 'd-1',
        channel: 'email',
        recipient: 'mia@example.com',
        delivered_at: new Date('2026-03-16T09:00:05.000Z'),
        position: String(positionOf(3)),
      },
    ]);

    // Escalated is a flag on an open alert, not a status of its own.
    const escalated = { ...severe, escalated_at: '2026-03-17T09:00:00.000Z' };
    expect(await rowAfter(4)).toMatchObject({ ...escalated, status: 'open', position: positionOf(4) });
    const acknowledged = {
      ...escalated,
      status: 'acknowledged',
      acknowledged_at: '2026-03-17T10:00:00.000Z',
      acknowledged_by: 'mia',
      acknowledgement_note: 'talking to Ana',
    };
    expect(await rowAfter(5)).toMatchObject({ ...acknowledged, position: positionOf(5) });
    expect(await rowAfter(6, 'v-1')).toMatchObject({ status: 'resolved', resolution_reason: 'condition-cleared' });
    const resolved = {
      ...acknowledged,
      status: 'resolved',
      resolved_at: '2026-04-01T00:00:00.000Z',
      resolution_reason: 'period-ended',
    };
    expect(await rowAfter(7)).toEqual({
      ...resolved,
      evidence: critical.evidence,
      position: positionOf(7),
      streamId: PACE,
    });

    // The condition returning on the same key is a new alert, on the same stream.
    expect(await rowAfter(8, 'a-2')).toMatchObject({ status: 'open', severity: 'warning', streamId: PACE });
    expect(await alertRow(schema, 'a-1')).toMatchObject(resolved);
  });

  it('changes nothing when a batch is applied twice, by itself or through the runner', async () => {
    const events = appended.flat();
    const once = await freshSchema();
    await apply(once, events);
    const twice = await freshSchema();
    await apply(twice, events);
    await apply(twice, events);
    await apply(twice, events.slice(2, 6));
    expect(await dumpTables(pool, twice)).toEqual(await dumpTables(pool, once));

    const delivered = await freshSchema();
    await applyDelivered(pool, alertsProjection, events, delivered);
    await applyDelivered(pool, alertsProjection, events, delivered);
    expect((await dumpTables(pool, delivered)).alerts).toEqual((await dumpTables(pool, once)).alerts);
  });

  it('stores the same rows whether the log comes in one batch, event by event, or streams interleaved otherwise', async () => {
    const events = appended.flat();
    const whole = await freshSchema();
    await apply(whole, events);
    const oneByOne = await freshSchema();
    for (const event of events) await apply(oneByOne, [event]);
    const byStream = await freshSchema();
    // A partitioned feed keeps each stream in order but may deliver the visit stream first.
    await applyDelivered(
      pool,
      alertsProjection,
      events.filter((e) => e.streamId === VISIT),
      byStream,
    );
    await applyDelivered(
      pool,
      alertsProjection,
      events.filter((e) => e.streamId === PACE),
      byStream,
    );
    const tables = await dumpTables(pool, whole, ['projection_checkpoints', 'applied_streams']);
    expect(await dumpTables(pool, oneByOne, ['projection_checkpoints', 'applied_streams'])).toEqual(tables);
    expect(await dumpTables(pool, byStream, ['projection_checkpoints', 'applied_streams'])).toEqual(tables);
  });

  it('ignores events that are not about alerts', async () => {
    const schema = await freshSchema();
    const [raise] = appended[0]!;
    await apply(schema, [{ ...raise!, type: 'AlertSettingsSet', data: { settings: {} } }]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.alerts`)).rows[0].n).toBe(0);
  });
});
