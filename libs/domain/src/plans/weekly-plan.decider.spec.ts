import { specFor } from '../../../../test/support/decider-spec';
import { ConflictError, InvalidInputError } from '../errors';
import { DEFAULT_PAPERS_DUE, weeklyPapersDecider } from './weekly-plan.decider';

const spec = specFor(weeklyPapersDecider);
// ISO week 2026-W10 starts on Monday 2 March 2026.
const plan = {
  paper: 'plan' as const,
  repId: 'rep-1',
  week: '2026-W10',
  content: 'visit Acme',
  due: DEFAULT_PAPERS_DUE.plan,
};

describe("a rep's weekly plan and report", () => {
  it('counts a plan submitted by Monday 09:00 as on time', () =>
    spec
      .given([])
      .when({ ...plan, submittedAt: '2026-03-02T08:59:00.000Z' })
      .then([
        {
          type: 'WeeklyPlanSubmitted',
          data: {
            repId: 'rep-1',
            week: '2026-W10',
            content: 'visit Acme',
            dueAt: '2026-03-02T09:00:00.000Z',
            submittedAt: '2026-03-02T08:59:00.000Z',
            late: false,
          },
        },
      ]));

  it('counts a plan submitted after Monday 09:00 as late', () =>
    spec
      .given([])
      .when({ ...plan, submittedAt: '2026-03-02T09:00:01.000Z' })
      .then([expect.objectContaining({ data: expect.objectContaining({ late: true }) }) as never]));

  it('is due on Friday 18:00 for the report', () =>
    spec
      .given([])
      .when({ ...plan, paper: 'report', due: DEFAULT_PAPERS_DUE.report, submittedAt: '2026-03-06T17:00:00.000Z' })
      .then([
        expect.objectContaining({
          type: 'WeeklyReportSubmitted',
          data: expect.objectContaining({ dueAt: '2026-03-06T18:00:00.000Z', late: false }),
        }) as never,
      ]));

  it('takes each paper once', () => {
    const submitted = weeklyPapersDecider.decide({ ...plan, submittedAt: '2026-03-02T08:00:00.000Z' }, {});
    spec
      .given(submitted)
      .when({ ...plan, submittedAt: '2026-03-02T08:30:00.000Z' })
      .thenThrows(ConflictError, 'already submitted');
    spec
      .given(submitted)
      .when({ ...plan, paper: 'report', submittedAt: '2026-03-06T08:30:00.000Z' })
      .then([expect.anything() as never]);
  });

  it("follows the company's cadence: a plan due Tuesday noon", () =>
    spec
      .given([])
      .when({ ...plan, due: { weekday: 2, hour: 12 }, submittedAt: '2026-03-03T11:00:00.000Z' })
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ dueAt: '2026-03-03T12:00:00.000Z', late: false }),
        }) as never,
      ]));

  it('refuses a week that does not exist', () =>
    spec
      .given([])
      .when({ ...plan, week: '2026-W54', submittedAt: '2026-03-02T08:00:00.000Z' })
      .thenThrows(InvalidInputError));
});

describe('a weekly paper not in by its due time (the scheduler)', () => {
  const overdue = {
    overdue: true as const,
    paper: 'plan' as const,
    repId: 'rep-1',
    week: '2026-W10',
    due: DEFAULT_PAPERS_DUE.plan,
  };
  const marked = {
    type: 'WeeklyPlanOverdue' as const,
    data: { repId: 'rep-1', week: '2026-W10', dueAt: '2026-03-02T09:00:00.000Z' },
  };

  it('is marked overdue once its due time has passed', () =>
    spec
      .given([])
      .when({ ...overdue, now: '2026-03-02T09:00:01.000Z' })
      .then([marked]));

  it('is not marked before its due time, twice, or once submitted', () => {
    spec
      .given([])
      .when({ ...overdue, now: '2026-03-02T09:00:00.000Z' })
      .then([]);
    spec
      .given([marked])
      .when({ ...overdue, now: '2026-03-09T00:00:00.000Z' })
      .then([]);
    spec
      .given([
        {
          type: 'WeeklyPlanSubmitted',
          data: {
            repId: 'rep-1',
            week: '2026-W10',
            content: 'x',
            dueAt: '2026-03-02T09:00:00.000Z',
            submittedAt: '2026-03-02T08:00:00.000Z',
            late: false,
          },
        },
      ])
      .when({ ...overdue, now: '2026-03-09T00:00:00.000Z' })
      .then([]);
  });

  it('can still be submitted after being marked, as late', () =>
    spec
      .given([marked])
      .when({ ...plan, submittedAt: '2026-03-02T11:00:00.000Z' })
      .then([
        {
          type: 'WeeklyPlanSubmitted',
          data: {
            repId: 'rep-1',
            week: '2026-W10',
            content: 'visit Acme',
            dueAt: '2026-03-02T09:00:00.000Z',
            submittedAt: '2026-03-02T11:00:00.000Z',
            late: true,
          },
        },
      ]));
});
