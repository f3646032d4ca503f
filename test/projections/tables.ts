import type { Pool } from 'pg';

/** Bookkeeping whose contents depend on how the log was cut into batches, not on the log. */
const BOOKKEEPING = ['migrations', 'scorecard_changes'];

/** Every read-model table of a schema, rows in a stable order, for "identical tables" comparisons. */
export async function dumpTables(
  pool: Pool,
  schema: string,
  alsoExcept: string[] = [],
): Promise<Record<string, unknown[]>> {
  const except = [...BOOKKEEPING, ...alsoExcept];
  const { rows: tables } = await pool.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`,
    [schema],
  );
  const dump: Record<string, unknown[]> = {};
  for (const { table_name: table } of tables) {
    if (except.includes(table)) continue;
    const { rows } = await pool.query(`SELECT * FROM ${schema}.${table} t ORDER BY t::text`);
    dump[table] = rows;
  }
  return dump;
}

/**
 * Where two dumps differ, briefly: per table the row counts and the first row that differs. Jest's
 * own diff of two dumps of thousands of rows takes many minutes; this fails in milliseconds.
 */
export function tableDifferences(actual: Record<string, unknown[]>, expected: Record<string, unknown[]>): string[] {
  const differences: string[] = [];
  for (const table of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const [a, e] = [
      (actual[table] ?? []).map((r) => JSON.stringify(r)),
      (expected[table] ?? []).map((r) => JSON.stringify(r)),
    ];
    const at = a.findIndex((row, i) => row !== e[i]);
    if (a.length !== e.length || at >= 0) {
      const i = at >= 0 ? at : Math.min(a.length, e.length);
      differences.push(
        `${table}: ${a.length} rows, expected ${e.length}; first difference at row ${i}: ${a[i]} ≠ ${e[i]}`,
      );
    }
  }
  return differences;
}
