import { specFor } from '../../../../test/support/decider-spec';
import { InvalidInputError } from '../errors';
import { DEFAULT_TEMPLATE, type ScorecardTemplate } from './kpis';
import { scorecardTemplateDecider, type ScorecardTemplateEvent } from './scorecard-template.decider';

const spec = specFor(scorecardTemplateDecider);

const first: ScorecardTemplate['weights'] = {
  attainment: 0.6,
  discipline: 0,
  planCompletionRate: 0.2,
  requestResponseRate: 0.2,
};
const second: ScorecardTemplate['weights'] = {
  attainment: 0.4,
  discipline: 0.3,
  planCompletionRate: 0.15,
  requestResponseRate: 0.15,
};

const set = (version: number, weights: ScorecardTemplate['weights']): ScorecardTemplateEvent => ({
  type: 'ScorecardTemplateSet',
  data: { version, weights },
});

describe('the scorecard template', () => {
  it('is version 1 when first set from the default', () =>
    spec
      .given([])
      .when({ kind: 'set', weights: first })
      .then([set(1, first)]));

  it('takes the same weights again as nothing, whatever their order', () => {
    spec
      .given([set(1, first)])
      .when({ kind: 'set', weights: first })
      .then([]);
    spec
      .given([set(1, first)])
      .when({
        kind: 'set',
        weights: { requestResponseRate: 0.2, planCompletionRate: 0.2, discipline: 0, attainment: 0.6 },
      })
      .then([]);
  });

  it('numbers a new set after version 2 as version 3, even back to earlier weights', () => {
    spec
      .given([set(1, first), set(2, second)])
      .when({ kind: 'set', weights: { ...second, discipline: 0.5 } })
      .then([set(3, { ...second, discipline: 0.5 })]);
    spec
      .given([set(1, first), set(2, second)])
      .when({ kind: 'set', weights: first })
      .then([set(3, first)]);
  });

  it('records a first template even when it repeats the default weights, so it names its director', () =>
    spec
      .given([])
      .when({ kind: 'set', weights: DEFAULT_TEMPLATE.weights })
      .then([set(1, DEFAULT_TEMPLATE.weights)]));

  it('refuses a negative or missing weight, naming it', () =>
    spec
      .given([])
      .when({ kind: 'set', weights: { ...first, discipline: -1, attainment: undefined as unknown as number } })
      .thenThrows(InvalidInputError, 'weights.attainment: must be a number, 0 or more'));

  it('refuses weights that are all 0', () => {
    const zero = { attainment: 0, discipline: 0, planCompletionRate: 0, requestResponseRate: 0 };
    spec.given([]).when({ kind: 'set', weights: zero }).thenThrows(InvalidInputError, 'weights');
    spec
      .given([set(1, first)])
      .when({ kind: 'set', weights: zero })
      .thenThrows(InvalidInputError, 'weights: at least one weight must be above 0');
  });
});
