import type { Pool } from 'pg';
import { OUTBOUND, READ_MODEL } from '@salesledger/postgres/schemas';
import { keysetPage, Where, type Page, type PageRequest } from './keyset-page';

/** What of a list the caller reaches: everything, one team's, one rep's (the access policy decides). */
export type Reach = 'all' | { readonly teamId: string } | { readonly repId: string };

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: string;
  teamId: string | null;
  repId: string | null;
  registeredAt: string;
  active: boolean;
}
export interface TokenView {
  tokenId: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface TeamView {
  id: string;
  name: string;
  managerUserId: string | null;
}
export interface RepView {
  id: string;
  name: string;
  email: string;
  teamId: string;
  status: 'active' | 'left';
  hiredOn: string;
  leftOn: string | null;
}
export interface CustomerView {
  id: string;
  name: string;
  repId: string;
  teamId: string | null;
  status: 'prospect' | 'customer' | 'lost';
  keyAccount: boolean;
  registeredOn: string;
}
export interface OrderSummary {
  id: string;
  repId: string;
  customerId: string;
  placedAt: string;
  netAmount: string;
  status: 'placed' | 'cancelled';
  version: number;
}
export interface OrderVersionView {
  version: number;
  netAmount: string;
  cancelled: boolean;
  recordedAt: string;
  supersededAt: string | null;
}
export interface OrderLineView {
  sku: string;
  category: string;
  quantity: number;
  unitPrice: string;
  discount: number;
  netAmount: string;
}
export interface VisitView {
  id: string;
  repId: string;
  customerId: string;
  occurredAt: string;
  kind: string;
  outcome: string | null;
}
export interface ProposalView {
  proposalId: string;
  repId: string;
  month: string;
  amount: string;
  currentAmount: string | null;
  reason: string;
  proposedBy: string;
  proposedAt: string;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
}

type Row = Record<string, unknown>;

const userView = (r: Row): UserView => ({
  id: r.user_id as string,
  name: r.name as string,
  email: r.email as string,
  role: r.role as string,
  teamId: r.team_id as string | null,
  repId: r.rep_id as string | null,
  registeredAt: iso(r.registered_at) as string,
  active: r.deactivated_at === null,
});
const tokenView = (r: Row): TokenView => ({
  tokenId: r.token_id as string,
  label: r.label as string | null,
  createdAt: iso(r.created_at) as string,
  expiresAt: iso(r.expires_at),
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
});
const teamView = (r: Row): TeamView => ({
  id: r.team_id as string,
  name: r.name as string,
  managerUserId: r.manager_user_id as string | null,
});
const repView = (r: Row): RepView => ({
  id: r.rep_id as string,
  name: r.name as string,
  email: r.email as string,
  teamId: r.team_id as string,
  status: r.left_on ? 'left' : 'active',
  hiredOn: r.hired_on as string,
  leftOn: r.left_on as string | null,
});
const customerView = (r: Row): CustomerView => ({
  id: r.customer_id as string,
  name: r.name as string,
  repId: r.rep_id as string,
  teamId: r.team_id as string | null,
  status: r.status as CustomerView['status'],
  keyAccount: r.key_account as boolean,
  registeredOn: r.registered_on as string,
});
const orderSummary = (r: Row): OrderSummary => ({
  id: r.order_id as string,
  repId: r.rep_id as string,
  customerId: r.customer_id as string,
  placedAt: iso(r.placed_at) as string,
  netAmount: r.net_amount as string,
  status: r.cancelled ? 'cancelled' : 'placed',
  version: r.version as number,
});
const visitView = (r: Row): VisitView => ({
  id: r.visit_id as string,
  repId: r.rep_id as string,
  customerId: r.customer_id as string,
  occurredAt: iso(r.occurred_at) as string,
  kind: r.kind as string,
  outcome: r.outcome as string | null,
});
const proposalView = (r: Row): ProposalView => ({
  proposalId: r.proposal_id as string,
  repId: r.rep_id as string,
  month: r.month as string,
  amount: r.amount as string,
  currentAmount: (r.current_amount as string | null) ?? null,
  reason: r.reason as string,
  proposedBy: r.proposed_by as string,
  proposedAt: iso(r.proposed_at) as string,
  status: r.status as ProposalView['status'],
  decidedBy: r.decided_by as string | null,
  decidedAt: iso(r.decided_at),
  rejectionReason: r.rejection_reason as string | null,
});

/**
 * The browse routes' reads: lists newest first by a key no write changes, and single rows with the
 * team they belong to (for the caller's access check). A rep's team is the one it is in now.
 */
export class BrowseQueries {
  constructor(
    private readonly pool: Pool,
    private readonly s = READ_MODEL,
  ) {}

