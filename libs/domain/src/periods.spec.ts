import Big from 'big.js';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { InvalidInputError } from './errors';
import { mondayAfter, monthBreakdown, weekStart } from './periods';

describe('a month target split by working days', () => {
  it('gives March 2026 its 22 working days, in ISO weeks cut at the month boundary', () => {
    const weeks = monthBreakdown('2026-03', '2200.00', 'week', []);
    expect(weeks.map((w) => [w.period, w.workingDays, w.amount])).toEqual([
      ['2026-W10', 5, '500.00'],
      ['2026-W11', 5, '500.00'],
      ['2026-W12', 5, '500.00'],
      ['2026-W13', 5, '500.00'],
      ['2026-W14', 2, '200.00'],
    ]);
  });

  it('leaves holidays out and gives their share to the other days', () => {
    const days = monthBreakdown('2026-12', '1000.00', 'day', ['2026-12-25', '2026-12-24']);
    expect(days.map((d) => d.period)).not.toContain('2026-12-25');
    expect(days).toHaveLength(21);
    expect(days.every((d) => d.workingDays === 1)).toBe(true);
  });

  it('adds up to the month amount to the cent, for any amount and holidays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000_00 }),
        fc.integer({ min: 2020, max: 2030 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom<'week' | 'day'>('week', 'day'),
        fc.uniqueArray(fc.integer({ min: 1, max: 28 })),
        (cents, year, month, grain, holidayDays) => {
          const key = `${year}-${String(month).padStart(2, '0')}`;
          const amount = new Big(cents).div(100).toFixed(2);
          const shares = monthBreakdown(
            key,
            amount,
            grain,
            holidayDays.map((d) => `${key}-${String(d).padStart(2, '0')}`),
          );
          const total = shares.reduce((sum, s) => sum.plus(s.amount), new Big(0));
          expect(shares.length === 0 || total.eq(amount)).toBe(true);
          const spread = shares.map((s) => new Big(s.amount).div(s.workingDays).toNumber());
          if (spread.length > 0) expect(Math.max(...spread) - Math.min(...spread)).toBeLessThanOrEqual(0.01 + 1e-9);
        },
      ),
    );
  });

  const monthArbitrary = fc.record({
    cents: fc.integer({ min: 0, max: 100_000_000_00 }),
    year: fc.integer({ min: 2020, max: 2030 }),
    month: fc.integer({ min: 1, max: 12 }),
    holidayDays: fc.uniqueArray(fc.integer({ min: 1, max: 28 })),
  });
  const split = ({
    cents,
    year,
    month,
    holidayDays,
  }: {
    cents: number;
    year: number;
    month: number;
    holidayDays: number[];
  }) => {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    const holidays = holidayDays.map((d) => `${key}-${String(d).padStart(2, '0')}`);
    const amount = new Big(cents).div(100).toFixed(2);
    return {
      amount,
      weeks: monthBreakdown(key, amount, 'week', holidays),
      days: monthBreakdown(key, amount, 'day', holidays),
    };
  };

  it("gives each week exactly the sum of its days, and the weeks the month's amount", () => {
    fc.assert(
      fc.property(monthArbitrary, (input) => {
        const { amount, weeks, days } = split(input);
        const byWeek = new Map<string, Big>();
        for (const day of days) {
          const week = DateTime.fromISO(day.period, { zone: 'utc' }).toFormat("kkkk-'W'WW");
          byWeek.set(week, (byWeek.get(week) ?? new Big(0)).plus(day.amount));
        }
        expect(weeks.map((w) => [w.period, w.amount])).toEqual(
          [...byWeek].map(([week, sum]) => [week, sum.toFixed(2)]),
        );
        const total = weeks.reduce((sum, w) => sum.plus(w.amount), new Big(0));
        expect(weeks.length === 0 || total.eq(amount)).toBe(true);
      }),
    );
  });

  it('hands the leftover cents one each to the earliest working days', () => {
    fc.assert(
      fc.property(monthArbitrary, (input) => {
        const cents = split(input).days.map((d) => Number(new Big(d.amount).times(100)));
        // Non-increasing and at most one cent apart: the larger shares come first.
        cents.forEach((c, i) => i > 0 && expect(c).toBeLessThanOrEqual(cents[i - 1] as number));
        if (cents.length > 0) expect((cents[0] as number) - (cents.at(-1) as number)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('splits a week across two months by its days in the month asked for (the case that differed by cents)', () => {
    const weeks = monthBreakdown('2026-06', '200000.00', 'week', []);
    const days = monthBreakdown('2026-06', '200000.00', 'day', []);
    // 22 working days: 9090.90 each and 20 cents left over, which go to 1-26 June.
    expect(days[0]?.amount).toBe('9090.91');
    expect(days.at(-1)?.amount).toBe('9090.90');
    expect(weeks.find((w) => w.period === '2026-W27')).toEqual({
      period: '2026-W27',
      workingDays: 2,
      amount: '18181.80',
    });
  });

  it('refuses a week that does not exist', () => expect(() => weekStart('2026-W54')).toThrow(InvalidInputError));
});

describe('the week after a day', () => {
  it.each([
    ['a Monday', '2026-12-07', '2026-12-14'],
    ['a Wednesday', '2026-12-09', '2026-12-14'],
    ['a Sunday', '2026-12-13', '2026-12-14'],
    ['across a year', '2026-12-31', '2027-01-04'],
  ])('starts on the Monday after the week of %s', (_, day, monday) =>
    expect(mondayAfter(day).toISODate()).toBe(monday),
  );
});
