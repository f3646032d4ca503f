import { ALERT_RULES, evaluateRules, type RepSituation } from './alert-rules.policy';
import { ALERT_RULE_IDS, DEFAULT_ALERT_SETTINGS, type AlertRuleId, type AlertSettings } from './alert-settings';

// March 2026 starts on a Sunday: 22 working days, Mondays on the 2nd, 9th, 16th, 23rd and 30th.
const rep = (situation: Partial<RepSituation> = {}): RepSituation => ({
  repId: 'rep-1',
  teamId: 'team-1',
  hiredOn: '2025-01-06',
  leftOn: null,
  holidays: [],
  month: { target: null, targetPositions: [], sales: [] },
  lastVisit: null,
  unsubmittedPapers: [],
  lostCustomers: [],
  unansweredRequests: [],
  ...situation,
});

type Tuning = { [id in AlertRuleId]?: Partial<AlertSettings['rules'][id]> };
const settings = (tuning: Tuning): AlertSettings => ({
  ...DEFAULT_ALERT_SETTINGS,
  rules: Object.fromEntries(
    ALERT_RULE_IDS.map((id) => [id, { ...DEFAULT_ALERT_SETTINGS.rules[id], ...tuning[id] }]),
  ) as AlertSettings['rules'],
});

/** 1000.00 a working day in March 2026, and `sold` sold on the 2nd. */
const behind = (sold: string, situation: Partial<RepSituation> = {}) =>
  rep({
    month: { target: '22000.00', targetPositions: [10], sales: [{ day: '2026-03-02', amount: sold, positions: [20] }] },
    ...situation,
  });

const pace = ALERT_RULES['pace-below-expected'];
const MONDAY_9TH = '2026-03-09T10:00:00.000Z';

