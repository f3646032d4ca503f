import type { Pool } from 'pg';
import { InvalidInputError } from '@salesledger/domain/errors';

export interface Page<T> {
  readonly items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** Conditions joined by AND, with their parameters numbered as they are added. */
export class Where {
  private readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  /** Each `?` in the condition stands for the next of `values`. */
  add(condition: string, ...values: unknown[]): this {
    let next = 0;
    this.conditions.push(condition.replaceAll('?', () => `$${this.params.length + ++next}`));
    this.params.push(...values);
    return this;
  }

  /** Adds the condition only when the filter was given. */
  optional(condition: string, value: unknown): this {
    return value === undefined ? this : this.add(condition, value);
  }

  toString(): string {
    return this.conditions.length === 0 ? 'true' : this.conditions.join(' AND ');
  }
}

/** How a list pages: by a key no write ever changes (SQL of type `type`), then a unique id, newest first. */
export interface PageKey {
  readonly sort: string;
  readonly type: 'timestamptz' | 'date' | 'bigint';
  readonly id: string;
}

const encode = (key: [string, string]) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decode(cursor: string): [string, string] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(key) && key.length === 2 && key.every((part) => typeof part === 'string'))
      return key as [string, string];
  } catch {
    // reported below, like any other cursor this API did not hand out
  }
  throw new InvalidInputError([{ field: 'cursor', message: 'cursor is not one a previous page returned' }]);
}

/**
 * One page of `from` (a FROM clause with its joins) filtered by `where`, after the cursor's row.
 * The select list must include the key as `page_sort` and `page_id` (text).
 */
export async function keysetPage<Row, Item>(
  pool: Pool,
  query: { select: string; from: string; where: Where; key: PageKey },
  page: PageRequest,
  view: (row: Row) => Item,
): Promise<Page<Item>> {
  const { select, from, where, key } = query;
  if (page.cursor !== undefined) {
    const [sort, id] = decode(page.cursor);
    where.add(`(${key.sort}, ${key.id}) < (?::${key.type}, ?)`, sort, id);
  }
  const { rows } = await pool.query(
    `SELECT ${select}, (${key.sort})::text AS page_sort, ${key.id} AS page_id FROM ${from}
     WHERE ${where} ORDER BY ${key.sort} DESC, ${key.id} DESC LIMIT ${page.limit + 1}`,
    where.params,
  );
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const last = items.at(-1) as { page_sort: string; page_id: string } | undefined;
  return {
    items: items.map((row) => view(row as Row)),
    nextCursor: more && last ? encode([last.page_sort, last.page_id]) : null,
  };
}
