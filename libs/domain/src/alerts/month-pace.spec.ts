import Big from 'big.js';
import fc from 'fast-check';
import { sumMoney } from '../money';
import { daysOf, nextDay, periodRange, workingDaysBetween } from '../scorecards/grains';
import { ALERT_RULES, type RepSituation } from './alert-rules.policy';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from './alert-settings';
import { centsOf, moneyOf, monthPace, type MonthSales } from './month-pace';

/**
 * The definitions of docs/kpis.md written the slow, obvious way (decimals, day by day): what the
 * rule computes in integer cents must equal it on any month.
 */
function reference(month: MonthSales, today: string, holidays: readonly string[]) {
  if (month.target === null) return null;
  const range = periodRange('month', today.slice(0, 7));
  const off = new Set(holidays);
  const completed = daysOf({ start: range.start, end: today }).filter(
    (day) => workingDaysBetween(day, nextDay(day), off) === 1,
  );
  const total = workingDaysBetween(range.start, range.end, off) || 1;
  const expectedAfter = (days: number) =>
    new Big(month.target as string).times(days).div(total).round(2, Big.roundHalfUp).toFixed(2);
  const sales = month.sales.filter((sale) => sale.day >= range.start && sale.day <= today);
  const soldBy = (day: string) => sumMoney(sales.filter((sale) => sale.day <= day).map((sale) => sale.amount));
  return {
    actual: soldBy(today),
    expected: expectedAfter(completed.length),
    workingDaysCompleted: completed.length,
    curve: completed.map((day, i) => ({ day, actual: soldBy(day), expected: expectedAfter(i + 1) })),
  };
}

const cents = (max: number) => fc.integer({ min: 0, max }).map(moneyOf);
const dayIn = (month: string) => fc.integer({ min: 1, max: 28 }).map((d) => `${month}-${String(d).padStart(2, '0')}`);
const month = fc.constantFrom('2026-02', '2026-03', '2027-12', '2028-02');

const scenario = month.chain((m) =>
  fc.record({
    today: fc.oneof(dayIn(m), fc.constant(daysOf(periodRange('month', m)).at(-1) as string)),
    holidays: fc.uniqueArray(dayIn(m), { maxLength: 4 }),
    month: fc.record({
      target: fc.option(cents(1_000_000_000_00), { nil: null }),
      targetPositions: fc.array(fc.nat(1000), { maxLength: 3 }),
      sales: fc.array(
        fc.record({
          // Some of the month before, to be left out.
          day: fc.oneof(dayIn(m), fc.constant(`${Number(m.slice(0, 4)) - 1}${m.slice(4)}-15`)),
          amount: cents(5_000_000_00),
          positions: fc.array(fc.nat(1000), { maxLength: 2 }),
        }),
        { maxLength: 40 },
      ),
    }),
  }),
);

describe('a month pace in integer cents', () => {
  it('equals the decimal definitions: actual, expected, working days and every point of the curve', () =>
    fc.assert(
      fc.property(scenario, ({ today, holidays, month }) => {
        const pace = monthPace(month, today, holidays);
        const { actual, expected, workingDaysCompleted, curve } = pace ?? {};
        expect(pace && { actual, expected, workingDaysCompleted, curve }).toEqual(reference(month, today, holidays));
      }),
      { numRuns: 300 },
    ));

  it('reads and writes money as the 2-place decimal strings the rest of the product uses', () => {
    for (const money of ['0.00', '0.05', '12.30', '1234567890.99', '-4.10'])
      expect(moneyOf(centsOf(money))).toBe(money);
    expect(centsOf('7')).toBe(700);
    expect(centsOf('7.5')).toBe(750);
    expect(centsOf('-7.5')).toBe(-750);
    expect(centsOf('-0.05')).toBe(-5);
    // Every amount of whole cents a JavaScript number holds exactly (up to about 90 trillion).
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (cents) => {
        expect(centsOf(moneyOf(cents))).toBe(cents);
      }),
    );
  });

  it('decides the severity as the exact decimal comparison would, whatever the thresholds', () =>
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        ({ today, holidays, month }, a, b) => {
          const [criticalBelow, warningBelow] = [Math.min(a, b) / 1000, (Math.max(a, b) + 1) / 1001];
          const settings: AlertSettings = {
            ...DEFAULT_ALERT_SETTINGS,
            rules: {
              ...DEFAULT_ALERT_SETTINGS.rules,
              'pace-below-expected': { enabled: true, warningBelow, criticalBelow, afterWorkingDays: 1 },
            },
          };
          const situation: RepSituation = {
            repId: 'rep-1',
            teamId: 'team-1',
            hiredOn: '2020-01-01',
            leftOn: null,
            holidays,
            month,
            lastVisit: null,
            unsubmittedPapers: [],
            lostCustomers: [],
            unansweredRequests: [],
          };
          const [decision] = ALERT_RULES['pace-below-expected'](situation, settings, `${today}T12:00:00.000Z`);
          const standing = reference(month, today, holidays);
          const below = (threshold: number) =>
            standing !== null && new Big(standing.actual).lt(new Big(standing.expected).times(threshold));
          const severity =
            !standing || standing.workingDaysCompleted < 1 || new Big(standing.expected).lte(0)
              ? undefined
              : below(criticalBelow)
                ? 'critical'
                : below(warningBelow)
                  ? 'warning'
                  : undefined;
          expect(decision?.severity).toBe(severity);
        },
      ),
      { numRuns: 300 },
    ));
});
