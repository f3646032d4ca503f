import { useQueries, useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartPanel } from '../components/chart-panel';
import { api } from '../api';
import { PeriodPicker } from '../components/period-picker';
import { QueryState } from '../components/query-state';
import { useFormat } from '../i18n';
import { currentPeriod, lastPeriods, type Grain } from '../periods';
import type { Rep, Scorecard } from '../types';

type Kind = 'money' | 'number' | 'percent' | 'score';
type Status = 'ahead' | 'behind' | 'none';

/** The twelve KPIs of the brief, with what each is measured against and which figures open their records. */
export const KPI_ROWS: { key: keyof Scorecard; kind: Kind; drill?: string }[] = [
  { key: 'actual', kind: 'money', drill: 'orders' },
  { key: 'orders', kind: 'number', drill: 'orders' },
  { key: 'newCustomers', kind: 'number', drill: 'newCustomers' },
  { key: 'prospectsDeveloped', kind: 'number', drill: 'prospectsDeveloped' },
  { key: 'salesVisits', kind: 'number', drill: 'salesVisits' },
  { key: 'existingCustomerVisits', kind: 'number', drill: 'existingCustomerVisits' },
  { key: 'lostCustomers', kind: 'number', drill: 'lostCustomers' },
  { key: 'growthRate', kind: 'percent' },
  { key: 'yoyGrowth', kind: 'percent' },
  { key: 'discipline', kind: 'score' },
  { key: 'planCompletionRate', kind: 'percent' },
  { key: 'requestResponseRate', kind: 'percent' },
  { key: 'compositeScore', kind: 'score' },
];

/**
 * A figure's status against what it is measured by: sales against the working-day pace, the rates
 * against all on time, lost customers against none, growth against no decline.
 */
export function statusOf(card: Scorecard, key: keyof Scorecard): { target: string | number | null; status: Status } {
  const value = card[key] as number | string | null;
  switch (key) {
    case 'actual':
      if (Number(card.target) === 0) return { target: card.target, status: 'none' };
      return { target: card.target, status: Number(card.actual) >= Number(card.expectedToDate) ? 'ahead' : 'behind' };
    case 'planCompletionRate':
    case 'requestResponseRate':
      return { target: 1, status: value === null ? 'none' : Number(value) >= 1 ? 'ahead' : 'behind' };
    case 'lostCustomers':
      return { target: 0, status: Number(value) === 0 ? 'ahead' : 'behind' };
    case 'growthRate':
    case 'yoyGrowth':
      return { target: 0, status: value === null ? 'none' : Number(value) >= 0 ? 'ahead' : 'behind' };
    default:
      return { target: null, status: 'none' };
  }
}

