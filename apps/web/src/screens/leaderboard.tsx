import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api';
import { PeriodPicker } from '../components/period-picker';
import { QueryState } from '../components/query-state';
import { useFormat } from '../i18n';
import { useMe } from '../me';
import { currentPeriod, type Grain } from '../periods';
import type { LeaderboardEntry, Team } from '../types';

type Ranked = LeaderboardEntry & Record<string, unknown>;

/** The columns a ranking can be sorted by, and how each is shown. */
const COLUMNS = [
  ['compositeScore', 'number'],
  ['attainment', 'percent'],
  ['actual', 'money'],
  ['target', 'money'],
  ['pace', 'percent'],
  ['orders', 'number'],
  ['newCustomers', 'number'],
  ['prospectsDeveloped', 'number'],
  ['salesVisits', 'number'],
  ['existingCustomerVisits', 'number'],
  ['lostCustomers', 'number'],
  ['growthRate', 'percent'],
  ['yoyGrowth', 'percent'],
  ['discipline', 'number'],
  ['planCompletionRate', 'percent'],
  ['requestResponseRate', 'percent'],
  ['medianResponseMinutes', 'number'],
] as const;
export type SortKey = (typeof COLUMNS)[number][0];

/** Highest first, missing figures last; reps tie-break by rank. Lost customers and response time rank lowest first. */
export function sortEntries(entries: Ranked[], key: SortKey): Ranked[] {
  const ascending = key === 'lostCustomers' || key === 'medianResponseMinutes';
  const value = (entry: Ranked) => (entry[key] === null || entry[key] === undefined ? null : Number(entry[key]));
  return [...entries].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return a.rank - b.rank;
    if (x === null) return 1;
    if (y === null) return -1;
    return ascending ? x - y : y - x;
  });
}

export function LeaderboardScreen() {
  const { t } = useTranslation();
  const me = useMe().data;
  const search = useSearch({ from: '/app/leaderboard' });
  const navigate = useNavigate({ from: '/leaderboard' });
  const grain = search.grain ?? 'month';
  const period = search.period ?? currentPeriod(grain);
  const teamId = search.teamId ?? (me?.role === 'manager' ? (me.teamId ?? undefined) : undefined);
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api<Page<Team>>('/v1/teams?limit=200') });
  const board = useQuery({
    queryKey: ['leaderboard', grain, period, teamId],
    queryFn: () =>
      api<{ entries: Ranked[] }>(`/v1/leaderboard?grain=${grain}&period=${period}${teamId ? `&teamId=${teamId}` : ''}`),
  });
  return (
    <>
      <h1>{t('nav.leaderboard')}</h1>
      <div className="toolbar">
        <PeriodPicker
          grain={grain}
          period={period}
          onChange={(g: Grain, p: string) =>
            void navigate({ search: (s) => ({ ...s, grain: g, period: p || currentPeriod(g) }) })
          }
        />
        {me?.role !== 'manager' && (
          <label htmlFor="board-team">
            {t('common.team')}
            <select
              id="board-team"
              value={teamId ?? ''}
              onChange={(event) =>
                void navigate({ search: (s) => ({ ...s, teamId: event.target.value || undefined }) })
              }
            >
              <option value="">{t('common.all')}</option>
              {teams.data?.items.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <QueryState query={board} isEmpty={(data) => data.entries.length === 0}>
        {(data) => (
          <LeaderboardTable
            entries={data.entries}
            grain={grain}
            period={period}
            sort={(search.sort as SortKey | undefined) ?? 'compositeScore'}
            onSort={(sort) => void navigate({ search: (s) => ({ ...s, sort }) })}
          />
        )}
      </QueryState>
    </>
  );
}

export function LeaderboardTable({
  entries,
  grain,
  period,
  sort = 'compositeScore',
  onSort,
}: {
  entries: Ranked[] | LeaderboardEntry[];
  grain: Grain;
  period: string;
  sort?: SortKey;
  onSort?: (key: SortKey) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const shown = sortEntries(entries as Ranked[], sort);
  const columns = onSort ? COLUMNS : COLUMNS.slice(0, 5);
  const cell = (entry: Ranked, key: SortKey, kind: string) => {
    const value = entry[key] as number | string | null | undefined;
    if (value === undefined || value === null) return '—';
    return kind === 'money' ? f.money(value) : kind === 'percent' ? f.percent(Number(value)) : f.number(Number(value));
  };
  return (
    <div className="table-wrap">
      <table data-testid="leaderboard">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>{t('common.rep')}</th>
            {columns.map(([key]) => (
              <th key={key} className="num" aria-sort={sort === key ? 'descending' : undefined}>
                {onSort ? (
                  <button type="button" className="sort" onClick={() => onSort(key)}>
                    {t(`kpi.${key}`)}
                    {sort === key ? ' ▾' : ''}
                  </button>
                ) : (
                  t(`kpi.${key}`)
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) => (
            <tr key={entry.repId} data-rep={entry.repId}>
              <td className="num">{entry.rank}</td>
              <td>
                <Link to="/reps/$repId" params={{ repId: entry.repId }} search={{ grain, period }}>
                  {entry.repName}
                </Link>
              </td>
              {columns.map(([key, kind]) => (
                <td key={key} className="num" data-kpi={key}>
                  {cell(entry, key, kind)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
