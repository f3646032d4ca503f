import { InvalidInputError } from '@salesledger/domain/errors';
import { MONTH } from '@salesledger/domain/targets/target.decider';
import { assertSupportedYear } from '@salesledger/domain/scorecards/grains';

/** A target's month from a path: `YYYY-MM` within the supported calendar. */
export function assertMonth(month: string): void {
  if (!MONTH.test(month)) throw new InvalidInputError([{ field: 'month', message: 'must be YYYY-MM' }]);
  assertSupportedYear(Number(month.slice(0, 4)), 'month');
}