describe('the pace-below-expected rule', () => {
  it('given 5 completed working days and 4250.00 sold of 5000.00 expected (85%), when evaluated, then it stays quiet', () =>
    expect(pace(behind('4250.00'), DEFAULT_ALERT_SETTINGS, MONDAY_9TH)).toEqual([]));

  it('given a cent less than 85% of expected, when evaluated, then it warns about the month', () =>
    expect(pace(behind('4249.99'), DEFAULT_ALERT_SETTINGS, MONDAY_9TH)).toEqual([
      expect.objectContaining({ rule: 'pace-below-expected', repId: 'rep-1', period: '2026-03', severity: 'warning' }),
    ]));

  it('given exactly 70% of expected, when evaluated, then it is a warning, and a cent less is critical', () => {
    expect(pace(behind('3500.00'), DEFAULT_ALERT_SETTINGS, MONDAY_9TH)[0]?.severity).toBe('warning');
    expect(pace(behind('3499.99'), DEFAULT_ALERT_SETTINGS, MONDAY_9TH)[0]?.severity).toBe('critical');
  });

  it('given a critical pace, when evaluated, then the evidence explains it with figures, curve and events', () => {
    const situation = behind('1000.00', {
      month: {
        target: '22000.00',
        targetPositions: [10, 11],
        sales: [
          { day: '2026-03-02', amount: '1000.00', positions: [20] },
          { day: '2026-03-07', amount: '500.00', positions: [21] },
          { day: '2026-03-09', amount: '1000.00', positions: [22, 23] },
        ],
      },
    });
    const [decision] = pace(situation, DEFAULT_ALERT_SETTINGS, MONDAY_9TH);
    expect(decision).toEqual({
      rule: 'pace-below-expected',
      repId: 'rep-1',
      teamId: 'team-1',
      period: '2026-03',
      severity: 'critical',
      evidence: {
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
        paceCurve: [
          { day: '2026-03-02', actual: '1000.00', expected: '1000.00' },
          { day: '2026-03-03', actual: '1000.00', expected: '2000.00' },
          { day: '2026-03-04', actual: '1000.00', expected: '3000.00' },
          { day: '2026-03-05', actual: '1000.00', expected: '4000.00' },
          { day: '2026-03-06', actual: '1000.00', expected: '5000.00' },
        ],
        positions: [10, 11, 20, 21, 22, 23],
      },
    });
  });

  it('given only 4 working days completed (Friday the 6th, today not counted), when evaluated, then it waits', () =>
    expect(pace(behind('0.00'), DEFAULT_ALERT_SETTINGS, '2026-03-06T17:00:00.000Z')).toEqual([]));

  it('given a holiday in the first week, when evaluated on Monday the 9th, then only 4 working days count', () => {
    const withHoliday = behind('0.00', { holidays: ['2026-03-04'] });
    expect(pace(withHoliday, DEFAULT_ALERT_SETTINGS, MONDAY_9TH)).toEqual([]);
    const [decision] = pace(withHoliday, DEFAULT_ALERT_SETTINGS, '2026-03-10T10:00:00.000Z');
    expect(decision?.evidence.figures).toMatchObject({ workingDaysCompleted: 5, workingDaysInMonth: 21 });
  });

  it('given no target for the month, or a target of 0, when evaluated, then there is no pace to be behind', () => {
    expect(pace(rep(), DEFAULT_ALERT_SETTINGS, MONDAY_9TH)).toEqual([]);
    const zero = rep({ month: { target: '0.00', targetPositions: [10], sales: [] } });
    expect(pace(zero, DEFAULT_ALERT_SETTINGS, MONDAY_9TH)).toEqual([]);
  });

  it("given a new month, when evaluated, then last month's sales do not count and the count starts again", () => {
    const april = (now: string) =>
      pace(
        rep({
          month: {
            target: '22000.00',
            targetPositions: [],
            sales: [{ day: '2026-03-31', amount: '99999.00', positions: [1] }],
          },
        }),
        DEFAULT_ALERT_SETTINGS,
        now,
      );
    expect(april('2026-04-01T10:00:00.000Z')).toEqual([]);
    // 1, 2, 3, 6 and 7 April are the first 5 working days.
    expect(april('2026-04-08T10:00:00.000Z')).toEqual([
      expect.objectContaining({ period: '2026-04', severity: 'critical' }),
    ]);
  });

  it('given tuned thresholds, when evaluated, then they apply', () => {
    const strict = settings({ 'pace-below-expected': { warningBelow: 1, criticalBelow: 0.9, afterWorkingDays: 1 } });
    expect(pace(behind('4999.99'), strict, MONDAY_9TH)[0]?.severity).toBe('warning');
    expect(pace(behind('999.99'), strict, '2026-03-03T10:00:00.000Z')[0]?.severity).toBe('warning');
  });
});

describe('the no-recent-visit rule', () => {
  const noVisit = ALERT_RULES['no-recent-visit'];
  const lastVisitFriday = rep({ lastVisit: { day: '2026-03-06', position: 7 } });

  it('given a visit on Friday, when evaluated on Wednesday, then the weekend does not count: 2 working days', () =>
    expect(noVisit(lastVisitFriday, DEFAULT_ALERT_SETTINGS, '2026-03-11T16:00:00.000Z')).toEqual([]));

  it('given a visit on Friday, when evaluated on Thursday, then 3 working days without a visit raise a warning', () =>
    expect(noVisit(lastVisitFriday, DEFAULT_ALERT_SETTINGS, '2026-03-12T08:00:00.000Z')).toEqual([
      {
        rule: 'no-recent-visit',
        repId: 'rep-1',
        teamId: 'team-1',
        period: '2026-03-06',
        severity: 'warning',
        evidence: {
          summary: 'No visit in the 3 working days since the last one, on 2026-03-06.',
          figures: { workingDaysWithoutVisit: 3, threshold: 3, lastVisitDay: '2026-03-06' },
          positions: [7],
        },
      },
    ]));

  it('given a holiday on Monday, when evaluated on Thursday, then it waits until Friday', () => {
    const withHoliday = { ...lastVisitFriday, holidays: ['2026-03-09'] };
    expect(noVisit(withHoliday, DEFAULT_ALERT_SETTINGS, '2026-03-12T08:00:00.000Z')).toEqual([]);
    expect(noVisit(withHoliday, DEFAULT_ALERT_SETTINGS, '2026-03-13T08:00:00.000Z')).toHaveLength(1);
  });

  it('given a rep who never visited anyone, when evaluated, then the days count from the hire day', () => {
    const newcomer = rep({ hiredOn: '2026-03-02' });
    expect(noVisit(newcomer, DEFAULT_ALERT_SETTINGS, '2026-03-04T12:00:00.000Z')).toEqual([]);
    expect(noVisit(newcomer, DEFAULT_ALERT_SETTINGS, '2026-03-05T12:00:00.000Z')).toEqual([
      expect.objectContaining({
        period: '2026-03-02',
        evidence: expect.objectContaining({
          summary: 'No visit in the 3 working days since hired on 2026-03-02.',
          positions: [],
        }),
      }),
    ]);
  });

  it('given the last visit in February, when evaluated in March, then the dry spell spans the month boundary', () => {
    const february = rep({ lastVisit: { day: '2026-02-26', position: 3 } });
    // Friday 27 February, Monday 2 and Tuesday 3 March.
    expect(noVisit(february, DEFAULT_ALERT_SETTINGS, '2026-03-04T08:00:00.000Z')).toEqual([
      expect.objectContaining({ period: '2026-02-26' }),
    ]);
  });
});

