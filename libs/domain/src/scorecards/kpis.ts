import Big from 'big.js';
import type { Money } from '../money';
import type { Grain, PeriodRange } from './grains';

/** The additive figures of a rep (or a sum of reps) over a period, as the projection keeps them. */
export interface BaseFigures {
  readonly target: Money;
  readonly actual: Money;
  readonly orders: number;
  readonly newCustomers: number;
  readonly prospectsDeveloped: number;
  readonly salesVisits: number;
  readonly existingCustomerVisits: number;
  readonly lostCustomers: number;
  readonly papersDue: number;
  readonly papersOnTime: number;
  readonly requestsClosed: number;
  readonly requestsWithinSla: number;
  readonly reviewScoreSum: number;
  readonly reviewCount: number;
  readonly medianResponseMinutes: number | null;
}

export const COMPOSITE_COMPONENTS = ['attainment', 'discipline', 'planCompletionRate', 'requestResponseRate'] as const;
export type CompositeComponent = (typeof COMPOSITE_COMPONENTS)[number];

/** Weights of the composite score; a director sets a new version (`ScorecardTemplateSet`). */
export type ScorecardTemplate = {
  readonly version: number;
  readonly weights: { readonly [component in CompositeComponent]: number };
};

/** In force until a director sets version 1. */
export const DEFAULT_TEMPLATE: ScorecardTemplate = {
  version: 0,
  weights: { attainment: 0.5, discipline: 0.2, planCompletionRate: 0.15, requestResponseRate: 0.15 },
};

export interface WorkingDays {
  readonly total: number;
  /** Working days of the period completed before the instant the scorecard is for. */
  readonly elapsed: number;
}

/** Every KPI of DESIGN §4, by those names. Money as numbers with two places; ratios to 4 places. */
export interface Scorecard {
  readonly grain: Grain;
  readonly period: string;
  readonly target: number;
  readonly actual: number;
  readonly attainment: number | null;
  readonly expectedToDate: number;
  readonly pace: number | null;
  readonly orders: number;
  readonly newCustomers: number;
  readonly prospectsDeveloped: number;
  readonly salesVisits: number;
  readonly existingCustomerVisits: number;
  readonly lostCustomers: number;
  readonly growthRate: number | null;
  readonly yoyGrowth: number | null;
  readonly discipline: number | null;
  readonly planCompletionRate: number | null;
  readonly requestResponseRate: number | null;
  readonly medianResponseMinutes: number | null;
  readonly compositeScore: number | null;
  readonly templateVersion: number;
  readonly workingDays: number;
  readonly workingDaysElapsed: number;
}

export interface ScorecardInputs {
  readonly range: PeriodRange;
  readonly figures: BaseFigures;
  readonly previousActual: Money;
  /** Null when the period has no counterpart a year earlier (week 53, 29 February). */
  readonly yearAgoActual: Money | null;
  readonly workingDays: WorkingDays;
  readonly template: ScorecardTemplate;
}

/** The KPIs that are ratios, growths and scores, from the additive figures. Pure; see docs/kpis.md. */
export function deriveScorecard({
  range,
  figures: f,
  previousActual,
  yearAgoActual,
  workingDays,
  template,
}: ScorecardInputs): Scorecard {
  const share = workingDays.total === 0 ? 0 : workingDays.elapsed / workingDays.total;
  const expectedToDate = new CentsDivision(f.target)
    .times(workingDays.elapsed)
    .div(workingDays.total || 1)
    .round(2, Big.roundHalfUp);
  const attainment = ratio(f.actual, f.target);
  const discipline = f.reviewCount === 0 ? null : round(new RatioDivision(f.reviewScoreSum).div(f.reviewCount));
  const planCompletionRate = ratio(f.papersOnTime, f.papersDue);
  const requestResponseRate = ratio(f.requestsWithinSla, f.requestsClosed);
  return {
    grain: range.grain,
    period: range.period,
    target: Number(f.target),
    actual: Number(f.actual),
    attainment,
    expectedToDate: share === 0 ? 0 : Number(expectedToDate),
    pace: share === 0 ? null : ratio(f.actual, expectedToDate),
    orders: f.orders,
    newCustomers: f.newCustomers,
    prospectsDeveloped: f.prospectsDeveloped,
    salesVisits: f.salesVisits,
    existingCustomerVisits: f.existingCustomerVisits,
    lostCustomers: f.lostCustomers,
    growthRate: growth(f.actual, previousActual),
    yoyGrowth: yearAgoActual === null ? null : growth(f.actual, yearAgoActual),
    discipline,
    planCompletionRate,
    requestResponseRate,
    medianResponseMinutes: f.medianResponseMinutes,
    compositeScore: composite(template, {
      attainment: attainment === null ? null : Math.min(attainment, 1),
      discipline: discipline === null ? null : (discipline - 1) / 4,
      planCompletionRate,
      requestResponseRate,
    }),
    templateVersion: template.version,
    workingDays: workingDays.total,
    workingDaysElapsed: workingDays.elapsed,
  };
}

function composite(template: ScorecardTemplate, values: Record<CompositeComponent, number | null>): number | null {
  let weighted = new Big(0);
  let weights = new Big(0);
  for (const component of COMPOSITE_COMPONENTS) {
    const value = values[component];
    const weight = template.weights[component];
    if (value === null || weight === 0) continue;
    weighted = weighted.plus(new Big(value).times(weight));
    weights = weights.plus(weight);
  }
  return weights.eq(0) ? null : Number(new ScoreDivision(weighted.times(100)).div(weights).round(1, Big.roundHalfUp));
}

/**
 * Each quotient is rounded right after it is divided (half up, as PostgreSQL's round() does: the
 * reporting view computes expectedToDate and pace too), so it is divided to one place more than
 * that rounding keeps, the rest cut off: rounding the cut quotient half up gives what rounding the
 * exact one would. Dividing to big.js's default 20 places was a quarter of settling's JS.
 */
function divisionRoundedTo(places: number): Big.BigConstructor {
  const Division = Big();
  Division.DP = places + 1;
  Division.RM = Big.roundDown;
  return Division;
}
const CentsDivision = divisionRoundedTo(2);
const RatioDivision = divisionRoundedTo(4);
const ScoreDivision = divisionRoundedTo(1);

const round = (value: Big) => Number(value.round(4, Big.roundHalfUp));

function ratio(numerator: Big.BigSource, denominator: Big.BigSource): number | null {
  return new Big(denominator).eq(0) ? null : round(new RatioDivision(numerator).div(denominator));
}

function growth(actual: Money, base: Money): number | null {
  return new Big(base).eq(0) ? null : round(new RatioDivision(actual).minus(base).div(base));
}
