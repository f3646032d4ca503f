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

/** The scheduler's: a paper not submitted by its due time is marked overdue (once). */
export type MarkPaperOverdue = { overdue: true; paper: Paper; repId: string; week: string; due: PaperDue; now: string };

export type WeeklyPaperEvent =
  | DomainEvent<
      'WeeklyPlanSubmitted' | 'WeeklyReportSubmitted',
      { repId: string; week: string; content: string; dueAt: string; submittedAt: string; late: boolean }
    >
  | DomainEvent<'WeeklyPlanOverdue' | 'WeeklyReportOverdue', { repId: string; week: string; dueAt: string }>;

export type WeeklyPapersState = Partial<Record<Paper, { dueAt: string; submittedAt: string; late: boolean }>> & {
  readonly overdue?: Partial<Record<Paper, true>>;
};

const TYPE = { plan: 'WeeklyPlanSubmitted', report: 'WeeklyReportSubmitted' } as const;
const OVERDUE = { plan: 'WeeklyPlanOverdue', report: 'WeeklyReportOverdue' } as const;

const dueAtOf = (week: string, due: PaperDue) =>
  weekStart(week)
    .plus({ days: due.weekday - 1, hours: due.hour })
    .toUTC()
    .toISO() as string;

/** A rep's weekly plan and report; submitted once each, on time or late. */
export const weeklyPapersDecider: Decider<SubmitPaper | MarkPaperOverdue, WeeklyPaperEvent, WeeklyPapersState> = {
  initialState: {},
  decide: (command, state) => {
    const { paper, repId, week, due } = command;
    const dueAt = dueAtOf(week, due);
    if ('overdue' in command) {
      if (state[paper] || state.overdue?.[paper] || Date.parse(command.now) <= Date.parse(dueAt)) return [];
      return [{ type: OVERDUE[paper], data: { repId, week, dueAt } }];
    }
    if (state[paper]) throw new ConflictError(`the ${paper} of ${week} is already submitted`);
    const late = new Date(command.submittedAt) > new Date(dueAt);
    return [
      {
        type: TYPE[paper],
        data: { repId, week, content: command.content, dueAt, submittedAt: command.submittedAt, late },
      },
    ];
  },
  evolve: (state, event) => {
    const paper = event.type.startsWith('WeeklyPlan') ? 'plan' : 'report';
    if (event.type === 'WeeklyPlanOverdue' || event.type === 'WeeklyReportOverdue')
      return { ...state, overdue: { ...state.overdue, [paper]: true } };
    const { dueAt, submittedAt, late } = event.data as { dueAt: string; submittedAt: string; late: boolean };
    return { ...state, [paper]: { dueAt, submittedAt, late } };
  },
};
