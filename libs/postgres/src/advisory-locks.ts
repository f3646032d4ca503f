import type { Pool, PoolClient } from 'pg';

/**
 * The product's fixed advisory lock keys, in one place: two uses sharing a key wait on each other
 * for no reason (the read model's migrations once held up the sealer this way). Keys hashed from a
 * name (a stream's, the settler's) are taken where they are used.
 */
export const LOCKS = {
  eventStoreMigrations: 7_390_413_520_101,
  /** Taken inside `event_store.seal_log` (SQL, sealed-log migration): one sealer at a time. */
  sealer: 7_390_413_520_102,
  /** The read-model database's schemas (read_model, outbound): a process migrates them one after the other anyway. */
  readModelDatabaseMigrations: 7_390_413_520_104,
  /** Held for the whole of a rebuild: a second one would replay into the same staging tables. */
  rebuild: 7_390_413_520_103,
  /** Held by the one relay that publishes; others wait, so the topic gets one copy in log order. */
  relayLeader: 7_390_413_520_201,
} as const;

/**
 * Takes a session-level advisory lock on a pooled connection of its own, which holds it until
 * `release(true)` closes the connection. Resolves to nothing when another session holds the lock.
 * Losing the connection frees the lock, so it must not crash the process: `onLost` is how the
 * holder hears of it. A holder may write through the connection what only the holder may write
 * (the relay its checkpoint): once the lock is lost, those writes fail.
 */
export async function tryHoldLock(
  pool: Pool,
  key: number,
  onLost: () => void = () => undefined,
): Promise<PoolClient | undefined> {
  const client = await pool.connect();
  client.on('error', onLost);
  try {
    const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [key]);
    if (rows[0]?.held) return client;
  } catch (error) {
    client.release(true);
    throw error;
  }
  client.off('error', onLost);
  client.release();
  return undefined;
}
