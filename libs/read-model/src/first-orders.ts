import type { ClientBase } from 'pg';
import type { RepDay } from './day-figures';

interface FirstOrder {
  customerId: string;
  repId: string | null;
  day: string | null;
  placedAt: string | null;
  orderId: string | null;
}

/**
 * Each customer's earliest live order, whose moves `firstOrderShifts` turns into stale days: it
 * decides `newCustomers` and which visits are to existing customers. None while the schema holds no
 * derived figures (a rebuild's replay, a new read model): a live order or a visit, once derived,
 * leaves a row in rep_days, so then every one of them lies in a day still pending, and a shift can
 * stale nothing more. That spares a rebuild a lookup per customer of every page.
 */
export async function firstOrdersToWatch(client: ClientBase, s: string, customers: Set<string>): Promise<FirstOrder[]> {
  if (customers.size === 0) return [];
  const { rows } = await client.query(
    `SELECT c AS customer_id, f.* FROM unnest($1::text[]) c LEFT JOIN LATERAL (
       SELECT rep_id, placed_on, placed_at, order_id FROM ${s}.order_versions
       WHERE customer_id = c AND superseded_at IS NULL AND NOT cancelled
       ORDER BY placed_at, order_id COLLATE "C" LIMIT 1) f ON true
     WHERE EXISTS (SELECT FROM ${s}.rep_days)`,
    [[...customers]],
  );
  return rows.map((row) => ({
    customerId: row.customer_id,
    repId: row.rep_id,
    day: row.placed_on ? String(row.placed_on) : null,
    placedAt: row.placed_at ? (row.placed_at as Date).toISOString() : null,
    orderId: row.order_id,
  }));
}

/**
 * Where a customer's first order moved, the days of the old and new first order change, and so
 * does every visit of theirs between the two instants (it was or was not to an existing customer).
 */
export async function firstOrderShifts(client: ClientBase, s: string, before: FirstOrder[]): Promise<RepDay[]> {
  if (before.length === 0) return [];
  const after = new Map(
    (await firstOrdersToWatch(client, s, new Set(before.map((b) => b.customerId)))).map((a) => [a.customerId, a]),
  );
  const shifted: { customerId: string; from: string | null; to: string | null }[] = [];
  const days: RepDay[] = [];
  for (const old of before) {
    const now = after.get(old.customerId) as FirstOrder;
    if (old.orderId === now.orderId) continue;
    for (const first of [old, now]) if (first.repId && first.day) days.push({ repId: first.repId, day: first.day });
    const instants = [old.placedAt, now.placedAt];
    shifted.push({
      customerId: old.customerId,
      from: instants.includes(null) ? (instants.find((i) => i !== null) ?? null) : (instants.sort()[0] as string),
      to: instants.includes(null) ? null : (instants.sort()[1] as string),
    });
  }
  if (shifted.length === 0) return days;
  const { rows } = await client.query(
    `SELECT DISTINCT v.rep_id, v.occurred_on FROM ${s}.visits v
     JOIN unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) k(customer_id, from_at, to_at)
       ON v.customer_id = k.customer_id AND v.occurred_at > k.from_at AND (k.to_at IS NULL OR v.occurred_at <= k.to_at)`,
    [shifted.map((x) => x.customerId), shifted.map((x) => x.from), shifted.map((x) => x.to)],
  );
  return [...days, ...rows.map((row) => ({ repId: row.rep_id as string, day: String(row.occurred_on) }))];
}
