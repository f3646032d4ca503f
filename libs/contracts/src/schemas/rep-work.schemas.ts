import { ISO_WEEK } from '@salesledger/domain/periods';
import { MONTH } from '@salesledger/domain/targets/target.decider';
import { closed, eventSchema, flag, id, instant, streamOf, text, type JsonSchema } from './schema-parts';

const week: JsonSchema = { type: 'string', pattern: ISO_WEEK.source };
/** Submission time is the server's clock, so `late` is `submittedAt` > `dueAt`. */
const submitted = closed({ repId: id, week, content: text, dueAt: instant, submittedAt: instant, late: flag });
const overdue = closed({ repId: id, week, dueAt: instant });
const papers = streamOf('papers');

export const REP_WORK_SCHEMAS = {
  WeeklyPlanSubmitted: eventSchema('WeeklyPlanSubmitted', {
    stream: papers,
    description: "A rep submitted the week's plan, on time or late.",
    data: submitted,
  }),
  WeeklyReportSubmitted: eventSchema('WeeklyReportSubmitted', {
    stream: papers,
    description: "A rep submitted the week's report, on time or late.",
    data: submitted,
  }),
  WeeklyPlanOverdue: eventSchema('WeeklyPlanOverdue', {
    stream: papers,
    description: "The week's plan was not submitted by its due time (recorded once; it may still come, late).",
    data: overdue,
  }),
  WeeklyReportOverdue: eventSchema('WeeklyReportOverdue', {
    stream: papers,
    description: "The week's report was not submitted by its due time (recorded once; it may still come, late).",
    data: overdue,
  }),
  ReviewRecorded: eventSchema('ReviewRecorded', {
    stream: streamOf('review'),
    description: "A manager reviewed a rep's month; the score (1-5) is the rep's discipline KPI.",
    data: closed({
      id,
      repId: id,
      period: { type: 'string', pattern: MONTH.source },
      score: { type: 'integer', minimum: 1, maximum: 5 },
      notes: text,
    }),
  }),
};
