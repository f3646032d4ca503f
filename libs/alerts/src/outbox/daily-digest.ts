import type { ClientBase, Pool } from 'pg';
import type { Logger } from 'pino';
import { SystemClock, type Clock } from '@salesledger/domain/clock.port';
import { OUTBOUND, READ_MODEL } from '@salesledger/postgres/schemas';
import { inTransaction } from '@salesledger/postgres/pool';
import type { AlertMessage } from '../delivery/delivery.port';
import { insertDeliveries } from './delivery-queue';
import { deliveryIdOf, type NewDelivery } from './outbox-delivery';
import { managersByTeam } from './recipient-directory';

export const DEFAULT_DIGEST_HOUR = 7;

export interface DigestOptions {
  /** The UTC hour from which the day's digests are made (the company time zone is UTC). */
  readonly hourUtc?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
}

/**
 * Once a day, from `hourUtc` on, one email per manager listing their teams' open alerts (from the
 * read model's `alerts`). The first worker to insert the day's `digest_runs` row makes them all, in
 * that transaction; the others find the row and do nothing, and each digest's id (manager and day)
 * could not be inserted twice anyway. A manager with no open alert gets no email.
 */
export class DailyDigest {
  private readonly hourUtc: number;
  private readonly clock: Clock;

  constructor(
    private readonly pool: Pool,
    private readonly options: DigestOptions = {},
  ) {
    this.hourUtc = options.hourUtc ?? DEFAULT_DIGEST_HOUR;
    this.clock = options.clock ?? new SystemClock();
  }

  /** Makes today's digests if it is time and no worker has; how many it made. */
  async createDue(): Promise<number> {
    const now = this.clock.now();
    if (now.getUTCHours() < this.hourUtc) return 0;
    const day = now.toISOString().slice(0, 10);
    const { rows } = await this.pool.query(
      `SELECT EXISTS (SELECT 1 FROM ${OUTBOUND}.digest_runs WHERE day = $1) AS done,
              to_regclass('${READ_MODEL}.alerts') IS NOT NULL AS readable`,
      [day],
    );
    if (rows[0].done) return 0;
    if (!rows[0].readable) {
      this.options.log?.warn(`no ${READ_MODEL}.alerts table yet: the digest of ${day} waits for it`);
      return 0;
    }
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO ${OUTBOUND}.digest_runs (day, deliveries, created_at) VALUES ($1, 0, $2)
         ON CONFLICT (day) DO NOTHING`,
        [day, now],
      );
      if (!rowCount) return 0;
      const digests = digestsOf(day, await managersByTeam(client), await openAlerts(client));
      const made = await insertDeliveries(client, digests, now);
      await client.query(`UPDATE ${OUTBOUND}.digest_runs SET deliveries = $2 WHERE day = $1`, [day, made]);
      this.options.log?.info({ day, digests: made }, 'daily alert digests queued');
      return made;
    });
  }
}

type TeamAlert = AlertMessage & { readonly teamId: string };

/** One digest per manager address, of the open alerts of every team they manage. */
export function digestsOf(
  day: string,
  managers: ReadonlyMap<string, readonly string[]>,
  alerts: readonly TeamAlert[],
): NewDelivery[] {
  const byManager = new Map<string, AlertMessage[]>();
  for (const { teamId, ...alert } of alerts) {
    for (const email of managers.get(teamId) ?? []) {
      const address = email.trim().toLowerCase();
      byManager.set(address, [...(byManager.get(address) ?? []), alert]);
    }
  }
  return [...byManager].map(([address, list]) => ({
    deliveryId: deliveryIdOf('digest', day, address),
    alert: null,
    channel: 'email',
    recipient: address,
    kind: 'digest',
    message: { day, alerts: list },
    sourcePosition: null,
  }));
}

async function openAlerts(client: ClientBase): Promise<TeamAlert[]> {
  const { rows } = await client.query(
    `SELECT a.alert_id, a.rule, a.rep_id, a.team_id, a.period, a.severity, a.status, a.raised_at, a.evidence, r.name
     FROM ${READ_MODEL}.alerts a LEFT JOIN ${OUTBOUND}.reps r ON r.rep_id = a.rep_id
     WHERE a.status = 'open' ORDER BY a.raised_at, a.alert_id`,
  );
  return rows.map((row) => ({
    alertId: row.alert_id,
    rule: row.rule,
    repId: row.rep_id,
    ...(row.name ? { repName: row.name } : {}),
    teamId: row.team_id,
    period: row.period,
    severity: row.severity,
    status: row.status,
    raisedAt: new Date(row.raised_at).toISOString(),
    summary: row.evidence?.summary ?? '',
    evidence: row.evidence,
  }));
}
