import Big from 'big.js';
import { sameJson } from '../canonical-json';
import type { Decider, DomainEvent } from '../decider';
import { InvalidInputError, type FieldProblem } from '../errors';
import { toMoney, type Money } from '../money';
import { allocate } from '../periods';

/** The year's plan as one document, so every level's total is checked together. */
export type CompanyPlan = {
  year: number;
  amount: Money;
  /** Seasonality: one positive weight per month, January first; months get amount x weight / sum. */
  weights: number[];
  /** Team amounts, adding up to the plan's; each team's rep amounts, if given, add up to the team's. */
  teams: Record<string, { amount: Money; reps?: Record<string, Money> }>;
  reason: string;
};

export type CompanyPlanEvent = DomainEvent<'CompanyPlanSet', CompanyPlan & { version: number }>;

export type CompanyPlanState = { version: number; plan?: CompanyPlan };

/** A director's annual plan, allocated to teams and reps; a change that breaks a total is refused. */
export const companyPlanDecider: Decider<CompanyPlan, CompanyPlanEvent, CompanyPlanState> = {
  initialState: { version: 0 },
  decide: (plan, state) => {
    const problems = planProblems(plan);
    if (problems.length > 0) throw new InvalidInputError(problems);
    if (state.plan && sameJson(plan, state.plan)) return [];
    return [{ type: 'CompanyPlanSet', data: { ...plan, version: state.version + 1 } }];
  },
  evolve: (_state, { data: { version, ...plan } }) => ({ version, plan }),
};

function planProblems(plan: CompanyPlan): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (plan.weights.length !== 12 || plan.weights.some((w) => !(w > 0))) {
    problems.push({ field: 'weights', message: 'must be 12 positive numbers, January first' });
  }
  const teams = Object.entries(plan.teams);
  if (teams.length > 0 && !sum(teams.map(([, t]) => t.amount)).eq(plan.amount)) {
    problems.push({
      field: 'teams',
      message: `team amounts add up to ${sum(teams.map(([, t]) => t.amount)).toFixed(2)}, not the plan's ${plan.amount}`,
    });
  }
  for (const [teamId, team] of teams) {
    const reps = Object.values(team.reps ?? {});
    if (reps.length > 0 && !sum(reps).eq(team.amount)) {
      problems.push({
        field: `teams.${teamId}.reps`,
        message: `rep amounts add up to ${sum(reps).toFixed(2)}, not the team's ${team.amount}`,
      });
    }
  }
  return problems;
}

const sum = (amounts: readonly Money[]): Big => amounts.reduce((total, amount) => total.plus(amount), new Big(0));

/** A rep's yearly amount by month (`YYYY-MM`), by the plan's weights, to the cent and adding up exactly. */
export function monthlyAmounts(plan: CompanyPlan, yearly: Money): Record<string, Money> {
  const cents = allocate(
    BigInt(new Big(yearly).times(100).toFixed(0)),
    plan.weights.map((w) => Math.round(w * 1_000_000)),
  );
  return Object.fromEntries(
    cents.map((c, m) => [
      `${plan.year}-${String(m + 1).padStart(2, '0')}`,
      toMoney(new Big(c.toString()).div(100).toFixed(2), 'amount'),
    ]),
  );
}
