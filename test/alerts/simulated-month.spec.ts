import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { AlertEvaluator } from '@salesledger/alerts/alert-evaluator';
import { alertDecider } from '@salesledger/domain/alerts/alert.decider';
import { handleCommand } from '@salesledger/domain/command-handler';
import { customerDecider } from '@salesledger/domain/customers/customer.decider';
import type { Decider, DomainEvent } from '@salesledger/domain/decider';
import type { Actor, JsonObject } from '@salesledger/domain/event';
import { orderDecider } from '@salesledger/domain/orders/order.decider';
import { teamDecider } from '@salesledger/domain/organisation/organisation.deciders';
import { repDecider } from '@salesledger/domain/organisation/rep.decider';
import { streams } from '@salesledger/domain/streams';
import { targetDecider } from '@salesledger/domain/targets/target.decider';
import { visitDecider } from '@salesledger/domain/visits/visit.decider';
import { ProjectionRunner } from '@salesledger/read-model/projection-runner';
import { PROJECTIONS } from '@salesledger/read-model/projections';
import { startApi, type ApiUnderTest } from '../support/api-app';
import { cliEnv, runCli, tempDataDir } from '../support/cli';
import { logEvents } from '../support/events';
import { postgresServers } from '../support/postgres-servers';

const director: Actor = { userId: 'dana', role: 'director' };
const manager: Actor = { userId: 'mia', role: 'manager' };
const rep: Actor = { userId: 'rob', role: 'rep' };

/** Working days of March 2026 (Monday 2nd to Tuesday 31st, no holidays): 22. */
const WORKING_DAYS = [
  '02',
  '03',
  '04',
  '05',
  '06',
  '09',
  '10',
  '11',
  '12',
  '13',
  '16',
  '17',
  '18',
  '19',
  '20',
  '23',
  '24',
];

/**
 * A month lived day by day with the clock of the simulation: the events of each day are recorded
 * at that day's instants, the read model catches up, and the worker's evaluation runs at 18:00.
 * Rob drifts behind his target, recovers, then sells but stops visiting; Sue does everything right.
 */
