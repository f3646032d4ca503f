import Big from 'big.js';
import fc from 'fast-check';
import { periodRange } from './grains';
import {
  DEFAULT_TEMPLATE,
  deriveScorecard,
  type BaseFigures,
  type ScorecardInputs,
  type ScorecardTemplate,
} from './kpis';

const noFigures: BaseFigures = {
  target: '0.00',
  actual: '0.00',
  orders: 0,
  newCustomers: 0,
  prospectsDeveloped: 0,
  salesVisits: 0,
  existingCustomerVisits: 0,
  lostCustomers: 0,
  papersDue: 0,
  papersOnTime: 0,
  requestsClosed: 0,
  requestsWithinSla: 0,
  reviewScoreSum: 0,
  reviewCount: 0,
  medianResponseMinutes: null,
};

type Overrides = Partial<Omit<ScorecardInputs, 'figures'>> & { figures?: Partial<BaseFigures> };

/** March 2026 (22 working days, 11 elapsed), default template, with the figures given. */
function scorecard({ figures, ...inputs }: Overrides = {}) {
  return deriveScorecard({
    range: periodRange('month', '2026-03'),
    previousActual: '0.00',
    yearAgoActual: '0.00',
    workingDays: { total: 22, elapsed: 11 },
    template: DEFAULT_TEMPLATE,
    ...inputs,
    figures: { ...noFigures, target: '1000.00', actual: '500.00', ...figures },
  });
}

const only = (component: keyof ScorecardTemplate['weights'], version = 1): ScorecardTemplate => ({
  version,
  weights: { attainment: 0, discipline: 0, planCompletionRate: 0, requestResponseRate: 0, [component]: 1 },
});

