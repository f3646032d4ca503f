import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';
import { ChartPanel } from './chart-panel';
import { useFormat } from '../i18n';
import type { Pace } from '../types';

/**
 * Cumulative sales against the target spread over working days, and the run-rate projection to the
 * month's end. Sales stop at the last day with data; the projection runs from there to the last day.
 */
export function PaceChart({ pace, today }: { pace: Pace; today: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const lastKnown = pace.days.filter((d) => d.day <= today).at(-1)?.day ?? pace.days[0]?.day;
  const last = pace.days.at(-1)?.day;
  const rows = pace.days.map((d) => ({
    day: d.day.slice(8),
    expected: Number(d.cumulativeTarget),
    actual: d.day <= today ? Number(d.cumulativeActual) : null,
    projection:
      pace.projection === null
        ? null
        : d.day === lastKnown
          ? Number(d.cumulativeActual)
          : d.day === last
            ? Number(pace.projection)
            : null,
  }));
  const summary = t('home.paceSummary', {
    actual: f.money(pace.actual),
    expected: f.money(pace.expectedToDate),
    target: f.money(pace.target),
    projection: f.money(pace.projection),
  });
  return (
    <ChartPanel title={t('home.paceTitle')} summary={summary} testId="pace-chart">
      <LineChart data={rows} margin={{ top: 10, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#e3e7ee" />
        <XAxis dataKey="day" />
        <YAxis width={80} tickFormatter={(v: number) => f.number(v)} />
        <Tooltip formatter={(value) => f.money(value as number)} />
        <Legend />
        <ReferenceLine y={Number(pace.target)} stroke="#8a93a3" strokeDasharray="2 4" />
        <Line name={t('home.paceLine')} dataKey="expected" stroke="#8a5a00" dot={false} isAnimationActive={false} />
        <Line
          name={t('kpi.actual')}
          dataKey="actual"
          stroke="#1f5fbf"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          name={t('kpi.projection')}
          dataKey="projection"
          stroke="#1f5fbf"
          strokeDasharray="6 4"
          connectNulls
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartPanel>
  );
}
