import type { Decider, DomainEvent } from '../decider';
import { ConflictError } from '../errors';
import { weekStart } from '../periods';

export type Paper = 'plan' | 'report';

/** When each paper of a week is due: the plan on Monday morning, the report on Friday evening. */
export const DUE = { plan: { days: 0, hours: 9 }, report: { days: 4, hours: 18 } } as const;

export type SubmitPaper = { paper: Paper; repId: string; week: string; content: string; submittedAt: string };

export type WeeklyPaperEvent = DomainEvent<
  'WeeklyPlanSubmitted' | 'WeeklyReportSubmitted',
  { repId: string; week: string; content: string; dueAt: string; submittedAt: string; late: boolean }
>;

export type WeeklyPapersState = Partial<Record<Paper, { dueAt: string; submittedAt: string; late: boolean }>>;

const TYPE = { plan: 'WeeklyPlanSubmitted', report: 'WeeklyReportSubmitted' } as const;

/** A rep's weekly plan and report; submitted once each, on time or late. */
export const weeklyPapersDecider: Decider<SubmitPaper, WeeklyPaperEvent, WeeklyPapersState> = {
  initialState: {},
  decide: ({ paper, repId, week, content, submittedAt }, state) => {
    if (state[paper]) throw new ConflictError(`the ${paper} of ${week} is already submitted`);
    const dueAt = weekStart(week).plus(DUE[paper]).toUTC().toISO() as string;
    const late = new Date(submittedAt) > new Date(dueAt);
    return [{ type: TYPE[paper], data: { repId, week, content, dueAt, submittedAt, late } }];
  },
  evolve: (state, { type, data }) => ({
    ...state,
    [type === 'WeeklyPlanSubmitted' ? 'plan' : 'report']: {
      dueAt: data.dueAt,
      submittedAt: data.submittedAt,
      late: data.late,
    },
  }),
};
