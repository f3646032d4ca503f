import Big from 'big.js';
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** Client-chosen ids become stream names: keep them short and plain. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
export const ID_RULE = {
  message: '$property must be 1-100 letters, digits, _ . : - (starting with a letter or digit)',
};
export const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const DAY_RULE = { message: '$property must be a date YYYY-MM-DD' };

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