describe('the plan-overdue and report-overdue rules', () => {
  const papers = rep({
    unsubmittedPapers: [
      { week: '2026-W10', kind: 'plan', dueAt: '2026-03-02T09:00:00.000Z', positions: [40] },
      { week: '2026-W10', kind: 'report', dueAt: '2026-03-06T18:00:00.000Z', positions: [] },
    ],
  });
  const planOverdue = ALERT_RULES['plan-overdue'];

  it('given a plan due Monday 09:00, when evaluated a second short of 24 h later, then it waits', () =>
    expect(planOverdue(papers, DEFAULT_ALERT_SETTINGS, '2026-03-03T08:59:59.000Z')).toEqual([]));

  it('given a plan due Monday 09:00, when evaluated exactly 24 h later, then it warns about the week', () =>
    expect(planOverdue(papers, DEFAULT_ALERT_SETTINGS, '2026-03-03T09:00:00.000Z')).toEqual([
      {
        rule: 'plan-overdue',
        repId: 'rep-1',
        teamId: 'team-1',
        period: '2026-W10',
        severity: 'warning',
        evidence: {
          summary: 'The plan for 2026-W10, due 2026-03-02T09:00:00.000Z, is 24 h overdue (alert after 24 h).',
          figures: { dueAt: '2026-03-02T09:00:00.000Z', hoursOverdue: 24, threshold: 24 },
          positions: [40],
        },
      },
    ]));

  it('given both papers overdue, when each rule is evaluated, then each sees only its own kind', () => {
    const now = '2026-03-09T09:00:00.000Z';
    expect(planOverdue(papers, DEFAULT_ALERT_SETTINGS, now).map((d) => d.rule)).toEqual(['plan-overdue']);
    expect(ALERT_RULES['report-overdue'](papers, DEFAULT_ALERT_SETTINGS, now)).toEqual([
      expect.objectContaining({
        rule: 'report-overdue',
        period: '2026-W10',
        evidence: expect.objectContaining({ positions: [] }),
      }),
    ]);
  });

  it('given a plan due two weeks ago, when evaluated, then it is history: no alert', () => {
    expect(planOverdue(papers, DEFAULT_ALERT_SETTINGS, '2026-03-16T08:59:59.000Z')).toHaveLength(1);
    expect(planOverdue(papers, DEFAULT_ALERT_SETTINGS, '2026-03-16T09:00:00.000Z')).toEqual([]);
  });

  it('given 48 h allowed, when evaluated 24 h after the due time, then it waits', () =>
    expect(planOverdue(papers, settings({ 'plan-overdue': { overdueHours: 48 } }), '2026-03-03T09:00:00.000Z')).toEqual(
      [],
    ));
});

