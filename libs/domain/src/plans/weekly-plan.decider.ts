import type { Decider, DomainEvent } from '../decider';
import { ConflictError } from '../errors';
import { weekStart } from '../periods';

export type Paper = 'plan' | 'report';

/** When a paper is due: ISO weekday (1 = Monday) and hour of its week, in the company time zone. */
export type PaperDue = { weekday: number; hour: number };
export type PapersDue = Record<Paper, PaperDue>;

/** By default the plan is due Monday 09:00 and the report Friday 18:00; companies can change both. */
export const DEFAULT_PAPERS_DUE: PapersDue = { plan: { weekday: 1, hour: 9 }, report: { weekday: 5, hour: 18 } };

export type SubmitPaper = {
  paper: Paper;
  repId: string;
  week: string;
  content: string;
  submittedAt: string;
  due: PaperDue;
};

export type WeeklyPaperEvent = DomainEvent<
  'WeeklyPlanSubmitted' | 'WeeklyReportSubmitted',
  { repId: string; week: string; content: string; dueAt: string; submittedAt: string; late: boolean }
>;

export type WeeklyPapersState = Partial<Record<Paper, { dueAt: string; submittedAt: string; late: boolean }>>;

const TYPE = { plan: 'WeeklyPlanSubmitted', report: 'WeeklyReportSubmitted' } as const;

/** A rep's weekly plan and report; submitted once each, on time or late. */
export const weeklyPapersDecider: Decider<SubmitPaper, WeeklyPaperEvent, WeeklyPapersState> = {
  initialState: {},
  decide: ({ paper, repId, week, content, submittedAt, due }, state) => {
    if (state[paper]) throw new ConflictError(`the ${paper} of ${week} is already submitted`);
    const dueAt = weekStart(week)
      .plus({ days: due.weekday - 1, hours: due.hour })
      .toUTC()
      .toISO() as string;
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
