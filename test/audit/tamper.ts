import type { Client } from 'pg';
import { chainHash, eventDigest, logChainHash } from '@salesledger/domain/event-hash';

/** What a careful forger does after editing rows: every later hash of the stream and its head made to fit. */
export async function rechainStream(sql: Client, streamId: string): Promise<void> {
  const { rows } = await sql.query(
    `SELECT position, stream_revision, event_id, type, data, metadata FROM event_store.events
     WHERE stream_id = $1 ORDER BY stream_revision`,
    [streamId],
  );
  let previous: Buffer | null = null;
  for (const row of rows) {
    const digest = eventDigest(streamId, {
      eventId: row.event_id,
      type: row.type,
      data: row.data,
      metadata: row.metadata,
    });
    previous = chainHash(previous, digest, Number(row.stream_revision));
    await sql.query('UPDATE event_store.events SET hash = $1 WHERE position = $2', [previous, row.position]);
  }
  await sql.query('UPDATE event_store.streams SET revision = $1, head_hash = $2 WHERE stream_id = $3', [
    rows.length - 1,
    previous,
    streamId,
  ]);
}

/** ... and the whole log's chain and its seal head. */
export async function rechainLog(sql: Client): Promise<void> {
  const { rows } = await sql.query(
    `SELECT l.seq, e.hash FROM event_store.log l JOIN event_store.events e ON e.position = l.position ORDER BY l.seq`,
  );
  let previous: Buffer | null = null;
  for (const [index, row] of rows.entries()) {
    previous = logChainHash(previous, index + 1, row.hash);
    await sql.query('UPDATE event_store.log SET seq = $1, chain = $2 WHERE seq = $3', [index + 1, previous, row.seq]);
  }
  await sql.query('UPDATE event_store.seal SET seq = $1, chain = $2', [rows.length, previous]);
}

/** Removes the last `count` events of the log and sets every head back, as if they never were. */
export async function cutTail(sql: Client, count: number): Promise<void> {
  const { rows } = await sql.query(
    'SELECT l.seq, e.stream_id FROM event_store.log l JOIN event_store.events e USING (position) ORDER BY l.seq DESC LIMIT $1',
    [count],
  );
  const last = Math.min(...rows.map((row) => Number(row.seq)));
  await sql.query(
    'DELETE FROM event_store.events WHERE position IN (SELECT position FROM event_store.log WHERE seq >= $1)',
    [last],
  );
  await sql.query('DELETE FROM event_store.log WHERE seq >= $1', [last]);
  for (const streamId of new Set(rows.map((row) => row.stream_id as string))) await rechainStream(sql, streamId);
  await sql.query('UPDATE event_store.seal SET seq = $1, chain = (SELECT chain FROM event_store.log WHERE seq = $1)', [
    last - 1,
  ]);
}