  /** Rows of reps in reach, as a condition on the column holding the rep id. */
  private reachOf(where: Where, reach: Reach, repColumn: string): Where {
    if (reach === 'all') return where;
    if ('repId' in reach) return where.add(`${repColumn} = ?`, reach.repId);
    return where.add(`${repColumn} IN (SELECT rep_id FROM ${this.s}.reps WHERE team_id = ?)`, reach.teamId);
  }

  /** A rep user works in its rep's team: that is the team it shows and is reached through. */
  private get userFrom() {
    return `${this.s}.users u LEFT JOIN ${this.s}.reps r ON r.rep_id = u.rep_id`;
  }

  private readonly userSelect =
    'u.user_id, u.name, u.email, u.role, coalesce(u.team_id, r.team_id) AS team_id, u.rep_id, u.registered_at, u.deactivated_at';

  users(reach: Reach, page: PageRequest): Promise<Page<UserView>> {
    const where = new Where();
    if (reach !== 'all' && 'teamId' in reach) where.add('coalesce(u.team_id, r.team_id) = ?', reach.teamId);
    else if (reach !== 'all') where.add('u.rep_id = ?', reach.repId);
    const key = { sort: 'u.position', type: 'bigint', id: 'u.user_id' } as const;
    return keysetPage(this.pool, { select: this.userSelect, from: this.userFrom, where, key }, page, userView);
  }

  async user(id: string): Promise<UserView | undefined> {
    const { rows } = await this.pool.query(`SELECT ${this.userSelect} FROM ${this.userFrom} WHERE u.user_id = $1`, [
      id,
    ]);
    return rows[0] && userView(rows[0]);
  }

  /** A user's tokens, newest first, with when each was last used (never the token or its hash). */
  async tokens(userId: string): Promise<TokenView[]> {
    const { rows } = await this.pool.query(
      `SELECT t.*, u.last_used_at FROM ${this.s}.tokens t LEFT JOIN ${OUTBOUND}.token_usage u USING (token_id)
       WHERE t.user_id = $1 ORDER BY t.position DESC`,
      [userId],
    );
    return rows.map(tokenView);
  }

  teams(reach: Reach, page: PageRequest): Promise<Page<TeamView>> {
    const where = new Where();
    if (reach !== 'all' && 'teamId' in reach) where.add('t.team_id = ?', reach.teamId);
    else if (reach !== 'all')
      where.add(`t.team_id = (SELECT team_id FROM ${this.s}.reps WHERE rep_id = ?)`, reach.repId);
    const key = { sort: 't.position', type: 'bigint', id: 't.team_id' } as const;
    return keysetPage(this.pool, { select: 't.*', from: `${this.s}.teams t`, where, key }, page, teamView);
  }

