import { InvalidInputError } from '../errors';
import {
  daysOf,
  nextPeriod,
  periodRange,
  periodsOf,
  previousPeriod,
  workingDaysBetween,
  yearAgoPeriod,
  yearLaterPeriod,
  type Grain,
  type PeriodRange,
} from './grains';

/** The `[period, start, end]` of a range, for compact expectations. */
const span = (range: PeriodRange | undefined) => range && [range.period, range.start, range.end];

describe('the range of a period', () => {
  it.each<[Grain, string, string, string]>([
    ['day', '2026-03-15', '2026-03-15', '2026-03-16'],
    ['day', '2026-12-31', '2026-12-31', '2027-01-01'],
    ['week', '2026-W01', '2025-12-29', '2026-01-05'],
    ['week', '2026-W53', '2026-12-28', '2027-01-04'],
    ['week', '2020-W53', '2020-12-28', '2021-01-04'],
    ['month', '2026-03', '2026-03-01', '2026-04-01'],
    ['month', '2024-02', '2024-02-01', '2024-03-01'],
    ['month', '2026-12', '2026-12-01', '2027-01-01'],
    ['quarter', '2026-Q1', '2026-01-01', '2026-04-01'],
    ['quarter', '2026-Q4', '2026-10-01', '2027-01-01'],
    ['year', '2026', '2026-01-01', '2027-01-01'],
  ])('gives %s %s from %s (inclusive) to %s (exclusive)', (grain, period, start, end) => {
    expect(periodRange(grain, period)).toEqual({ grain, period, start, end });
  });

  it.each<[Grain, string]>([
    ['month', '2026-13'],
    ['month', '2026-00'],
    ['day', '2026-02-30'],
    ['day', '2025-02-29'],
    ['week', '2026-W54'],
    ['week', '2026-W00'],
    ['week', '2021-W53'],
    ['quarter', '2026-Q5'],
    ['quarter', '2026-Q0'],
    ['day', '2026-03'],
    ['day', '2026-3-1'],
    ['week', '2026-W1'],
    ['week', '2026-03-02'],
    ['month', '2026-03-01'],
    ['month', '2026-3'],
    ['quarter', '2026-1'],
    ['year', '26'],
    ['year', '2026-01'],
  ])('refuses %s %s as an invalid period', (grain, period) => {
    let error: unknown;
    try {
      periodRange(grain, period);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems.map((problem) => problem.field)).toEqual(['period']);
  });

  it('tells how the period of the grain is written', () => {
    expect(() => periodRange('week', '2026-03-02')).toThrow('period: must be a week written YYYY-Www');
    expect(() => periodRange('quarter', '2026-Q5')).toThrow('YYYY-Qn');
  });

  it('knows 2020 has a week 53 and 2021 has none', () => {
    expect(periodRange('week', '2020-W53').period).toBe('2020-W53');
    expect(() => periodRange('week', '2021-W53')).toThrow(InvalidInputError);
  });
});

describe('the periods containing a day', () => {
  it('are its day, ISO week, month, quarter and year', () => {
    expect(periodsOf('2026-01-01')).toEqual([
      { grain: 'day', period: '2026-01-01', start: '2026-01-01', end: '2026-01-02' },
      { grain: 'week', period: '2026-W01', start: '2025-12-29', end: '2026-01-05' },
      { grain: 'month', period: '2026-01', start: '2026-01-01', end: '2026-02-01' },
      { grain: 'quarter', period: '2026-Q1', start: '2026-01-01', end: '2026-04-01' },
      { grain: 'year', period: '2026', start: '2026-01-01', end: '2027-01-01' },
    ]);
  });

  it('puts a Sunday in the week that began on the Monday before', () => {
    const [, week, , quarter] = periodsOf('2026-08-16');
    expect(span(week)).toEqual(['2026-W33', '2026-08-10', '2026-08-17']);
    expect(span(quarter)).toEqual(['2026-Q3', '2026-07-01', '2026-10-01']);
  });

  it('gives ranges that each contain the day', () => {
    for (const range of periodsOf('2027-01-03')) {
      expect(range.start <= '2027-01-03').toBe(true);
      expect('2027-01-03' < range.end).toBe(true);
    }
  });
});

describe('the previous period', () => {
  it.each<[Grain, string, string, string, string]>([
    ['day', '2026-01-01', '2025-12-31', '2025-12-31', '2026-01-01'],
    ['day', '2024-03-01', '2024-02-29', '2024-02-29', '2024-03-01'],
    ['week', '2026-W10', '2026-W09', '2026-02-23', '2026-03-02'],
    ['week', '2026-W01', '2025-W52', '2025-12-22', '2025-12-29'],
    ['week', '2021-W01', '2020-W53', '2020-12-28', '2021-01-04'],
    ['month', '2026-01', '2025-12', '2025-12-01', '2026-01-01'],
    ['month', '2026-03', '2026-02', '2026-02-01', '2026-03-01'],
    ['quarter', '2026-Q1', '2025-Q4', '2025-10-01', '2026-01-01'],
    ['year', '2026', '2025', '2025-01-01', '2026-01-01'],
  ])('of %s %s is %s', (grain, period, previous, start, end) => {
    expect(previousPeriod(periodRange(grain, period))).toEqual({ grain, period: previous, start, end });
  });
});