describe('a scorecard', () => {
  it('names its period and carries the additive figures through', () => {
    const card = scorecard({
      range: periodRange('week', '2026-W10'),
      workingDays: { total: 5, elapsed: 2 },
      figures: {
        target: '1234.50',
        actual: '99.99',
        orders: 3,
        newCustomers: 1,
        prospectsDeveloped: 2,
        salesVisits: 7,
        existingCustomerVisits: 4,
        lostCustomers: 1,
        medianResponseMinutes: 42,
      },
    });
    expect(card).toMatchObject({
      grain: 'week',
      period: '2026-W10',
      target: 1234.5,
      actual: 99.99,
      orders: 3,
      newCustomers: 1,
      prospectsDeveloped: 2,
      salesVisits: 7,
      existingCustomerVisits: 4,
      lostCustomers: 1,
      medianResponseMinutes: 42,
      workingDays: 5,
      workingDaysElapsed: 2,
    });
  });

  describe('attainment', () => {
    it('is actual over target, to 4 places, and may pass 1', () => {
      expect(scorecard({ figures: { actual: '500.00' } }).attainment).toBe(0.5);
      expect(scorecard({ figures: { actual: '1234.56' } }).attainment).toBe(1.2346);
      expect(scorecard({ figures: { actual: '1200.00' } }).attainment).toBe(1.2);
    });

    it('is null when the target is 0', () => {
      expect(scorecard({ figures: { target: '0.00', actual: '500.00' } }).attainment).toBeNull();
    });
  });

  describe('expected to date and pace', () => {
    it('expect the share of the target of the working days elapsed, and compare the actual with it', () => {
      const card = scorecard({ figures: { target: '1000.00', actual: '250.00' } });
      expect(card.expectedToDate).toBe(500);
      expect(card.pace).toBe(0.5);
    });

    it('round the expected amount half up to the cent', () => {
      expect(scorecard({ workingDays: { total: 3, elapsed: 1 } }).expectedToDate).toBe(333.33);
      expect(scorecard({ workingDays: { total: 2, elapsed: 1 }, figures: { target: '100.01' } }).expectedToDate).toBe(
        50.01,
      );
      expect(scorecard({ workingDays: { total: 2, elapsed: 1 }, figures: { target: '0.05' } }).expectedToDate).toBe(
        0.03,
      );
    });

    it('compare the actual with the rounded expected amount', () => {
      const card = scorecard({ workingDays: { total: 3, elapsed: 1 }, figures: { actual: '333.33' } });
      expect(card.pace).toBe(1);
    });

    it('expect the whole target once every working day has passed', () => {
      const card = scorecard({ workingDays: { total: 22, elapsed: 22 }, figures: { actual: '1100.00' } });
      expect(card.expectedToDate).toBe(1000);
      expect(card.pace).toBe(1.1);
    });

    it('expect nothing and have no pace before the first working day has passed', () => {
      expect(scorecard({ workingDays: { total: 22, elapsed: 0 } })).toMatchObject({ expectedToDate: 0, pace: null });
      expect(scorecard({ workingDays: { total: 0, elapsed: 0 } })).toMatchObject({ expectedToDate: 0, pace: null });
    });

    it('have no pace when nothing is expected because the target is 0', () => {
      expect(scorecard({ figures: { target: '0.00' } })).toMatchObject({ expectedToDate: 0, pace: null });
    });
  });

  describe('growth', () => {
    it('compares the actual with the previous period and the year before, to 4 places', () => {
      const card = scorecard({ figures: { actual: '500.00' }, previousActual: '400.00', yearAgoActual: '250.00' });
      expect(card.growthRate).toBe(0.25);
      expect(card.yoyGrowth).toBe(1);
      expect(scorecard({ figures: { actual: '100.00' }, previousActual: '300.00' }).growthRate).toBe(-0.6667);
    });

    it('is null when the base is 0', () => {
      const card = scorecard({ previousActual: '0.00', yearAgoActual: '0.00' });
      expect(card.growthRate).toBeNull();
      expect(card.yoyGrowth).toBeNull();
    });

    it('has no year-over-year figure when the period has no counterpart a year earlier', () => {
      const card = scorecard({ previousActual: '400.00', yearAgoActual: null });
      expect(card.yoyGrowth).toBeNull();
      expect(card.growthRate).toBe(0.25);
    });
  });

  describe('discipline, plan completion and request response', () => {
    it('are the mean review score and the on-time shares, to 4 places', () => {
      const card = scorecard({
        figures: {
          reviewScoreSum: 11,
          reviewCount: 3,
          papersDue: 10,
          papersOnTime: 8,
          requestsClosed: 3,
          requestsWithinSla: 2,
        },
      });
      expect(card.discipline).toBe(3.6667);
      expect(card.planCompletionRate).toBe(0.8);
      expect(card.requestResponseRate).toBe(0.6667);
    });

    it('are null when there is no review, nothing due and nothing closed', () => {
      expect(scorecard()).toMatchObject({ discipline: null, planCompletionRate: null, requestResponseRate: null });
    });
  });

  describe('composite score', () => {
    const complete: Partial<BaseFigures> = {
      actual: '800.00',
      reviewScoreSum: 8,
      reviewCount: 2,
      papersDue: 10,
      papersOnTime: 8,
      requestsClosed: 10,
      requestsWithinSla: 9,
    };

    it('weighs the components by the template, out of 100', () => {
      // 0.5 x 0.8 + 0.2 x (4 - 1) / 4 + 0.15 x 0.8 + 0.15 x 0.9
      expect(scorecard({ figures: complete }).compositeScore).toBe(80.5);
    });

    it('counts an attainment above 1 as 1', () => {
      const card = scorecard({ figures: { ...complete, actual: '1200.00' } });
      expect(card.attainment).toBe(1.2);
      expect(card.compositeScore).toBe(90.5);
    });

    it('maps the review scores 1 to 5 onto 0 to 1', () => {
      const withDiscipline = (reviewScoreSum: number) =>
        scorecard({ template: only('discipline'), figures: { reviewScoreSum, reviewCount: 1 } }).compositeScore;
      expect(withDiscipline(1)).toBe(0);
      expect(withDiscipline(3)).toBe(50);
      expect(withDiscipline(5)).toBe(100);
    });

    it('leaves out a component without a value and weighs the others over their own weights', () => {
      // (0.5 x 0.8 + 0.15 x 0.8 + 0.15 x 0.9) / 0.8
      expect(scorecard({ figures: { ...complete, reviewCount: 0, reviewScoreSum: 0 } }).compositeScore).toBe(81.9);
    });

    it('leaves out a component weighted 0, whatever its value', () => {
      const template: ScorecardTemplate = {
        version: 2,
        weights: { attainment: 3, discipline: 0, planCompletionRate: 1, requestResponseRate: 0 },
      };
      // (3 x 1 + 1 x 0.5) / 4, with discipline (score 1) and request response (0) ignored
      const card = scorecard({
        template,
        figures: {
          actual: '1000.00',
          reviewScoreSum: 1,
          reviewCount: 1,
          papersDue: 2,
          papersOnTime: 1,
          requestsClosed: 4,
          requestsWithinSla: 0,
        },
      });
      expect(card.compositeScore).toBe(87.5);
    });

    it('is null when no component applies', () => {
      expect(scorecard({ figures: { target: '0.00' } }).compositeScore).toBeNull();
      expect(scorecard({ template: only('discipline'), figures: complete }).compositeScore).toBe(75);
      expect(scorecard({ template: only('discipline'), figures: { reviewCount: 0 } }).compositeScore).toBeNull();
    });

    it('is rounded half up to one decimal', () => {
      expect(scorecard({ template: only('attainment'), figures: { actual: '333.33' } }).compositeScore).toBe(33.3);
      expect(scorecard({ template: only('attainment'), figures: { actual: '122.50' } }).compositeScore).toBe(12.3);
    });

    it('tells the template version it was weighed with', () => {
      expect(scorecard().templateVersion).toBe(0);
      expect(scorecard({ template: only('attainment', 7) }).templateVersion).toBe(7);
    });
  });

  describe('its quotients', () => {
    // Divided to 40 places, then rounded half up: what each ratio must be, however the code divides.
    const Exact = Big();
    Exact.DP = 40;
    const rounded = (numerator: Big.BigSource, denominator: Big.BigSource, places: number) =>
      Number(new Exact(numerator).div(denominator).round(places, Big.roundHalfUp));
    // Small amounts make quotients that end on a 5 (ties) common; large ones cover the range.
    const cents = fc.oneof(fc.integer({ min: -2_000, max: 2_000 }), fc.integer({ min: -1e12, max: 1e12 }));
    const money = cents.map((c) => new Big(c).div(100).toFixed(2));

    it('are the exact quotients rounded half up, whatever the amounts', () => {
      fc.assert(
        fc.property(
          money,
          money,
          money,
          money,
          fc.integer({ min: 1, max: 23 }),
          fc.nat(23),
          fc.nat(200),
          fc.integer({ min: 1, max: 60 }),
          fc.tuple(fc.nat(7), fc.nat(7), fc.nat(7), fc.nat(7)),
          fc.nat(40),
          fc.nat(40),
          (
            actual,
            target,
            previousActual,
            yearAgoActual,
            total,
            elapsed,
            reviewScoreSum,
            reviewCount,
            weights,
            a1,
            a2,
          ) => {
            const workingDays = { total, elapsed: Math.min(elapsed, total) };
            const [a, d, p, r] = weights;
            const template = {
              version: 1,
              weights: { attainment: a, discipline: d, planCompletionRate: p, requestResponseRate: r },
            };
            const [requestsWithinSla, requestsClosed] = [Math.min(a1, a2), Math.max(a1, a2)];
            const card = scorecard({
              previousActual,
              yearAgoActual,
              workingDays,
              template,
              figures: {
                actual,
                target,
                reviewScoreSum,
                reviewCount,
                papersDue: total,
                papersOnTime: workingDays.elapsed,
                requestsClosed,
                requestsWithinSla,
              },
            });
            const expected = new Exact(target).times(workingDays.elapsed).div(total).round(2, Big.roundHalfUp);
            const attainment = new Big(target).eq(0) ? null : rounded(actual, target, 4);
            const discipline = rounded(reviewScoreSum, reviewCount, 4);
            const planCompletion = rounded(workingDays.elapsed, total, 4);
            const requestResponse = requestsClosed === 0 ? null : rounded(requestsWithinSla, requestsClosed, 4);
            const growth = (base: string) =>
              new Big(base).eq(0) ? null : rounded(new Exact(actual).minus(base), base, 4);
            const parts = [
              [attainment === null ? null : Math.min(attainment, 1), a],
              [(discipline - 1) / 4, d],
              [planCompletion, p],
              [requestResponse, r],
            ] as const;
            const counted = parts.filter(([value, weight]) => value !== null && weight > 0);
            const weight = counted.reduce((sum, [, w]) => sum + w, 0);
            const weighted = counted.reduce(
              (sum, [value, w]) => sum.plus(new Exact(value as number).times(w)),
              new Exact(0),
            );
            expect(card).toMatchObject({
              attainment,
              growthRate: growth(previousActual),
              yoyGrowth: growth(yearAgoActual),
              expectedToDate: workingDays.elapsed === 0 ? 0 : Number(expected),
              pace: workingDays.elapsed === 0 || expected.eq(0) ? null : rounded(actual, expected, 4),
              discipline,
              planCompletionRate: planCompletion,
              requestResponseRate: requestResponse,
              compositeScore: weight === 0 ? null : rounded(weighted.times(100), weight, 1),
            });
          },
        ),
        { numRuns: 2_000 },
      );
    });
  });
});