describe('the lost-customers rule', () => {
  const lostCustomers = ALERT_RULES['lost-customers'];
  const loss = (customerId: string, day: string, position: number) => ({ customerId, day, position });
  const now = '2026-03-20T10:00:00.000Z';

  it('given 3 customers lost this month, when evaluated, then it warns about the month', () =>
    expect(
      lostCustomers(
        rep({ lostCustomers: [loss('c1', '2026-03-02', 5), loss('c2', '2026-03-10', 6), loss('c3', '2026-03-20', 7)] }),
        DEFAULT_ALERT_SETTINGS,
        now,
      ),
    ).toEqual([
      {
        rule: 'lost-customers',
        repId: 'rep-1',
        teamId: 'team-1',
        period: '2026-03',
        severity: 'warning',
        evidence: {
          summary: '3 customers lost in 2026-03 (c1, c2, c3); the alert is at 3 or more.',
          figures: { lost: 3, threshold: 3 },
          positions: [5, 6, 7],
        },
      },
    ]));

  it('given 2 lost this month and 1 the month before, when evaluated, then it stays quiet', () =>
    expect(
      lostCustomers(
        rep({ lostCustomers: [loss('c1', '2026-02-27', 5), loss('c2', '2026-03-10', 6), loss('c3', '2026-03-20', 7)] }),
        DEFAULT_ALERT_SETTINGS,
        now,
      ),
    ).toEqual([]));
});

describe('the request-past-sla rule', () => {
  const pastSla = ALERT_RULES['request-past-sla'];
  const waiting = rep({
    unansweredRequests: [{ requestId: 'req-9', customerId: 'c1', dueAt: '2026-03-10T12:00:00.000Z', positions: [50] }],
  });

  it('given a request due at noon, when evaluated at noon, then its SLA has not passed yet', () =>
    expect(pastSla(waiting, DEFAULT_ALERT_SETTINGS, '2026-03-10T12:00:00.000Z')).toEqual([]));

  it('given a request due at noon, when evaluated a moment later, then it warns about that request', () =>
    expect(pastSla(waiting, DEFAULT_ALERT_SETTINGS, '2026-03-10T12:00:00.001Z')).toEqual([
      {
        rule: 'request-past-sla',
        repId: 'rep-1',
        teamId: 'team-1',
        period: 'req-9',
        severity: 'warning',
        evidence: {
          summary:
            'Request req-9 from customer c1 is unanswered past its SLA, which closed at 2026-03-10T12:00:00.000Z.',
          figures: { customerId: 'c1', dueAt: '2026-03-10T12:00:00.000Z', hoursPastSla: 0 },
          positions: [50],
        },
      },
    ]));
});

describe('evaluating every rule', () => {
  const troubled = behind('0.00', {
    lastVisit: { day: '2026-03-02', position: 1 },
    unansweredRequests: [{ requestId: 'req-9', customerId: 'c1', dueAt: '2026-03-05T12:00:00.000Z', positions: [] }],
  });

  it('given a rep behind on several counts, when evaluated, then each enabled rule speaks', () =>
    expect(evaluateRules(troubled, DEFAULT_ALERT_SETTINGS, MONDAY_9TH).map((d) => d.rule)).toEqual([
      'pace-below-expected',
      'no-recent-visit',
      'request-past-sla',
    ]));

  it('given rules switched off, when evaluated, then they say nothing', () => {
    const off = settings({ 'pace-below-expected': { enabled: false }, 'request-past-sla': { enabled: false } });
    expect(evaluateRules(troubled, off, MONDAY_9TH).map((d) => d.rule)).toEqual(['no-recent-visit']);
  });

  it('given a rep who left, when evaluated on or after the day they left, then nothing is raised', () => {
    expect(evaluateRules({ ...troubled, leftOn: '2026-03-09' }, DEFAULT_ALERT_SETTINGS, MONDAY_9TH)).toEqual([]);
    expect(evaluateRules({ ...troubled, leftOn: '2026-03-10' }, DEFAULT_ALERT_SETTINGS, MONDAY_9TH)).toHaveLength(3);
  });
});
