import { stringify, type Stringifier } from 'csv-stringify';

/** A cell a spreadsheet would read as a formula (or a command, after a tab or carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number, negative ones included: left alone so money columns stay numbers. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A text cell made safe to open in a spreadsheet: one that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return gets a leading `'`, so it is shown as typed instead of evaluated. Plain
 * numbers (`-12.50`) are left as they are.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/**
 * The one way the product writes CSV: every text cell goes through `neutraliseCell`; numbers,
 * booleans and dates keep csv-stringify's own rendering.
 */
export function csvWriter(): Stringifier {
  return stringify({ cast: { string: neutraliseCell } });
}
