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
    const bad = COMPOSITE_COMPONENTS.filter((_, i) => !(Number.isFinite(weights[i]) && (weights[i] as number) >= 0));
    if (bad.length > 0)
      throw new InvalidInputError(bad.map((c) => ({ field: `weights.${c}`, message: 'must be a number, 0 or more' })));
    if (weights.every((weight) => weight === 0))
      throw new InvalidInputError([{ field: 'weights', message: 'at least one weight must be above 0' }]);
    // The first template a director sets is recorded even when it repeats the default: it names them.
    if (state.version > 0 && sameJson(command.weights, state.weights)) return [];
    return [{ type: 'ScorecardTemplateSet', data: { version: state.version + 1, weights: command.weights } }];
  },
  evolve: (_state, event) => event.data,
};
