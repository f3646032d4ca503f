import Big from 'big.js';
import fc from 'fast-check';
import { InvalidInputError } from './errors';
import { monthBreakdown, weekStart } from './periods';

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

  it('refuses a week that does not exist', () => expect(() => weekStart('2026-W54')).toThrow(InvalidInputError));
});
