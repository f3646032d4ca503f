import type { ClientBase, Pool } from 'pg';
import type { Checkpoint, RecordedEvent } from '@salesledger/domain/event';
import { OUTBOUND } from '@salesledger/postgres/schemas';

/** Where a follower that sends the log out (the relay, the alert outbox) stands; its row is created if need be. */
export async function outboundCheckpoint(db: Pool | ClientBase, name: string): Promise<Checkpoint | null> {
  const { rows } = await db.query(
    `INSERT INTO ${OUTBOUND}.relay_checkpoints (name) VALUES ($1)
     ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING checkpoint`,
    [name],
  );
  return rows[0].checkpoint;
}

/** The highest position a follower has sent out (0 before its first page). */
export async function outboundPosition(db: Pool | ClientBase, name: string): Promise<number> {
  const { rows } = await db.query(`SELECT position FROM ${OUTBOUND}.relay_checkpoints WHERE name = $1`, [name]);
  return Number(rows[0]?.position ?? 0);
}

/** Moves the follower's checkpoint past a page it has sent out. */
export async function passOutboundPage(
  db: Pool | ClientBase,
  name: string,
  page: readonly Pick<RecordedEvent, 'checkpoint' | 'position'>[],
): Promise<void> {
  const last = page.at(-1) as Pick<RecordedEvent, 'checkpoint'>;
  await db.query(
    `UPDATE ${OUTBOUND}.relay_checkpoints SET checkpoint = $2, position = greatest(position, $3),
       events_published = events_published + $4, updated_at = now() WHERE name = $1`,
    [name, last.checkpoint, Math.max(...page.map((event) => event.position)), page.length],
  );
}
