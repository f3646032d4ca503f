import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api';
import { KpiTiles } from '../components/kpi-tiles';
import { PaceChart } from '../components/pace-chart';
import { PeriodPicker } from '../components/period-picker';
import { QueryState } from '../components/query-state';
import { useFormat } from '../i18n';
import { seesCompany, useMe, type Me } from '../me';
import { currentPeriod } from '../periods';
import type { Alert, LeaderboardEntry, Pace, Scorecard, Team } from '../types';
import { LeaderboardTable } from './leaderboard';

type Scope = { kind: 'company' } | { kind: 'team'; teamId: string } | { kind: 'rep'; repId: string };

const scopeOf = (me: Me): Scope =>
  seesCompany(me.role)
    ? { kind: 'company' }
    : me.role === 'manager' && me.teamId
      ? { kind: 'team', teamId: me.teamId }
      : { kind: 'rep', repId: me.repId ?? me.userId };

const base = (scope: Scope) =>
  scope.kind === 'company' ? '/v1' : scope.kind === 'team' ? `/v1/teams/${scope.teamId}` : `/v1/reps/${scope.repId}`;

/** The month at a glance for whoever signs in: the company, their team or their own. */
export function HomeScreen() {
  const { t } = useTranslation();
  const me = useMe().data as Me;
  const search = useSearch({ from: '/app/' });
  const navigate = useNavigate({ from: '/' });
  const today = currentPeriod('day');
  const month = search.period ?? currentPeriod('month');
  const scope = scopeOf(me);
  const card = useQuery({
    queryKey: ['scorecard', scope, 'month', month],
    queryFn: () => api<Scorecard>(`${base(scope)}/scorecard?grain=month&period=${month}`),
  });
  const pace = useQuery({ queryKey: ['pace', scope, month], queryFn: () => api<Pace>(`${base(scope)}/pace/${month}`) });
  const heading =
    scope.kind === 'company'
      ? t('home.company')
      : scope.kind === 'team'
        ? t('home.team', { team: scope.teamId })
        : t('home.mine');
  return (
    <>
      <h1>{heading}</h1>
      <PeriodPicker
        grain="month"
        grains={['month']}
        period={month}
        onChange={(_, period) => void navigate({ search: { period } })}
      />
      <QueryState query={card}>{(data) => <KpiTiles card={data} asOf={new Date(card.dataUpdatedAt)} />}</QueryState>
      <QueryState query={pace}>{(data) => <PaceChart pace={data} today={today} />}</QueryState>
      {scope.kind === 'company' && <TeamRollUp month={month} />}
      {scope.kind === 'team' && <TeamLeaderboard teamId={scope.teamId} month={month} />}
      {scope.kind === 'rep' && (
        <p>
          <Link to="/reps/$repId" params={{ repId: scope.repId }} search={{ grain: 'month', period: month }}>
            {t('home.fullScorecard')}
          </Link>
        </p>
      )}
    </>
  );
}

/** Each team's month and how many of its reps have an open alert. */
function TeamRollUp({ month }: { month: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api<Page<Team>>('/v1/teams?limit=200') });
  const alerts = useQuery({
    queryKey: ['alerts', 'open'],
    queryFn: () => api<Alert[]>('/v1/alerts?status=open&limit=1000'),
  });
  const cards = useQueries({
    queries: (teams.data?.items ?? []).map((team) => ({
      queryKey: ['scorecard', { kind: 'team', teamId: team.id }, 'month', month],
      queryFn: () => api<Scorecard>(`/v1/teams/${team.id}/scorecard?grain=month&period=${month}`),
    })),
  });
  const atRisk = (teamId: string) =>
    new Set((alerts.data ?? []).filter((a) => a.teamId === teamId).map((a) => a.repId)).size;
  return (
    <section aria-labelledby="rollup">
      <h2 id="rollup">{t('home.teams')}</h2>
      <QueryState query={teams} isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <div className="table-wrap">
            <table data-testid="team-rollup">
              <thead>
                <tr>
                  <th>{t('common.team')}</th>
                  <th className="num">{t('kpi.actual')}</th>
                  <th className="num">{t('kpi.target')}</th>
                  <th className="num">{t('kpi.attainment')}</th>
                  <th className="num">{t('kpi.pace')}</th>
                  <th className="num">{t('home.atRisk')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((team, i) => {
                  const card = cards[i]?.data;
                  return (
                    <tr key={team.id} data-team={team.id}>
                      <td>
                        <Link to="/leaderboard" search={{ grain: 'month', period: month, teamId: team.id }}>
                          {team.name}
                        </Link>
                      </td>
                      <td className="num">{card ? f.money(card.actual) : '…'}</td>
                      <td className="num">{card ? f.money(card.target) : '…'}</td>
                      <td className="num">{card ? f.percent(card.attainment) : '…'}</td>
                      <td className={`num ${card && card.pace !== null ? (card.pace >= 1 ? 'good' : 'bad') : ''}`}>
                        {card ? f.percent(card.pace) : '…'}
                      </td>
                      <td className="num">
                        <Link to="/alerts" search={{ status: 'open', teamId: team.id }}>
                          {alerts.data ? atRisk(team.id) : '…'}
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </section>
  );
}

function TeamLeaderboard({ teamId, month }: { teamId: string; month: string }) {
  const { t } = useTranslation();
  const board = useQuery({
    queryKey: ['leaderboard', 'month', month, teamId],
    queryFn: () => api<{ entries: LeaderboardEntry[] }>(`/v1/leaderboard?grain=month&period=${month}&teamId=${teamId}`),
  });
  return (
    <section aria-labelledby="team-board">
      <h2 id="team-board">{t('nav.leaderboard')}</h2>
      <QueryState query={board} isEmpty={(data) => data.entries.length === 0}>
        {(data) => <LeaderboardTable entries={data.entries} grain="month" period={month} />}
      </QueryState>
    </section>
  );
}
