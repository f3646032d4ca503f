import { Pool, type ClientBase, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import './date-type';

/**
 * A connection pool whose idle clients may lose their server without crashing the process, and
 * whose connections never JIT-compile a statement. PostgreSQL compiles any statement it estimates
 * above `jit_above_cost`, and a lookup of a few thousand keys (an unnest of an array joined
 * through an index) is estimated there though it runs in milliseconds: a rebuild's replay spent
 * 100–190 ms compiling one such lookup per page. Set by a statement as each connection opens,
 * before it is handed out (a failure ends it): a startup option would save the round trip, but
 * connection poolers such as PgBouncer refuse one.
 */
export function openPool(url: string, onError: (error: Error) => void, max = 10): Pool {
  const pool = new Pool({ connectionString: url, max, onConnect: (client) => client.query('SET jit = off') });
  // The next query reconnects; the error is only worth reporting.
  pool.on('error', onError);
  return pool;
}

/** Runs `work` in one transaction on one client: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A connection lost between two statements is reported on the client, not on the pool; the next
  // statement fails with it and the transaction is abandoned, so the event itself needs no handler.
  const lost = () => (broken = true);
  client.on('error', lost);
  try {
    return await transaction(client, work, lost);
  } finally {
    // A connection that cannot even roll back is dropped, not handed to the next batch.
    client.off('error', lost);
    client.release(broken);
  }
}

/**
 * Runs `work` in one transaction on a client the caller holds: committed if it resolves, rolled
 * back if it throws. `unusable` hears of a connection that could not even roll back.
 */
export async function transaction<T>(
  client: ClientBase,
  work: (client: ClientBase) => Promise<T>,
  unusable: () => void = () => undefined,
): Promise<T> {
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(unusable);
    throw error;
  }
}

/**
 * Runs a named statement on its generic plan, planned once per connection and kept: for statements
 * that took longer to plan than to run, which PostgreSQL would otherwise keep planning anew. Only
 * this statement is affected (SET LOCAL, and back), so the caller must be in a transaction.
 */
export async function queryOnKeptPlan<R extends QueryResultRow>(
  client: ClientBase,
  statement: QueryConfig & { name: string },
): Promise<QueryResult<R>> {
  await client.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
  const result = await client.query<R>(statement);
  await client.query(`SET LOCAL plan_cache_mode = DEFAULT`);
  return result;
}
