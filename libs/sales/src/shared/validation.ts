import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { InvalidInputError, type FieldProblem } from '@salesledger/domain/errors';

const TYPE_NAMES = new Map<unknown, string>([
  [String, 'a string'],
  [Number, 'a number'],
  [Boolean, 'true or false'],
  [Array, 'an array'],
]);

/**
 * The problem with a field as a person would put it: missing, or of the wrong type, before any
 * rule about its content (class-validator reports the first rule it tried, which may not be the
 * one that matters: a missing field "must be longer than 4 characters").
 */
function plainProblem(error: ValidationError, field: string): string | undefined {
  if (error.value === undefined || error.value === null) return `${field} is required`;
  const declared: unknown = error.target && Reflect.getMetadata('design:type', error.target, error.property);
  const expected = TYPE_NAMES.get(declared);
  if (expected === undefined) return undefined;
  const actual = Array.isArray(error.value) ? 'array' : typeof error.value;
  const matches = declared === Array ? actual === 'array' : actual === (declared as () => unknown).name.toLowerCase();
  return matches ? undefined : `${field} must be ${expected}`;
}

/** class-validator's nested errors as flat field problems: `lines.0.quantity: must be a number`. */
export function fieldProblems(error: ValidationError, prefix = ''): FieldProblem[] {
  const field = `${prefix}${error.property}`;
  const constraints = Object.values(error.constraints ?? {});
  const plain = constraints.length > 0 ? plainProblem(error, error.property) : undefined;
  const own = (plain ? [plain] : constraints).map((message) => ({ field, message }));
  return [...own, ...(error.children ?? []).flatMap((child) => fieldProblems(child, `${field}.`))];
}

/** The same rules the API's validation pipe applies, for input that does not come over HTTP. */
export async function validated<T extends object>(type: new () => T, plain: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (errors.length > 0) throw new InvalidInputError(errors.flatMap((error) => fieldProblems(error)));
  return instance;
}
