import { describe, expect, it } from 'vitest';
import { isPeriod, lastPeriods, periodOf, shiftPeriod } from './periods';

describe('periods as the API names them', () => {
  it('names each grain of a day', () => {
    const day = new Date(2027, 0, 1); // a Friday in ISO week 53 of 2026
    expect(periodOf('day', day)).toBe('2027-01-01');
    expect(periodOf('week', day)).toBe('2026-W53');
    expect(periodOf('month', day)).toBe('2027-01');
    expect(periodOf('quarter', day)).toBe('2027-Q1');
    expect(periodOf('year', day)).toBe('2027');
  });

  it('steps across year ends', () => {
    expect(shiftPeriod('month', '2027-01', -1)).toBe('2026-12');
    expect(shiftPeriod('week', '2026-W53', 1)).toBe('2027-W01');
    expect(shiftPeriod('quarter', '2026-Q4', 1)).toBe('2027-Q1');
    expect(shiftPeriod('day', '2028-02-28', 1)).toBe('2028-02-29');
  });

  it('lists the last six periods oldest first', () => {
    expect(lastPeriods('month', '2026-03', 6)).toEqual([
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
  });

  it('checks a period against its grain', () => {
    expect(isPeriod('week', '2026-W09')).toBe(true);
    expect(isPeriod('week', '2026-09')).toBe(false);
    expect(isPeriod('quarter', '2026-Q5')).toBe(false);
  });
});
