import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, withQuery, type Page } from '../api';
import { DataTable } from '../components/data-table';
import { QueryState } from '../components/query-state';
import { useFormat } from '../i18n';
import { useMe } from '../me';
import type { Rep, Scorecard } from '../types';

export interface TargetChange {
  version: number;
  amount: string;
  previousAmount: string | null;
  reason: string;
  actor: { userId: string; role: string };
  approver: { userId: string; role: string } | null;
  recordedAt: string;
}

/** `datetime-local` (the reader's clock) to an ISO instant, and back. */
export const instantOfLocal = (local: string): string | undefined =>
  local && !Number.isNaN(new Date(local).getTime()) ? new Date(local).toISOString() : undefined;
const localOfInstant = (iso: string | undefined): string => {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

const notFoundAsNull = <T,>(call: Promise<T>): Promise<T | null> =>
  call.catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });

/** A target's history, and the target and the rep's scorecard for the month as they stood at any instant. */
export function AuditScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe().data;
  const search = useSearch({ from: '/app/audit' });
  const navigate = useNavigate({ from: '/audit' });
  const repId = search.repId ?? (me?.role === 'rep' ? (me.repId ?? undefined) : undefined);
  const month = search.month ?? new Date().toISOString().slice(0, 7);
  const asOf = search.asOf;
  const reps = useQuery({ queryKey: ['reps', null], queryFn: () => api<Page<Rep>>('/v1/reps?limit=500') });
  const path = repId ? `/v1/reps/${encodeURIComponent(repId)}/targets/${month}` : '';
  const history = useQuery({
    queryKey: ['target-history', repId, month],
    queryFn: () => api<TargetChange[]>(`${path}/history`),
    enabled: !!repId,
  });
  const target = useQuery({
    queryKey: ['target', repId, month, asOf ?? null],
    queryFn: () => notFoundAsNull(api<{ amount: string; version: number }>(withQuery(path, { asOf }))),
    enabled: !!repId,
  });
  const scorecard = useQuery({
    queryKey: ['scorecard-as-of', repId, month, asOf ?? null],
    queryFn: () =>
      api<Scorecard>(
        withQuery(`/v1/reps/${encodeURIComponent(repId ?? '')}/scorecard`, { grain: 'month', period: month, asOf }),
      ),
    enabled: !!repId,
  });
  const set = (change: { repId?: string; month?: string; asOf?: string }) =>
    void navigate({ search: (s) => ({ ...s, ...change }) });
  return (
    <>
      <h1>{t('targets.auditTitle')}</h1>
      <form className="toolbar" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="audit-rep">
          {t('targets.rep')}
          <select id="audit-rep" value={repId ?? ''} onChange={(event) => set({ repId: event.target.value })}>
            <option value="">{t('targets.chooseRep')}</option>
            {reps.data?.items.map((rep) => (
              <option key={rep.id} value={rep.id}>
                {rep.name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="audit-month">
          {t('targets.month')}
          <input id="audit-month" type="month" value={month} onChange={(event) => set({ month: event.target.value })} />
        </label>
        <label htmlFor="audit-as-of">
          {t('targets.asOf')}
          <input
            id="audit-as-of"
            type="datetime-local"
            value={localOfInstant(asOf)}
            onChange={(event) => set({ asOf: instantOfLocal(event.target.value) })}
          />
        </label>
        {asOf && (
          <button type="button" className="secondary" onClick={() => set({ asOf: undefined })}>
            {t('targets.now')}
          </button>
        )}
      </form>
      {repId && (
        <>
          <section className="panel" aria-labelledby="as-of-title" data-testid="as-of">
            <h2 id="as-of-title">
              {t('targets.asOf')} {asOf ? f.instant(asOf) : t('targets.now')}
            </h2>
            <p className="muted">{t('targets.asOfHint')}</p>
            <dl className="facts">
              <dt>{t('targets.targetThen')}</dt>
              <dd data-testid="target-then">
                <QueryState query={target}>{(then) => (then ? f.money(then.amount) : t('targets.notSet'))}</QueryState>
              </dd>
              <dt>{t('targets.actualThen')}</dt>
              <dd data-testid="actual-then">
                <QueryState query={scorecard}>{(card) => f.money(card.actual)}</QueryState>
              </dd>
              <dt>{t('targets.attainmentThen')}</dt>
              <dd data-testid="attainment-then">
                <QueryState query={scorecard}>{(card) => f.percent(card.attainment)}</QueryState>
              </dd>
            </dl>
          </section>
          <h2>{t('targets.history')}</h2>
          <QueryState query={history} isEmpty={(changes) => changes.length === 0} empty={t('targets.noHistory')}>
            {(changes) => (
              <DataTable
                label={t('targets.history')}
                testId="history"
                columns={[
                  '#',
                  t('targets.when'),
                  t('targets.who'),
                  { label: t('targets.from'), numeric: true },
                  { label: t('targets.to'), numeric: true },
                  t('targets.reason'),
                  t('targets.approver'),
                ]}
              >
                {changes.map((change) => (
                  <tr key={change.version}>
                    <td>{change.version}</td>
                    <td>{f.instant(change.recordedAt)}</td>
                    <td>
                      {change.actor.userId} · {t(`role.${change.actor.role}`, { defaultValue: change.actor.role })}
                    </td>
                    <td className="num">{change.previousAmount === null ? '—' : f.money(change.previousAmount)}</td>
                    <td className="num">{f.money(change.amount)}</td>
                    <td>{change.reason}</td>
                    <td>{change.approver ? change.approver.userId : t('targets.none')}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </QueryState>
        </>
      )}
    </>
  );
}
