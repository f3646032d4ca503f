import { reconcile, type ActiveAlert, type Evaluation } from './alert-reconcile.policy';
import type { AlertDecision } from './alert-rules.policy';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from './alert-settings';

const NOW = '2026-03-12T10:00:00.000Z';
const newIds = () => {
  let next = 0;
  return () => `new-${++next}`;
};

const decision = (overrides: Partial<AlertDecision> = {}): AlertDecision => ({
  rule: 'pace-below-expected',
  repId: 'rep-1',
  teamId: 'team-1',
  period: '2026-03',
  severity: 'warning',
  evidence: { summary: 'behind', figures: {}, positions: [] },
  ...overrides,
});

const active = (overrides: Partial<ActiveAlert> = {}): ActiveAlert => ({
  alertId: 'a1',
  rule: 'pace-below-expected',
  repId: 'rep-1',
  period: '2026-03',
  severity: 'warning',
  status: 'open',
  raisedAt: '2026-03-12T09:00:00.000Z',
  escalated: false,
  ...overrides,
});

const run = (alerts: ActiveAlert[], evaluation: Evaluation, settings: AlertSettings = DEFAULT_ALERT_SETTINGS) =>
  reconcile(alerts, evaluation, NOW, settings, newIds());

const PACE_STREAM = 'alert-pace-below-expected-rep-1-2026-03';

describe('reconciling one evaluation with the active alerts', () => {
  it('given no alert for a decision, then it raises one with a new id on its own stream', () =>
    expect(run([], { repIds: ['rep-1'], decisions: [decision()] })).toEqual([
      { streamId: PACE_STREAM, command: { kind: 'raise', alertId: 'new-1', decision: decision(), now: NOW } },
    ]));

  it('given an active alert that still holds at the same or a lower severity, then nothing is to be done', () => {
    expect(run([active()], { repIds: ['rep-1'], decisions: [decision()] })).toEqual([]);
    expect(run([active({ severity: 'critical' })], { repIds: ['rep-1'], decisions: [decision()] })).toEqual([]);
  });

  it('given an active warning that now holds as critical, then it raises again under the same id (recorded as a severity change)', () => {
    const worse = decision({ severity: 'critical' });
    expect(run([active({ status: 'acknowledged' })], { repIds: ['rep-1'], decisions: [worse] })).toEqual([
      { streamId: PACE_STREAM, command: { kind: 'raise', alertId: 'a1', decision: worse, now: NOW } },
    ]);
  });

  it('given an active alert of an evaluated rep whose condition no longer holds, then it is resolved', () =>
    expect(run([active()], { repIds: ['rep-1'], decisions: [] })).toEqual([
      { streamId: PACE_STREAM, command: { kind: 'resolve', alertId: 'a1', reason: 'condition-cleared', now: NOW } },
    ]));

  it('given an active alert of a rep not evaluated this time, then it is left alone', () =>
    expect(run([active()], { repIds: ['rep-2'], decisions: [] })).toEqual([]));

  it('given a dry spell ended by a visit, then the old spell resolves and the new one, if long enough, is raised', () => {
    const oldSpell = active({ rule: 'no-recent-visit', period: '2026-03-02' });
    const newSpell = decision({ rule: 'no-recent-visit', period: '2026-03-05' });
    expect(
      run([oldSpell], { repIds: ['rep-1'], decisions: [newSpell] }).map((a) => [a.streamId, a.command.kind]),
    ).toEqual([
      ['alert-no-recent-visit-rep-1-2026-03-02', 'resolve'],
      ['alert-no-recent-visit-rep-1-2026-03-05', 'raise'],
    ]);
  });

  it("given last month's pace alert, then it resolves as period-ended, evaluated or not", () =>
    expect(run([active({ period: '2026-02' })], { repIds: [], decisions: [] })).toEqual([
      {
        streamId: 'alert-pace-below-expected-rep-1-2026-02',
        command: { kind: 'resolve', alertId: 'a1', reason: 'period-ended', now: NOW },
      },
    ]));

  it('given an overdue paper of an earlier week, then it stays active while the paper is still missing', () => {
    const paper = active({ rule: 'plan-overdue', period: '2026-W09' });
    const stillMissing = decision({ rule: 'plan-overdue', period: '2026-W09' });
    expect(run([paper], { repIds: ['rep-1'], decisions: [stillMissing] })).toEqual([]);
  });

  it('given an overdue paper of a week over two weeks back, then it resolves as period-ended', () =>
    expect(run([active({ rule: 'report-overdue', period: '2026-W08' })], { repIds: ['rep-1'], decisions: [] })).toEqual(
      [
        {
          streamId: 'alert-report-overdue-rep-1-2026-W08',
          command: { kind: 'resolve', alertId: 'a1', reason: 'period-ended', now: NOW },
        },
      ],
    ));

  it('given a rule switched off, then its active alerts resolve as rule-disabled and its decisions raise nothing', () => {
    const settings: AlertSettings = {
      ...DEFAULT_ALERT_SETTINGS,
      rules: {
        ...DEFAULT_ALERT_SETTINGS.rules,
        'lost-customers': { ...DEFAULT_ALERT_SETTINGS.rules['lost-customers'], enabled: false },
      },
    };
    const lost = active({ rule: 'lost-customers', repId: 'rep-2' });
    const evaluation = { repIds: ['rep-1'], decisions: [decision({ rule: 'lost-customers' })] };
    expect(run([lost], evaluation, settings)).toEqual([
      {
        streamId: 'alert-lost-customers-rep-2-2026-03',
        command: { kind: 'resolve', alertId: 'a1', reason: 'rule-disabled', now: NOW },
      },
    ]);
  });

  it('given an open alert raised 24 h ago and still holding, then it is escalated, evaluated or not', () => {
    const waiting = active({ raisedAt: '2026-03-11T10:00:00.000Z' });
    const escalation = {
      streamId: PACE_STREAM,
      command: { kind: 'escalate', alertId: 'a1', escalateAfterHours: 24, now: NOW },
    };
    expect(run([waiting], { repIds: ['rep-1'], decisions: [decision()] })).toEqual([escalation]);
    expect(run([waiting], { repIds: [], decisions: [] })).toEqual([escalation]);
  });

  it('given an alert not yet 24 h old, acknowledged, or escalated already, then it is not escalated', () => {
    const evaluation = { repIds: ['rep-1'], decisions: [decision()] };
    expect(run([active({ raisedAt: '2026-03-11T10:00:00.001Z' })], evaluation)).toEqual([]);
    const dayOld = '2026-03-11T10:00:00.000Z';
    expect(run([active({ raisedAt: dayOld, status: 'acknowledged' })], evaluation)).toEqual([]);
    expect(run([active({ raisedAt: dayOld, escalated: true })], evaluation)).toEqual([]);
  });

  it('given an overdue alert whose condition cleared, then it is resolved, not escalated', () =>
    expect(
      run([active({ raisedAt: '2026-03-10T10:00:00.000Z' })], { repIds: ['rep-1'], decisions: [] }).map(
        (a) => a.command.kind,
      ),
    ).toEqual(['resolve']));

  it('given two decisions for one key, then one alert is raised, at the higher severity', () =>
    expect(
      run([], { repIds: ['rep-1'], decisions: [decision(), decision({ severity: 'critical' }), decision()] }),
    ).toEqual([
      expect.objectContaining({
        command: expect.objectContaining({ kind: 'raise', decision: decision({ severity: 'critical' }) }),
      }),
    ]));
});
