import type { ClientBase } from 'pg';
import { countResponses } from './response-counts';
import type { Batch } from './scorecard-rows';

/** Writes what the evolvers folded into a batch: one statement per table. */
export async function writeBatch(client: ClientBase, s: string, batch: Batch): Promise<void> {
  await upsert(client, `${s}.teams`, ['team_id'], [...batch.teams.values()]);
  for (const [teamId, manager] of batch.managers)
    await client.query(`UPDATE ${s}.teams SET manager_user_id = $2 WHERE team_id = $1`, [teamId, manager]);
  await upsert(client, `${s}.reps`, ['rep_id'], [...batch.reps.values()]);
  await upsert(client, `${s}.team_memberships`, ['rep_id', 'from_day'], [...batch.memberships.values()]);
  await upsert(client, `${s}.customers`, ['customer_id'], [...batch.customers.values()]);
  await insert(client, `${s}.customer_losses`, batch.losses);
  // Stored versions the batch superseded go back with their superseded_at.
  const superseded = batch.storedOrders.filter((row) => row.superseded_at !== null);
  await upsert(client, `${s}.order_versions`, ['order_id', 'version'], [...superseded, ...batch.orderVersions]);
  if (batch.orderLines.size > 0) {
    // Only an order stored before the batch has lines to replace: one placed in it has none (an
    // order is placed once, its stream's first event, and the lines' key refuses a second
    // placement). Most of a batch's orders are new.
    const replaced = batch.storedOrders.map((row) => row.order_id).filter((id) => batch.orderLines.has(id));
    if (replaced.length > 0) await client.query(`DELETE FROM ${s}.order_lines WHERE order_id = ANY($1)`, [replaced]);
    await insert(client, `${s}.order_lines`, [...batch.orderLines.values()].flat());
  }
  await insert(client, `${s}.visits`, batch.visits);
  await upsert(client, `${s}.papers`, ['rep_id', 'week', 'kind'], [...batch.papers.values()]);
  await upsert(client, `${s}.requests`, ['request_id'], [...batch.requests.values()]);
  await countResponses(client, s, batch);
  await insert(client, `${s}.reviews`, batch.reviews);
  await insert(client, `${s}.target_changes`, batch.targetChanges);
  await insert(client, `${s}.scorecard_templates`, batch.templates);
  if (batch.holidays) await versionHolidays(client, s, batch.holidays);
}

/** The holidays as a timeline: the current set is superseded at the instant the new one is recorded. */
async function versionHolidays(
  client: ClientBase,
  s: string,
  { dates, recordedAt }: NonNullable<Batch['holidays']>,
): Promise<void> {
  await client.query(`UPDATE ${s}.holidays SET superseded_at = $1 WHERE superseded_at IS NULL`, [recordedAt]);
  await insert(
    client,
    `${s}.holidays`,
    dates.map((day) => ({ day, recorded_at: recordedAt, superseded_at: null })),
  );
}

export async function insert(client: ClientBase, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1)`, [
    JSON.stringify(rows),
  ]);
}

/** Writes whole rows: inserted, or replacing the stored row with the same key. */
async function upsert(client: ClientBase, table: string, key: string[], rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).filter((column) => !key.includes(column));
  await client.query(
    `INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1)
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}
