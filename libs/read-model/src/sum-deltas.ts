import type { ClientBase } from 'pg';

/** The delta kept under `key`, made by `zero` the first time the key comes up. */
export function deltaAt<T>(deltas: Map<string, T>, key: string, zero: () => T): T {
  let delta = deltas.get(key);
  if (delta === undefined) deltas.set(key, (delta = zero()));
  return delta;
}

/**
 * Adds each row's sums to a table of running sums: a new key is inserted, a known one moved by the
 * row, and a row whose `emptyWhen` column reaches 0 is deleted, so an emptied key leaves no row.
 * Rows are named like the table's columns; `key` is the table's unique key.
 */
export async function addDeltas(
  client: ClientBase,
  table: string,
  shape: { key: readonly string[]; sums: readonly string[]; emptyWhen: string },
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const { key, sums, emptyWhen } = shape;
  const { rows: moved } = await client.query<Record<string, unknown>>(
    `INSERT INTO ${table} AS t SELECT * FROM json_populate_recordset(null::${table}, $1)
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${sums.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}
     RETURNING ${[...key, emptyWhen].join(', ')}`,
    [JSON.stringify(rows)],
  );
  const emptied = moved.filter((row) => Number(row[emptyWhen]) === 0);
  if (emptied.length > 0)
    await client.query(
      `DELETE FROM ${table} t USING json_populate_recordset(null::${table}, $1) k
       WHERE ${key.map((c) => `t.${c} = k.${c}`).join(' AND ')}`,
      [JSON.stringify(emptied)],
    );
}
