import { MONTH } from '@salesledger/domain/targets/target.decider';
import { closed, eventSchema, id, mapOf, money, nullable, streamOf, text, type JsonSchema } from './schema-parts';

const month: JsonSchema = { type: 'string', pattern: MONTH.source };
const change = { repId: id, month, amount: money, reason: text };
/** The amount split by product category; the parts add up to it. */
const categories = { categories: mapOf(money) };
const proposal = { proposalId: id, proposedBy: id };

export const TARGET_SCHEMAS = {
  TargetSet: eventSchema('TargetSet', {
    stream: streamOf('target'),
    description: "A rep's monthly target was set for the first time.",
    data: closed(change, categories),
  }),
  TargetRevised: eventSchema('TargetRevised', {
    stream: streamOf('target'),
    description: "A rep's monthly target was changed.",
    data: closed({ ...change, previousAmount: money }, categories),
  }),
  TargetProposed: eventSchema('TargetProposed', {
    stream: streamOf('target'),
    description: "A manager proposed a target change that needs a director's approval; it does not apply yet.",
    data: closed({ ...change, ...proposal }, categories),
  }),
  TargetProposalApproved: eventSchema('TargetProposalApproved', {
    stream: streamOf('target'),
    description: 'A director approved a proposal: the proposed target applies from now (the actor is the approver).',
    data: closed({ ...change, ...proposal, previousAmount: nullable(money) }, categories),
  }),
  TargetProposalRejected: eventSchema('TargetProposalRejected', {
    stream: streamOf('target'),
    description: 'A director rejected a proposal; the target is unchanged.',
    data: closed({ proposalId: id, reason: text }),
  }),
  CompanyPlanSet: eventSchema('CompanyPlanSet', {
    stream: streamOf('company-plan'),
    description: "A director set the year's plan: amount, monthly seasonality weights, split to teams and reps.",
    data: closed({
      year: { type: 'integer' },
      amount: money,
      weights: { type: 'array', minItems: 12, maxItems: 12, items: { type: 'number', exclusiveMinimum: 0 } },
      teams: mapOf(closed({ amount: money }, { reps: mapOf(money) })),
      reason: text,
      version: { type: 'integer', minimum: 1 },
    }),
  }),
};
