import Big from 'big.js';
import { InvalidInputError } from './errors';

/** Amounts in the company currency, kept as decimal strings with 2 places so sums never drift. */
export type Money = string;

export function toMoney(value: number | string, field: string): Money {
  let amount: Big;
  try {
    amount = new Big(value);
  } catch {
    throw new InvalidInputError([{ field, message: 'must be a decimal number' }]);
  }
  if (amount.lt(0)) throw new InvalidInputError([{ field, message: 'must not be negative' }]);
  return amount.round(2, Big.roundHalfEven).toFixed(2);
}

/** quantity x unit price x (1 - discount), rounded half-even to the cent. */
export function netAmount(quantity: number, unitPrice: Money, discount: number): Money {
  return new Big(unitPrice).times(quantity).times(new Big(1).minus(discount)).round(2, Big.roundHalfEven).toFixed(2);
}

export const sumMoney = (amounts: readonly Money[]): Money =>
  amounts.reduce((sum, amount) => sum.plus(amount), new Big(0)).toFixed(2);
