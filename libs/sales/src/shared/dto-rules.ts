import Big from 'big.js';
import { isISO8601, ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { SUPPORTED_YEARS } from '@salesledger/domain/scorecards/grains';

/** Client-chosen ids become stream names: keep them short and plain. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
export const ID_RULE = {
  message: '$property must be 1-100 letters, digits, _ . : - (starting with a letter or digit)',
};
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

const YEARS = `${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}`;

/** What is wrong with a date or instant, if anything: its form, or a year outside the supported calendar. */
function timeProblem(value: unknown, day: boolean): string | undefined {
  const form = day ? 'a date YYYY-MM-DD' : 'an ISO-8601 instant such as 2026-03-02T09:30:00Z';
  if (typeof value !== 'string' || !isISO8601(value, { strict: true }) || (day && !DAY.test(value)))
    return `must be ${form}`;
  const year = new Date(Date.parse(value)).getUTCFullYear();
  if (!(year >= SUPPORTED_YEARS.first && year <= SUPPORTED_YEARS.last)) return `must be within the years ${YEARS}`;
  return undefined;
}

function timeRule(name: string, day: boolean, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => timeProblem(value, day) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${options?.each ? 'each of ' : ''}${args?.property ?? 'value'} ${timeProblem(args?.value, day) ?? ''}`,
      },
    },
    options,
  );
}

/** An instant (or a day, read as its midnight UTC) within the supported calendar. */
export const IsInstant = (options?: ValidationOptions) => timeRule('isInstant', false, options);

/** A calendar day `YYYY-MM-DD` within the supported calendar. */
export const IsDay = (options?: ValidationOptions) => timeRule('isDay', true, options);

/** An optional instant from a query string already checked by `IsInstant`. */
export const instantOf = (value?: string): Date | undefined => (value ? new Date(value) : undefined);

/** Money arrives as a JSON number or a decimal string; what is wrong with it, if anything. */
function moneyProblem(value: unknown, max: number): string | undefined {
  if (typeof value !== 'number' && typeof value !== 'string')
    return 'must be a number or a decimal string such as 1250.50';
  if (typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value))
    return 'must be a number or a decimal string such as 1250.50';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a finite number';
  const amount = new Big(value);
  if (amount.lt(0)) return 'must not be negative';
  if (!amount.round(2, Big.roundDown).eq(amount)) return 'must have at most 2 decimal places';
  if (amount.gt(max)) return `must be at most ${max}`;
  return undefined;
}

/** An amount of money: a number or a decimal string, at most 2 places, 0 to `max`. */
export function IsMoney(max = 1e12, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoney',
      validator: {
        validate: (value: unknown) => moneyProblem(value, max) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'amount'} ${moneyProblem(args?.value, max) ?? 'must be an amount'}`,
      },
    },
    options,
  );
}

/** A money amount a client sent, as the API takes it. */
export type MoneyInput = number | string;

/** Money in every answer: a decimal string with 2 places. */
export const money = (value: number | string | Big): string => new Big(value).toFixed(2);
