import type { Paper } from '@salesledger/domain/plans/weekly-plan.decider';
import type { CompositeComponent } from '@salesledger/domain/scorecards/kpis';
import { closed, count, day, eventSchema, instant, money, type JsonSchema } from './schema-parts';

/** When a paper is due each week: ISO weekday (1 = Monday) and hour, company time zone. */
const due = closed({
  weekday: { type: 'integer', minimum: 1, maximum: 7 },
  hour: { type: 'integer', minimum: 0, maximum: 23 },
});
const papersDue: Record<Paper, JsonSchema> = { plan: due, report: due };
const weight: JsonSchema = { type: 'number', minimum: 0 };
const weights: Record<CompositeComponent, JsonSchema> = {
  attainment: weight,
  discipline: weight,
  planCompletionRate: weight,
  requestResponseRate: weight,
};

export const COMPANY_SCHEMAS = {
  TargetApprovalPolicySet: eventSchema('TargetApprovalPolicySet', {
    stream: '^company-settings$',
    description: "Whether a manager's target change needs a director's approval: never, or above a threshold.",
    data: {
      oneOf: [closed({ mode: { const: 'off' } }), closed({ mode: { const: 'above-threshold' }, threshold: money })],
    },
  }),
  HolidaysSet: eventSchema('HolidaysSet', {
    stream: '^company-settings$',
    description: "The company's holidays (not working days) were replaced by this sorted list.",
    data: closed({ dates: { type: 'array', uniqueItems: true, items: day } }),
  }),
  PapersDueSet: eventSchema('PapersDueSet', {
    stream: '^company-settings$',
    description: 'When weekly plans and reports are due changed.',
    data: closed(papersDue),
  }),
  ScorecardTemplateSet: eventSchema('ScorecardTemplateSet', {
    stream: '^scorecard-template$',
    description: "A director set a new version of the composite score's weights.",
    data: closed({ version: { type: 'integer', minimum: 1 }, weights: closed(weights) }),
  }),
};

/** Written by the demo seeding (`libs/demo`), not by a decider: they bracket the generated history. */
export const DEMO_SCHEMAS = {
  DemoSeedingStarted: eventSchema('DemoSeedingStarted', {
    stream: '^demo-organisation$',
    description: 'Demo data is being generated up to `anchor` (embedded mode on an empty store only).',
    data: closed({ anchor: instant }),
  }),
  DemoSeedingFinished: eventSchema('DemoSeedingFinished', {
    stream: '^demo-organisation$',
    description: 'The demo data is complete; `events` is how many were generated.',
    data: closed({ events: count }),
  }),
};
