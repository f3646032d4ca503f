import { ForbiddenError } from '../errors';
import type { Actor, Role } from '../event';

/** The actor behind a token, with what ties it to the organisation. */
export interface Principal extends Actor {
  readonly teamId?: string;
  readonly repId?: string;
}

export type Resource =
  | 'users'
  | 'teams'
  | 'company settings'
  | 'company plans'
  | 'target approvals'
  | 'reps'
  | 'customers'
  | 'targets'
  | 'visits'
  | 'orders'
  | 'plans'
  | 'reviews'
  | 'requests'
  | 'scorecards'
  | 'scorecard templates'
  /** Lag alerts, owned by the alert's rep and the team the rep was in when it was raised. */
  | 'alerts'
  /** Where alerts are sent: webhook subscriptions (their URLs reach outside the company). */
  | 'alert webhooks'
  /** How the system runs: projections' status and the like. */
  | 'operations';

/** The rep (and that rep's team) the data belongs to; empty for organisation-wide data. */
export interface Ownership {
  readonly repId?: string;
  readonly teamId?: string;
  /** For users: the role of the user being created or given a token. */
  readonly userRole?: Role;
}

/** The users a director onboards; admins and directors are an admin's to create. */
const DIRECTOR_ONBOARDS: readonly Role[] = ['manager', 'rep', 'analyst'];

const REP_WRITES: readonly Resource[] = ['customers', 'visits', 'orders', 'plans', 'requests'];
/** Decisions for the whole company: a director's (or an admin's). */
const DIRECTOR_WRITES: readonly Resource[] = [
  'teams',
  'company settings',
  'company plans',
  'target approvals',
  'scorecard templates',
  'alert webhooks',
];

/**
 * Admin: everything. Director: all business data, and the manager, rep and analyst users. Manager: their team's. Rep: their own visits,
 * orders, prospects, plans, reports and customer requests, and reads of their own data. Analyst:
 * reads everything. Company-wide decisions (teams, settings, the plan, approving target proposals)
 * are a director's. Nobody sets their own target or reviews themselves. Acknowledging an alert is
 * a supervisor's act: its team's manager, a director or an admin, never the rep it is about.
 */
export function mayWrite(principal: Principal, resource: Resource, owner: Ownership): boolean {
  if (resource === 'users')
    return (
      principal.role === 'admin' ||
      (principal.role === 'director' && owner.userRole !== undefined && DIRECTOR_ONBOARDS.includes(owner.userRole))
    );
  if (DIRECTOR_WRITES.includes(resource)) return principal.role === 'admin' || principal.role === 'director';
  const self = owner.repId !== undefined && owner.repId === principal.repId;
  if ((resource === 'targets' || resource === 'reviews') && self) return false;
  switch (principal.role) {
    case 'admin':
    case 'director':
      return true;
    case 'manager':
      return sameTeam(principal, owner);
    case 'rep':
      return REP_WRITES.includes(resource) && owner.repId === principal.repId;
    default:
      return false;
  }
}

export function mayRead(principal: Principal, resource: Resource, owner: Ownership): boolean {
  // The company plan sets every team's numbers, so every manager needs to see it.
  if (resource === 'company plans') return ['admin', 'director', 'analyst', 'manager'].includes(principal.role);
  if (resource === 'operations' || resource === 'alert webhooks')
    return principal.role === 'admin' || principal.role === 'director';
  switch (principal.role) {
    case 'admin':
    case 'director':
    case 'analyst':
      return true;
    case 'manager':
      return sameTeam(principal, owner);
    case 'rep':
      return owner.repId !== undefined && owner.repId === principal.repId;
    default:
      return false;
  }
}

/** What of a resource a principal may list: all of it, one team's, one rep's, or nothing (as `mayRead` decides row by row). */
export type ReadScope = 'all' | { readonly teamId: string } | { readonly repId: string } | 'nothing';

export function readScope(principal: Principal, resource: Resource): ReadScope {
  if (mayRead(principal, resource, {})) return 'all';
  const { teamId, repId } = principal;
  if (teamId !== undefined && mayRead(principal, resource, { teamId })) return { teamId };
  if (repId !== undefined && mayRead(principal, resource, { repId })) return { repId };
  return 'nothing';
}

export function assertMayWrite(principal: Principal, resource: Resource, owner: Ownership = {}): void {
  if (mayWrite(principal, resource, owner)) return;
  if (resource === 'users')
    throw new ForbiddenError(
      `a ${principal.role} may not manage ${owner.userRole ?? ''} users: an admin manages every user, a director managers, reps and analysts`,
    );
  throw new ForbiddenError(`a ${principal.role} may not change these ${resource}`);
}

export function assertMayRead(principal: Principal, resource: Resource, owner: Ownership = {}): void {
  if (!mayRead(principal, resource, owner))
    throw new ForbiddenError(`a ${principal.role} may not read these ${resource}`);
}

const sameTeam = (principal: Principal, owner: Ownership): boolean =>
  principal.teamId !== undefined && owner.teamId === principal.teamId;
