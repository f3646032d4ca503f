import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
} from '@tanstack/react-router';
import { Layout } from './components/layout';
import { getToken } from './session';
import { SignInScreen } from './screens/sign-in';
import { GRAINS, type Grain } from './periods';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const grainOf = (value: unknown): Grain | undefined => (GRAINS.includes(value as Grain) ? (value as Grain) : undefined);

/** Grain and period in the address, so a view can be shared and reloaded as it is. */
export type PeriodSearch = { grain?: Grain; period?: string };
const periodSearch = (search: Record<string, unknown>): PeriodSearch => ({
  grain: grainOf(search.grain),
  period: text(search.period),
});

const root = createRootRouteWithContext<{ queryClient: QueryClient }>()();

const signIn = createRoute({
  getParentRoute: () => root,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { next?: string } => ({ next: text(search.next) }),
  component: SignInScreen,
});

const app = createRoute({
  getParentRoute: () => root,
  id: 'app',
  beforeLoad: ({ location }) => {
    if (!getToken()) throw redirect({ to: '/sign-in', search: { next: location.href } });
  },
  component: Layout,
});

const home = createRoute({
  getParentRoute: () => app,
  path: '/',
  validateSearch: periodSearch,
  component: lazyRouteComponent(() => import('./screens/home'), 'HomeScreen'),
});

const leaderboard = createRoute({
  getParentRoute: () => app,
  path: '/leaderboard',
  validateSearch: (search: Record<string, unknown>): PeriodSearch & { sort?: string; teamId?: string } => ({
    ...periodSearch(search),
    sort: text(search.sort),
    teamId: text(search.teamId),
  }),
  component: lazyRouteComponent(() => import('./screens/leaderboard'), 'LeaderboardScreen'),
});

const scorecard = createRoute({
  getParentRoute: () => app,
  path: '/reps/$repId',
  validateSearch: periodSearch,
  component: lazyRouteComponent(() => import('./screens/scorecard'), 'ScorecardScreen'),
});

const alerts = createRoute({
  getParentRoute: () => app,
  path: '/alerts',
  validateSearch: (
    search: Record<string, unknown>,
  ): { status?: string; rule?: string; teamId?: string; repId?: string } => ({
    status: text(search.status),
    rule: text(search.rule),
    teamId: text(search.teamId),
    repId: text(search.repId),
  }),
  component: lazyRouteComponent(() => import('./screens/alerts'), 'AlertsScreen'),
});

const targets = createRoute({
  getParentRoute: () => app,
  path: '/targets',
  validateSearch: (search: Record<string, unknown>): { teamId?: string; year?: string } => ({
    teamId: text(search.teamId),
    year: text(search.year),
  }),
  component: lazyRouteComponent(() => import('./screens/targets'), 'TargetsScreen'),
});

const approvals = createRoute({
  getParentRoute: () => app,
  path: '/targets/approvals',
  component: lazyRouteComponent(() => import('./screens/approvals'), 'ApprovalsScreen'),
});

const plan = createRoute({
  getParentRoute: () => app,
  path: '/targets/plan',
  validateSearch: (search: Record<string, unknown>): { year?: string } => ({ year: text(search.year) }),
  component: lazyRouteComponent(() => import('./screens/company-plan'), 'CompanyPlanScreen'),
});

const audit = createRoute({
  getParentRoute: () => app,
  path: '/audit',
  validateSearch: (search: Record<string, unknown>): { repId?: string; month?: string; asOf?: string } => ({
    repId: text(search.repId),
    month: text(search.month),
    asOf: text(search.asOf),
  }),
  component: lazyRouteComponent(() => import('./screens/audit'), 'AuditScreen'),
});

const imports = createRoute({
  getParentRoute: () => app,
  path: '/imports',
  component: lazyRouteComponent(() => import('./screens/imports'), 'ImportsScreen'),
});

const users = createRoute({
  getParentRoute: () => app,
  path: '/admin',
  component: lazyRouteComponent(() => import('./screens/users'), 'UsersScreen'),
});

const user = createRoute({
  getParentRoute: () => app,
  path: '/admin/users/$userId',
  component: lazyRouteComponent(() => import('./screens/user'), 'UserScreen'),
});

const teams = createRoute({
  getParentRoute: () => app,
  path: '/admin/teams',
  component: lazyRouteComponent(() => import('./screens/teams'), 'TeamsScreen'),
});

export const routeTree = root.addChildren([
  signIn,
  app.addChildren([home, leaderboard, scorecard, alerts, targets, approvals, plan, audit, imports, users, user, teams]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent' });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