describe('the next period', () => {
  it.each<[Grain, string, string, string, string]>([
    ['day', '2025-12-31', '2026-01-01', '2026-01-01', '2026-01-02'],
    ['week', '2025-W52', '2026-W01', '2025-12-29', '2026-01-05'],
    ['week', '2026-W52', '2026-W53', '2026-12-28', '2027-01-04'],
    ['week', '2026-W53', '2027-W01', '2027-01-04', '2027-01-11'],
    ['month', '2026-12', '2027-01', '2027-01-01', '2027-02-01'],
    ['quarter', '2026-Q4', '2027-Q1', '2027-01-01', '2027-04-01'],
    ['year', '2026', '2027', '2027-01-01', '2028-01-01'],
  ])('of %s %s is %s', (grain, period, next, start, end) => {
    expect(nextPeriod(periodRange(grain, period))).toEqual({ grain, period: next, start, end });
  });

  it('is the period whose previous period this is', () => {
    for (const [grain, period] of [
      ['day', '2024-02-29'],
      ['week', '2020-W53'],
      ['month', '2024-01'],
      ['quarter', '2026-Q2'],
      ['year', '2026'],
    ] as const) {
      const range = periodRange(grain, period);
      expect(nextPeriod(range).start).toBe(range.end);
      expect(previousPeriod(nextPeriod(range))).toEqual(range);
    }
  });
});

describe('the same period a year earlier', () => {
  it.each<[Grain, string, string, string, string]>([
    ['day', '2026-03-15', '2025-03-15', '2025-03-15', '2025-03-16'],
    ['week', '2026-W10', '2025-W10', '2025-03-03', '2025-03-10'],
    ['week', '2026-W01', '2025-W01', '2024-12-30', '2025-01-06'],
    ['month', '2026-02', '2025-02', '2025-02-01', '2025-03-01'],
    ['quarter', '2026-Q3', '2025-Q3', '2025-07-01', '2025-10-01'],
    ['year', '2026', '2025', '2025-01-01', '2026-01-01'],
  ])('of %s %s is %s', (grain, period, yearAgo, start, end) => {
    expect(yearAgoPeriod(periodRange(grain, period))).toEqual({ grain, period: yearAgo, start, end });
  });

  it('does not exist for 29 February', () => {
    expect(yearAgoPeriod(periodRange('day', '2024-02-29'))).toBeNull();
  });

  it('does not exist for a week 53 when the year before had 52 weeks', () => {
    expect(yearAgoPeriod(periodRange('week', '2026-W53'))).toBeNull();
  });
});

describe('the same period a year later', () => {
  it.each<[Grain, string, string, string, string]>([
    ['day', '2025-03-15', '2026-03-15', '2026-03-15', '2026-03-16'],
    ['week', '2025-W01', '2026-W01', '2025-12-29', '2026-01-05'],
    ['week', '2025-W52', '2026-W52', '2026-12-21', '2026-12-28'],
    ['month', '2025-12', '2026-12', '2026-12-01', '2027-01-01'],
    ['quarter', '2025-Q1', '2026-Q1', '2026-01-01', '2026-04-01'],
    ['year', '2025', '2026', '2026-01-01', '2027-01-01'],
  ])('of %s %s is %s', (grain, period, yearLater, start, end) => {
    expect(yearLaterPeriod(periodRange(grain, period))).toEqual({ grain, period: yearLater, start, end });
  });

  it('does not exist for 29 February nor for a week 53 the next year lacks', () => {
    expect(yearLaterPeriod(periodRange('day', '2024-02-29'))).toBeNull();
    expect(yearLaterPeriod(periodRange('week', '2020-W53'))).toBeNull();
  });

  it('is the period whose year-ago period this is', () => {
    const range = periodRange('week', '2025-W30');
    expect(yearAgoPeriod(yearLaterPeriod(range)!)).toEqual(range);
  });
});

describe('working days', () => {
  const none = new Set<string>();

  it('count Monday to Friday, from start inclusive to end exclusive', () => {
    expect(workingDaysBetween('2026-03-02', '2026-03-09', none)).toBe(5);
    expect(workingDaysBetween('2026-03-02', '2026-03-06', none)).toBe(4);
    expect(workingDaysBetween('2026-03-01', '2026-04-01', none)).toBe(22);
  });

  it('are none over a weekend or an empty range', () => {
    expect(workingDaysBetween('2026-03-07', '2026-03-09', none)).toBe(0);
    expect(workingDaysBetween('2026-03-04', '2026-03-04', none)).toBe(0);
  });

  it('leave out holidays on weekdays, and are not reduced twice by a holiday on a weekend', () => {
    expect(workingDaysBetween('2026-12-01', '2027-01-01', new Set(['2026-12-24', '2026-12-25']))).toBe(21);
    expect(workingDaysBetween('2026-03-02', '2026-03-09', new Set(['2026-03-07']))).toBe(5);
  });

  it('ignore holidays outside the range, including on its end day', () => {
    expect(workingDaysBetween('2026-03-02', '2026-03-09', new Set(['2026-03-09', '2026-02-27']))).toBe(5);
  });
});

describe('the days of a range', () => {
  it('are every calendar day from start to the day before end, in order', () => {
    expect(daysOf(periodRange('week', '2026-W01'))).toEqual([
      '2025-12-29',
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
    ]);
  });

  it('include 29 February in a leap year', () => {
    const days = daysOf(periodRange('month', '2024-02'));
    expect(days).toHaveLength(29);
    expect(days.at(-1)).toBe('2024-02-29');
  });

  it('are none for an empty range', () => {
    expect(daysOf({ start: '2026-03-04', end: '2026-03-04' })).toEqual([]);
  });
});
