import type { Pool } from 'pg';
import type { LogEntry, LogHead, SealedLog } from '@salesledger/domain/log-verification';

const PAGE = 5000;

/** The sealed log of a PostgreSQL store, read directly so a missing event still shows as an entry. */
export class PostgresSealedLog implements SealedLog {
  constructor(private readonly pool: Pool) {}

  async sealAll(): Promise<void> {
    await this.pool.query('SELECT event_store.seal_log(NULL)');
  }

  async *entries(after = 0): AsyncIterable<LogEntry> {
    for (let last = after; ;) {
      const { rows } = await this.pool.query<{ seq: string; position: string; chain: string; hash: string | null }>(
        `SELECT l.seq, l.position, encode(l.chain, 'hex') AS chain, encode(e.hash, 'hex') AS hash
         FROM event_store.log l LEFT JOIN event_store.events e ON e.position = l.position
         WHERE l.seq > $1 ORDER BY l.seq LIMIT $2`,
        [last, PAGE],
      );
      for (const row of rows)
        yield { seq: Number(row.seq), position: Number(row.position), chain: row.chain, eventHash: row.hash };
      if (rows.length < PAGE) return;
      last = Number(rows[rows.length - 1]?.seq);
    }
  }

  async head(): Promise<LogHead> {
    const { rows } = await this.pool.query<{ seq: string; chain: string | null }>(
      `SELECT seq, encode(chain, 'hex') AS chain FROM event_store.seal`,
    );
    return { seq: Number(rows[0]?.seq ?? 0), chain: rows[0]?.chain ?? null };
  }
}
