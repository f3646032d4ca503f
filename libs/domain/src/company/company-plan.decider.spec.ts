import Big from 'big.js';
import { specFor } from '../../../../test/support/decider-spec';
import { InvalidInputError } from '../errors';
import { companyPlanDecider, monthlyAmounts, type CompanyPlan } from './company-plan.decider';

const spec = specFor(companyPlanDecider);
const weights = [0.8, 0.85, 1, 1, 1.05, 0.95, 0.7, 0.65, 1.05, 1.1, 1.25, 1.4];
const plan: CompanyPlan = {
  year: 2027,
  amount: '1000000.00',
  weights,
  teams: {
    north: { amount: '600000.00', reps: { 'rep-1': '350000.00', 'rep-2': '250000.00' } },
    south: { amount: '400000.00' },
  },
  reason: 'board approved',
};

describe('a company plan', () => {
  it('is set when every level adds up', () =>
    spec
      .given([])
      .when(plan)
      .then([{ type: 'CompanyPlanSet', data: { ...plan, version: 1 } }]));

  it('refuses team amounts that do not add up to the plan', () =>
    spec
      .given([])
      .when({ ...plan, teams: { ...plan.teams, south: { amount: '300000.00' } } })
      .thenThrows(InvalidInputError, "team amounts add up to 900000.00, not the plan's 1000000.00"));

  it("refuses rep amounts that do not add up to their team's", () =>
    spec
      .given([])
      .when({ ...plan, teams: { ...plan.teams, north: { amount: '600000.00', reps: { 'rep-1': '1.00' } } } })
      .thenThrows(InvalidInputError, 'teams.north.reps'));

  it('refuses seasonality that is not 12 positive weights', () => {
    spec
      .given([])
      .when({ ...plan, weights: weights.slice(1) })
      .thenThrows(InvalidInputError, 'weights');
    spec
      .given([])
      .when({ ...plan, weights: [0, ...weights.slice(1)] })
      .thenThrows(InvalidInputError, 'weights');
  });

  it('takes a rebalanced plan as a new version, and the same plan again as nothing', () => {
    const first = { type: 'CompanyPlanSet' as const, data: { ...plan, version: 1 } };
    spec.given([first]).when(plan).then([]);
    const bigger = { ...plan, amount: '1100000.00', teams: { ...plan.teams, south: { amount: '500000.00' } } };
    spec
      .given([first])
      .when(bigger)
      .then([{ type: 'CompanyPlanSet', data: { ...bigger, version: 2 } }]);
  });

  it("splits a rep's year over the months by the weights, adding up to the cent", () => {
    const months = monthlyAmounts(plan, '350000.00');
    expect(Object.keys(months)).toEqual(Array.from({ length: 12 }, (_, m) => `2027-${String(m + 1).padStart(2, '0')}`));
    expect(
      Object.values(months)
        .reduce((sum, a) => sum.plus(a), new Big(0))
        .toFixed(2),
    ).toBe('350000.00');
    expect(Number(months['2027-12'])).toBeGreaterThan(Number(months['2027-08']));
  });
});
