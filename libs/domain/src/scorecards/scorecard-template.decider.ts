import { sameJson } from '../canonical-json';
import type { Decider, DomainEvent } from '../decider';
import { InvalidInputError } from '../errors';
import { COMPOSITE_COMPONENTS, DEFAULT_TEMPLATE, type ScorecardTemplate } from './kpis';

export const SCORECARD_TEMPLATE_STREAM = 'scorecard-template';

export type ScorecardTemplateCommand = { kind: 'set'; weights: ScorecardTemplate['weights'] };
export type ScorecardTemplateEvent = DomainEvent<'ScorecardTemplateSet', ScorecardTemplate>;

/** The composite score's weights, versioned: every version is an event with its director. */
export const scorecardTemplateDecider: Decider<ScorecardTemplateCommand, ScorecardTemplateEvent, ScorecardTemplate> = {
  initialState: DEFAULT_TEMPLATE,
  decide: (command, state) => {
    const weights = COMPOSITE_COMPONENTS.map((component) => command.weights[component]);
    if (weights.every((weight) => weight === 0))
      throw new InvalidInputError([{ field: 'weights', message: 'at least one weight must be above 0' }]);
    if (sameJson(command.weights, state.weights)) return [];
    return [{ type: 'ScorecardTemplateSet', data: { version: state.version + 1, weights: command.weights } }];
  },
  evolve: (_state, event) => event.data,
};