export function ScorecardScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const { repId } = useParams({ from: '/app/reps/$repId' });
  const search = useSearch({ from: '/app/reps/$repId' });
  const navigate = useNavigate({ from: '/reps/$repId' });
  const grain = search.grain ?? 'month';
  const period = search.period ?? currentPeriod(grain);
  const [drill, setDrill] = useState<string | null>(null);
  const rep = useQuery({ queryKey: ['rep', repId], queryFn: () => api<Rep>(`/v1/reps/${repId}`) });
  const card = useQuery({
    queryKey: ['scorecard', { kind: 'rep', repId }, grain, period],
    queryFn: () => api<Scorecard>(`/v1/reps/${repId}/scorecard?grain=${grain}&period=${period}`),
  });
  const format = (kind: Kind, value: unknown) =>
    value === null || value === undefined
      ? '—'
      : kind === 'money'
        ? f.money(value as string)
        : kind === 'percent'
          ? f.percent(Number(value))
          : f.number(Number(value));
  return (
    <>
      <h1>{t('scorecard.title', { rep: rep.data?.name ?? repId })}</h1>
      <PeriodPicker
        grain={grain}
        period={period}
        onChange={(g: Grain, p: string) => void navigate({ search: { grain: g, period: p || currentPeriod(g) } })}
      />
      <QueryState query={card}>
        {(data) => (
          <div className="split">
            <div className="table-wrap">
              <table data-testid="scorecard">
                <caption className="visually-hidden">{t('scorecard.title', { rep: rep.data?.name ?? repId })}</caption>
                <thead>
                  <tr>
                    <th>{t('scorecard.kpi')}</th>
                    <th className="num">{t('scorecard.actual')}</th>
                    <th className="num">{t('kpi.target')}</th>
                    <th>{t('scorecard.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {KPI_ROWS.map(({ key, kind, drill: records }) => {
                    const { target, status } = statusOf(data, key);
                    return (
                      <tr key={key} data-kpi={key}>
                        <th scope="row">{t(`kpi.${key}`)}</th>
                        <td className="num">
                          {records ? (
                            <button
                              type="button"
                              className="secondary"
                              aria-expanded={drill === `${key}:${records}`}
                              aria-label={t('scorecard.drill', { kpi: t(`kpi.${key}`) })}
                              onClick={() => setDrill(drill === `${key}:${records}` ? null : `${key}:${records}`)}
                            >
                              {format(kind, data[key])}
                            </button>
                          ) : (
                            format(kind, data[key])
                          )}
                        </td>
                        <td className="num">
                          {target === null ? '—' : format(kind === 'score' ? 'number' : kind, target)}
                        </td>
                        <td className={status === 'ahead' ? 'good' : status === 'behind' ? 'bad' : 'muted'}>
                          {t(`status.${status}`)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <p className="muted">
                {t('kpi.expectedToDate')}: {f.money(data.expectedToDate)} · {t('kpi.pace')}: {f.percent(data.pace)} ·{' '}
                {t('kpi.medianResponseMinutes')}: {f.number(data.medianResponseMinutes)}
              </p>
            </div>
            <div>
              <Trend repId={repId} grain={grain} period={period} />
              {drill && (
                <DrillDown
                  repId={repId}
                  grain={grain}
                  period={period}
                  kpi={drill.split(':')[1] as string}
                  onClose={() => setDrill(null)}
                />
              )}
            </div>
          </div>
        )}
      </QueryState>
    </>
  );
}

/** Sales and target over the last six periods of the grain. */
function Trend({ repId, grain, period }: { repId: string; grain: Grain; period: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const periods = lastPeriods(grain, period, 6);
  const cards = useQueries({
    queries: periods.map((p) => ({
      queryKey: ['scorecard', { kind: 'rep', repId }, grain, p],
      queryFn: () => api<Scorecard>(`/v1/reps/${repId}/scorecard?grain=${grain}&period=${p}`),
    })),
  });
  const failed = cards.find((c) => c.isError);
  if (failed) return <QueryState query={failed}>{() => null}</QueryState>;
  if (cards.some((c) => c.isPending))
    return (
      <p role="status" className="muted">
        {t('state.loading')}
      </p>
    );
  const rows = cards.map((c, i) => ({
    period: periods[i],
    actual: Number(c.data?.actual),
    target: Number(c.data?.target),
  }));
  return (
    <ChartPanel title={t('scorecard.trend')} testId="trend-chart">
      <ComposedChart data={rows} margin={{ top: 10, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#e3e7ee" />
        <XAxis dataKey="period" />
        <YAxis width={80} tickFormatter={(v: number) => f.number(v)} />
        <Tooltip formatter={(value) => f.money(value as number)} />
        <Legend />
        <Bar name={t('kpi.actual')} dataKey="actual" fill="#1f5fbf" isAnimationActive={false} />
        <Line name={t('kpi.target')} dataKey="target" stroke="#8a5a00" isAnimationActive={false} />
      </ComposedChart>
    </ChartPanel>
  );
}

/** The orders, visits or customers behind a figure, each with the event it comes from. */
function DrillDown({
  repId,
  grain,
  period,
  kpi,
  onClose,
}: {
  repId: string;
  grain: Grain;
  period: string;
  kpi: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const items = useQuery({
    queryKey: ['drill', repId, grain, period, kpi],
    queryFn: () =>
      api<{ items: Record<string, unknown>[] }>(`/v1/reps/${repId}/scorecard/${kpi}?grain=${grain}&period=${period}`),
  });
  return (
    <section className="panel" aria-labelledby="drill-title" data-testid="drill-down">
      <h2 id="drill-title">{t('scorecard.behind', { kpi: t(`kpi.${kpi}`) })}</h2>
      <QueryState query={items} isEmpty={(data) => data.items.length === 0}>
        {(data) => {
          const columns = Object.keys(data.items[0] ?? {});
          return (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    {columns.map((column) => (
                      <th key={column}>{t(`scorecard.columns.${column}`, { defaultValue: column })}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((item, i) => (
                    <tr key={i}>
                      {columns.map((column) => (
                        <td
                          key={column}
                          className={column === 'netAmount' || column === 'position' ? 'num' : undefined}
                        >
                          {column === 'netAmount'
                            ? f.money(item[column] as string)
                            : /At$/.test(column)
                              ? f.instant(item[column] as string)
                              : String(item[column] ?? '—')}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryState>
      <button type="button" className="secondary" onClick={onClose}>
        {t('common.close')}
      </button>
    </section>
  );
}