  async team(id: string): Promise<TeamView | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.teams WHERE team_id = $1`, [id]);
    return rows[0] && teamView(rows[0]);
  }

  reps(reach: Reach, filter: { teamId?: string }, page: PageRequest): Promise<Page<RepView>> {
    const where = this.reachOf(new Where(), reach, 'r.rep_id').optional('r.team_id = ?', filter.teamId);
    const key = { sort: 'r.hired_on', type: 'date', id: 'r.rep_id' } as const;
    return keysetPage(this.pool, { select: 'r.*', from: `${this.s}.reps r`, where, key }, page, repView);
  }

  async rep(id: string): Promise<RepView | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM ${this.s}.reps WHERE rep_id = $1`, [id]);
    return rows[0] && repView(rows[0]);
  }

  /** A customer is lost once marked or lapsed, a customer once registered as one or once it ordered. */
  private customerSelect(): string {
    return `c.*, r.team_id, CASE
      WHEN EXISTS (SELECT 1 FROM ${this.s}.customer_losses l WHERE l.customer_id = c.customer_id) THEN 'lost'
      WHEN c.registered_as = 'customer' OR EXISTS (SELECT 1 FROM ${this.s}.order_versions o
        WHERE o.customer_id = c.customer_id AND o.superseded_at IS NULL AND NOT o.cancelled) THEN 'customer'
      ELSE 'prospect' END AS status`;
  }

  customers(
    reach: Reach,
    filter: { repId?: string; teamId?: string; status?: string },
    page: PageRequest,
  ): Promise<Page<CustomerView>> {
    const where = this.reachOf(new Where(), reach, 'c.rep_id')
      .optional('c.rep_id = ?', filter.repId)
      .optional('r.team_id = ?', filter.teamId);
    const from = `${this.s}.customers c LEFT JOIN ${this.s}.reps r ON r.rep_id = c.rep_id`;
    const select = this.customerSelect();
    const key = { sort: 'c.registered_on', type: 'date', id: 'c.customer_id' } as const;
    if (filter.status === undefined) return keysetPage(this.pool, { select, from, where, key }, page, customerView);
    // The status is derived, so the filter applies to the derived rows.
    const inner = `(SELECT ${select} FROM ${from} WHERE ${where}) c`;
    const outer = new Where();
    outer.params.push(...where.params);
    outer.add('c.status = ?', filter.status);
    return keysetPage(this.pool, { select: 'c.*', from: inner, where: outer, key }, page, customerView);
  }

  async customer(id: string): Promise<CustomerView | undefined> {
    const { rows } = await this.pool.query(
      `SELECT ${this.customerSelect()} FROM ${this.s}.customers c LEFT JOIN ${this.s}.reps r ON r.rep_id = c.rep_id
       WHERE c.customer_id = $1`,
      [id],
    );
    return rows[0] && customerView(rows[0]);
  }

  orders(
    reach: Reach,
    filter: { repId?: string; customerId?: string; from?: string; to?: string },
    page: PageRequest,
  ): Promise<Page<OrderSummary>> {
    const where = this.reachOf(new Where().add('o.superseded_at IS NULL'), reach, 'o.rep_id')
      .optional('o.rep_id = ?', filter.repId)
      .optional('o.customer_id = ?', filter.customerId)
      .optional('o.placed_at >= ?::timestamptz', filter.from)
      .optional('o.placed_at < ?::timestamptz', filter.to);
    const key = { sort: 'o.placed_at', type: 'timestamptz', id: 'o.order_id' } as const;
    return keysetPage(this.pool, { select: 'o.*', from: `${this.s}.order_versions o`, where, key }, page, orderSummary);
  }

  /** The current version with its lines and its rep's team, and every version as it was known, oldest first. */
  async order(id: string) {
    const [versions, lines] = await Promise.all([
      this.pool.query(
        `SELECT o.*, r.team_id FROM ${this.s}.order_versions o LEFT JOIN ${this.s}.reps r ON r.rep_id = o.rep_id
         WHERE o.order_id = $1 ORDER BY o.version`,
        [id],
      ),
      this.pool.query(`SELECT * FROM ${this.s}.order_lines WHERE order_id = $1 ORDER BY line_no`, [id]),
    ]);
    const current = versions.rows.at(-1);
    if (!current) return undefined;
    return {
      ...orderSummary(current),
      teamId: current.team_id as string | null,
      lines: lines.rows.map((l): OrderLineView => ({
        sku: l.sku,
        category: l.category,
        quantity: Number(l.quantity),
        unitPrice: l.unit_price,
        discount: Number(l.discount),
        netAmount: l.net_amount,
      })),
      versions: versions.rows.map((v): OrderVersionView => ({
        version: v.version,
        netAmount: v.net_amount,
        cancelled: v.cancelled,
        recordedAt: iso(v.recorded_at) as string,
        supersededAt: iso(v.superseded_at),
      })),
    };
  }

  visits(
    reach: Reach,
    filter: { repId?: string; customerId?: string; from?: string; to?: string },
    page: PageRequest,
  ): Promise<Page<VisitView>> {
    const where = this.reachOf(new Where(), reach, 'v.rep_id')
      .optional('v.rep_id = ?', filter.repId)
      .optional('v.customer_id = ?', filter.customerId)
      .optional('v.occurred_at >= ?::timestamptz', filter.from)
      .optional('v.occurred_at < ?::timestamptz', filter.to);
    const key = { sort: 'v.occurred_at', type: 'timestamptz', id: 'v.visit_id' } as const;
    return keysetPage(this.pool, { select: 'v.*', from: `${this.s}.visits v`, where, key }, page, visitView);
  }

  /** With the target in force now beside each proposal, so an approver sees the change asked for. */
  proposals(reach: Reach, filter: { status?: string }, page: PageRequest): Promise<Page<ProposalView>> {
    const where = this.reachOf(new Where(), reach, 'p.rep_id').optional('p.status = ?', filter.status);
    const select = `p.*, (SELECT c.amount FROM ${this.s}.target_changes c WHERE c.rep_id = p.rep_id
      AND c.month = p.month ORDER BY c.version DESC LIMIT 1) AS current_amount`;
    const key = { sort: 'p.position', type: 'bigint', id: 'p.proposal_id' } as const;
    return keysetPage(this.pool, { select, from: `${this.s}.target_proposals p`, where, key }, page, proposalView);
  }
}
