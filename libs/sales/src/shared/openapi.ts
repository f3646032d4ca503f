import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  type ApiPropertyOptions,
  getSchemaPath,
} from '@nestjs/swagger';

export class FieldProblemResponse {
  @ApiProperty({ example: 'amount' }) field!: string;
  @ApiProperty({ example: 'amount must have at most 2 decimal places' }) message!: string;
}

/** Every 4xx and 5xx answer. */
export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request', description: 'the HTTP reason phrase' }) error!: string;
  @ApiProperty({ example: 'amount: amount must have at most 2 decimal places' }) message!: string;
  @ApiPropertyOptional({ type: [FieldProblemResponse], description: 'on 400: each field and what is wrong with it' })
  fields?: FieldProblemResponse[];
}

const ERROR_MEANINGS: Record<number, string> = {
  400: 'invalid input: every field in error is named in `fields`; nothing was changed',
  401: 'no valid bearer token',
  403: 'the caller may not do this; the message says who may',
  404: 'an id in the path or body names nothing',
  409: 'a stale expected version, an id used for another request, or a state that forbids the change',
  413: 'the body is too large',
  429: "more requests than the token's budget a minute (RATE_LIMIT_PER_MINUTE): try again after Retry-After seconds",
  503: "the database (or, for the projections' lag in Kafka mode, the broker) is out of reach; nothing was changed: try again after Retry-After seconds",
};

/** A money amount in an answer: a decimal string with 2 places. */
export const MONEY = { type: String, example: '120000.00', pattern: '^-?\\d+\\.\\d{2}$' } as const;
/** A money amount in a request: a JSON number or a decimal string with at most 2 places. */
export const MONEY_INPUT: ApiPropertyOptions = {
  oneOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\d+(\\.\\d{1,2})?$' },
  ],
  example: '120000.50',
  description: 'a JSON number or a decimal string, at most 2 decimal places',
};

const pages = new Map<Type<unknown>, Type<unknown>>();

/** The `{items, nextCursor}` answer of a list of `item`. */
export function PageOf(item: Type<unknown>): Type<unknown> {
  const known = pages.get(item);
  if (known) return known;
  class Page {
    @ApiProperty({ type: [item] }) items!: unknown[];
    @ApiProperty({ type: String, nullable: true, description: 'the cursor of the next page; null on the last' })
    nextCursor!: string | null;
  }
  Object.defineProperty(Page, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  pages.set(item, Page);
  return Page;
}

export interface OperationDoc {
  readonly summary: string;
  readonly description?: string;
  /** The 2xx answer's schema; `null` for 204. */
  readonly ok: Type<unknown> | [Type<unknown>] | null;
  readonly status?: number;
  /** Client errors the route can answer besides 400, 401, 413, 429 (and 503 in an outage). */
  readonly errors?: readonly (403 | 404 | 409 | 413)[];
}

/** Summary, the 2xx schema, and the shared error schema for each 4xx the route answers. */
export function Operation(doc: OperationDoc): MethodDecorator {
  const status = doc.status ?? 200;
  const ok =
    doc.ok === null
      ? ApiResponse({ status, description: 'done' })
      : ApiResponse({ status, description: doc.description ?? doc.summary, type: doc.ok });
  const errors = [...new Set([400, 401, 413, 429, 503, ...(doc.errors ?? [])])].map((code) =>
    ApiResponse({ status: code, description: ERROR_MEANINGS[code], schema: { $ref: getSchemaPath(ErrorResponse) } }),
  );
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ApiOperation({ summary: doc.summary, ...(doc.description && { description: doc.description }) }),
    ok,
    ...errors,
  );
}

/** A route answering `text/event-stream`: its events described in words, with an example. */
export function EventStreamOperation(doc: { summary: string; description: string; example: string }): MethodDecorator {
  // The errors are JSON, as everywhere: named per response, since the stream's media type is not.
  const errors = [400, 401, 429, 503].map((code) =>
    ApiResponse({
      status: code,
      description: ERROR_MEANINGS[code],
      content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) } } },
    }),
  );
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ApiOperation({ summary: doc.summary, description: doc.description }),
    ApiResponse({
      status: 200,
      description: 'an open stream of server-sent events',
      content: { 'text/event-stream': { schema: { type: 'string', example: doc.example } } },
    }),
    ...errors,
  );
}