describe('lag alerts over a simulated month', () => {
  let api: ApiUnderTest;
  let evaluator: AlertEvaluator;
  let runners: ProjectionRunner[];

  async function run<Command extends JsonObject, Event extends DomainEvent, State>(
    streamId: string,
    decider: Decider<Command, Event, State>,
    actor: Actor,
    now: string,
    command: Command,
  ): Promise<void> {
    const commandId = randomUUID();
    await handleCommand(api.runtime.eventStore, streamId, decider, command, {
      commandId,
      actor,
      correlationId: commandId,
      now: new Date(now),
    });
  }

  const sell = (repId: string, day: string, amount: number) => {
    const id = `o-${repId}-${day}`;
    const order = {
      kind: 'place' as const,
      id,
      repId,
      customerId: `c-${repId}`,
      placedAt: `2026-03-${day}T11:00:00Z`,
      lines: [{ sku: 'SKU-1', category: 'tools', quantity: 1, unitPrice: amount.toFixed(2), discount: 0 }],
    };
    return run(streams.order(id), orderDecider, rep, `2026-03-${day}T11:05:00Z`, order);
  };
  const visit = (repId: string, day: string) => {
    const id = `v-${repId}-${day}`;
    const logged = { id, repId, customerId: `c-${repId}`, kind: 'existing-customer' as const };
    return run(streams.visit(id), visitDecider, rep, `2026-03-${day}T10:05:00Z`, {
      kind: 'log',
      visit: { ...logged, occurredAt: `2026-03-${day}T10:00:00Z` },
    });
  };

  async function evaluateAt(at: string): Promise<void> {
    for (const runner of runners) await runner.catchUp();
    const { actions } = await evaluator.evaluate(at);
    await evaluator.apply(actions, new Date(at));
    for (const runner of runners) await runner.catchUp();
  }

  beforeAll(async () => {
    api = await startApi(postgresServers()[0]!);
    evaluator = new AlertEvaluator(api.runtime.eventStore, api.runtime.readModel);
    runners = PROJECTIONS.map(
      (projection) =>
        new ProjectionRunner(api.runtime.eventStore, api.runtime.readModel, projection, {
          log: pino({ level: 'silent' }),
        }),
    );
    const start = '2026-02-27T08:00:00Z';
    await run(streams.team('north'), teamDecider, director, start, {
      id: 'north',
      name: 'North',
      managerUserId: 'mia',
    });
    for (const repId of ['rob', 'sue']) {
      const hire = { kind: 'hire' as const, id: repId, name: repId, email: `${repId}@example.com`, teamId: 'north' };
      await run(streams.rep(repId), repDecider, director, start, hire);
      const customer = {
        kind: 'register' as const,
        id: `c-${repId}`,
        name: 'A customer',
        repId,
        status: 'customer' as const,
      };
      await run(streams.customer(`c-${repId}`), customerDecider, director, start, customer);
      const target = { kind: 'set' as const, repId, month: '2026-03', amount: '22000.00', reason: 'plan' };
      await run(streams.target(repId, '2026-03'), targetDecider, director, start, target);
    }

    for (const day of WORKING_DAYS) {
      // Sue: 1,000 a day and a visit a day, all month.
      await sell('sue', day, 1000);
      await visit('sue', day);
      // Rob: on pace the first week, nothing the second until a big Friday; visits until the 13th, then
      // none until the 23rd while he keeps selling.
      if (day <= '06' || day >= '16') await sell('rob', day, 1000);
      if (day === '13') await sell('rob', day, 4000);
      if (day <= '13' || day >= '23') await visit('rob', day);
      if (day === '20') {
        // The manager reads the no-visit alert in the morning and acknowledges it: it must not escalate.
        const open = (await evaluator.activeAlerts()).find((a) => a.rule === 'no-recent-visit');
        if (open)
          await run(streams.alert(open.rule, open.repId, open.period), alertDecider, manager, '2026-03-20T09:00:00Z', {
            kind: 'acknowledge',
            alertId: open.alertId,
            note: 'On leave two days, back Monday',
            now: '2026-03-20T09:00:00Z',
          });
      }
      await evaluateAt(`2026-03-${day}T18:00:00.000Z`);
    }
  }, 240_000);
  afterAll(() => api.close());

  it('raises, escalates, worsens and resolves exactly the alerts the month deserves', async () => {
    const story: string[] = [];
    for (const event of await logEvents(api.runtime.eventStore)) {
      if (!event.type.startsWith('Alert')) continue;
      const d = event.data as Record<string, string>;
      const key = event.streamId.replace(/^alert-/, '');
      const detail = d.severity ?? d.to ?? d.reason ?? d.note ?? '';
      story.push(`${event.metadata.recordedAt.slice(5, 16)} ${event.type} ${key} ${detail}`.trim());
    }
    expect(story).toEqual([
      // 6 completed working days, 5,000 of 6,000 expected: 83% of pace.
      '03-10T18:00 AlertRaised pace-below-expected-rob-2026-03 warning',
      // Nobody acknowledged it for 24 h: the director hears of it.
      '03-11T18:00 AlertEscalated pace-below-expected-rob-2026-03',
      // 8 completed working days, 5,000 of 8,000: 62.5%, below 70%.
      '03-12T18:00 AlertSeverityChanged pace-below-expected-rob-2026-03 critical',
      // The big Friday: 9,000 of 9,000.
      '03-13T18:00 AlertResolved pace-below-expected-rob-2026-03 condition-cleared',
      // Last visit Friday 13th; Monday 16th, Tuesday 17th, Wednesday 18th without one.
      '03-19T18:00 AlertRaised no-recent-visit-rob-2026-03-13 warning',
      '03-20T09:00 AlertAcknowledged no-recent-visit-rob-2026-03-13 On leave two days, back Monday',
      // Visiting again on the 23rd.
      '03-23T18:00 AlertResolved no-recent-visit-rob-2026-03-13 condition-cleared',
    ]);
  });

  it('explains each alert with the figures compared and the events behind them', async () => {
    const raised = await logEvents(api.runtime.eventStore, 'AlertRaised');
    const pace = raised.find((event) => event.data.rule === 'pace-below-expected')!.data as any;
    expect(pace.evidence.figures).toMatchObject({
      target: '22000.00',
      actual: '5000.00',
      expected: '6000.00',
      threshold: 0.85,
    });
    expect(pace.evidence.paceCurve).toHaveLength(6);
    // The target's event and the five orders behind the actual figure.
    expect(pace.evidence.positions).toHaveLength(6);
    const orders = (await logEvents(api.runtime.eventStore, 'OrderPlaced')).filter((event) =>
      event.streamId.startsWith('order-o-rob'),
    );
    for (const order of orders.slice(0, 5)) expect(pace.evidence.positions).toContain(order.position);
  });

  it('is what `alerts backtest` reports for the month, rule by rule, appending nothing', async () => {
    const env = cliEnv({ EVENT_STORE_URL: api.runtime.databaseUrl, LOG_LEVEL: 'warn' });
    const before = await api.eventCount();
    const json = await runCli(
      ['alerts', 'backtest', '--from', '2026-03-02', '--to', '2026-03-24', '--time', '18:00', '--json'],
      env,
    );
    expect(json.code).toBe(0);
    const { rules } = JSON.parse(json.stdout);
    expect(rules['pace-below-expected']).toEqual({
      raised: 1,
      becameCritical: 1,
      escalatedIfUnacknowledged: 1,
      resolved: 1,
      reps: 1,
      openAtEnd: 0,
    });
    // Nobody acknowledges in a back-test: the no-visit alert escalates on the 20th.
    expect(rules['no-recent-visit']).toEqual({
      raised: 1,
      becameCritical: 0,
      escalatedIfUnacknowledged: 1,
      resolved: 1,
      reps: 1,
      openAtEnd: 0,
    });
    for (const rule of ['plan-overdue', 'report-overdue', 'lost-customers', 'request-past-sla'])
      expect(rules[rule]).toMatchObject({ raised: 0 });

    const table = await runCli(
      ['alerts', 'backtest', '--from', '2026-03-02', '--to', '2026-03-24', '--time', '18:00'],
      env,
    );
    expect(table.stdout).toMatch(/^pace-below-expected +1 +1 +1 +1 +1 +0$/m);
    // Stricter settings tried before turning them on, the file holding only what changes: a warning from 95% of pace.
    const dir = await tempDataDir();
    const file = join(dir, 'stricter.json');
    await writeFile(file, JSON.stringify({ rules: { 'pace-below-expected': { warningBelow: 0.95 } } }));
    const tried = await runCli(
      [
        'alerts',
        'backtest',
        '--from',
        '2026-03-02',
        '--to',
        '2026-03-24',
        '--time',
        '18:00',
        '--settings',
        file,
        '--json',
      ],
      env,
    );
    expect(JSON.parse(tried.stdout).rules['pace-below-expected'].raised).toBeGreaterThanOrEqual(1);
    // The other rules keep the settings in force: the no-visit alert is as without the file.
    expect(JSON.parse(tried.stdout).rules['no-recent-visit']).toEqual(rules['no-recent-visit']);
    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ rules: { 'pace-below-expected': { warningBelo: 0.95 } } }));
    const refused = await runCli(
      ['alerts', 'backtest', '--from', '2026-03-02', '--to', '2026-03-03', '--settings', typo],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('rules.pace-below-expected.warningBelo: is not a setting');
    expect((await runCli(['alerts', 'backtest', '--from', '2026-03-24', '--to', '2026-03-02'], env)).code).toBe(2);
    expect(await api.eventCount()).toBe(before);
  }, 120_000);

  it('is what `alerts evaluate --at` prints for an instant, as a dry run', async () => {
    const env = cliEnv({ EVENT_STORE_URL: api.runtime.databaseUrl, LOG_LEVEL: 'warn' });
    const before = await api.eventCount();
    const { code, stdout } = await runCli(['alerts', 'evaluate', '--at', '2026-03-12T18:00:00Z', '--json'], env);
    expect(code).toBe(0);
    const evaluation = JSON.parse(stdout);
    expect(evaluation.decisions).toEqual([
      expect.objectContaining({ rule: 'pace-below-expected', repId: 'rob', period: '2026-03', severity: 'critical' }),
    ]);
    expect(await api.eventCount()).toBe(before);
    expect((await runCli(['alerts', 'evaluate', '--at', 'yesterday'], env)).code).toBe(2);
  }, 60_000);
});
