import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAlertStream, type StreamState } from '../alert-stream';
import { api, withQuery, type Page } from '../api';
import { ErrorNote, QueryState } from '../components/query-state';
import { useFormat } from '../i18n';
import { seesCompany, useMe, type Role } from '../me';
import type { Grain } from '../periods';
import type { Alert, Rep, Team } from '../types';

export const ALERT_RULES = [
  'pace-below-expected',
  'no-recent-visit',
  'plan-overdue',
  'report-overdue',
  'lost-customers',
  'request-past-sla',
] as const;
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;

export type AlertFilters = { status?: string; rule?: string; teamId?: string; repId?: string };

/** The list's address: the same filters the inbox's URL carries, passed to GET /v1/alerts as they are. */
export const alertsPath = (filters: AlertFilters): string =>
  withQuery('/v1/alerts', { status: filters.status, rule: filters.rule, teamId: filters.teamId, repId: filters.repId });

/** Who may acknowledge: the alert's team's manager, a director, an admin (the API decides; this hides the form). */
const mayAcknowledge = (role: Role): boolean => role === 'admin' || role === 'director' || role === 'manager';

/** The scorecard period an alert is about, when its period is one (a request's SLA alert names the request). */
export function scorecardPeriod(period: string): { grain: Grain; period: string } | undefined {
  if (/^\d{4}-\d{2}$/.test(period)) return { grain: 'month', period };
  if (/^\d{4}-W\d{2}$/.test(period)) return { grain: 'week', period };
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return { grain: 'day', period };
  return undefined;
}

export function AlertsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe().data;
  const filters = useSearch({ from: '/app/alerts' });
  const navigate = useNavigate({ from: '/alerts' });
  const stream = useAlertStream();
  const alerts = useQuery({
    queryKey: ['alerts', filters],
    queryFn: () => api<Alert[]>(alertsPath(filters)),
    // The stream invalidates the list on each change; without it, poll.
    refetchInterval: stream === 'live' ? false : 30_000,
  });
  const role = me?.role ?? 'rep';
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => api<Page<Team>>('/v1/teams?limit=200'),
    enabled: role !== 'rep',
  });
  const reps = useQuery({
    queryKey: ['reps', filters.teamId ?? null],
    queryFn: () => api<Page<Rep>>(withQuery('/v1/reps', { teamId: filters.teamId, limit: 500 })),
    enabled: role !== 'rep',
  });
  const set = (key: keyof AlertFilters, value: string) =>
    void navigate({
      search: (s) => ({ ...s, [key]: value || undefined, ...(key === 'teamId' && { repId: undefined }) }),
    });
  const select = (key: keyof AlertFilters, options: { value: string; label: string }[]) => (
    <label htmlFor={`alerts-${key}`}>
      {t(`alerts.filter.${key}`)}
      <select id={`alerts-${key}`} value={filters[key] ?? ''} onChange={(event) => set(key, event.target.value)}>
        <option value="">{t('common.all')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <h1>{t('alerts.title')}</h1>
      <div className="toolbar">
        {select(
          'status',
          ALERT_STATUSES.map((value) => ({ value, label: t(`alerts.status.${value}`) })),
        )}
        {select(
          'rule',
          ALERT_RULES.map((value) => ({ value, label: t(`alerts.rule.${value}`) })),
        )}
        {seesCompany(role) &&
          select(
            'teamId',
            (teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name })),
          )}
        {role !== 'rep' &&
          select(
            'repId',
            (reps.data?.items ?? []).map((rep) => ({ value: rep.id, label: rep.name })),
          )}
        <LiveNote state={stream} />
      </div>
      <QueryState query={alerts} isEmpty={(data) => data.length === 0} empty={t('alerts.empty')}>
        {(data) => (
          <>
            <p className="muted" data-testid="alert-count">
              {t('alerts.count', { number: f.number(data.length) })}
            </p>
            <ul className="alert-list" data-testid="alerts">
              {data.map((alert) => (
                <AlertItem
                  key={alert.id}
                  alert={alert}
                  repName={reps.data?.items.find((rep) => rep.id === alert.repId)?.name}
                  canAcknowledge={mayAcknowledge(role)}
                />
              ))}
            </ul>
          </>
        )}
      </QueryState>
    </>
  );
}

function LiveNote({ state }: { state: StreamState }) {
  const { t } = useTranslation();
  return (
    <p className="muted live" role="status" data-stream={state}>
      {t(`alerts.stream.${state}`)}
    </p>
  );
}

export function AlertItem({
  alert,
  repName,
  canAcknowledge,
}: {
  alert: Alert;
  repName?: string;
  canAcknowledge: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState(false);
  const titleId = useId();
  const evidenceId = useId();
  return (
    <li className="panel alert-item" data-alert={alert.id} data-status={alert.status}>
      <div className="alert-head">
        <h2 id={titleId}>
          {t(`alerts.rule.${alert.rule}`, { defaultValue: alert.rule })}
          {' · '}
          <Link to="/reps/$repId" params={{ repId: alert.repId }} search={scorecardPeriod(alert.period) ?? {}}>
            {repName ?? alert.repId}
          </Link>
        </h2>
        <span className={`badge ${alert.severity === 'critical' ? 'bad' : 'warn'}`}>
          {t(`alerts.severity.${alert.severity}`, { defaultValue: alert.severity })}
        </span>{' '}
        <span className="badge" data-testid="alert-status">
          {t(`alerts.status.${alert.status}`)}
        </span>
      </div>
      <p>{alert.evidence.summary}</p>
      <p className="muted">
        {t('alerts.raised', { when: f.instant(alert.raisedAt), period: alert.period })}
        {alert.acknowledgedAt &&
          ` · ${t('alerts.acknowledgedBy', { who: alert.acknowledgedBy ?? '—', when: f.instant(alert.acknowledgedAt) })}`}
      </p>
      {alert.note && (
        <p>
          <strong>{t('alerts.note')}:</strong> {alert.note}
        </p>
      )}
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls={evidenceId}
        onClick={() => setOpen(!open)}
      >
        {open ? t('alerts.hideEvidence') : t('alerts.showEvidence')}
      </button>
      <div id={evidenceId}>{open && <Evidence alertId={alert.id} />}</div>
      {canAcknowledge && alert.status === 'open' && <Acknowledge alertId={alert.id} />}
    </li>
  );
}

const MONEY = /^-?\d+\.\d{2}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T/;
/** Figures that are ratios, shown as percentages. */
const RATIOS = new Set(['pace', 'attainment']);

/** The figures the rule compared, from GET /v1/alerts/{id}, with links to what lies behind them. */
export function Evidence({ alertId }: { alertId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const detail = useQuery({
    queryKey: ['alerts', 'detail', alertId],
    queryFn: () => api<Alert>(`/v1/alerts/${alertId}`),
  });
  const show = (rule: string, key: string, value: unknown): string => {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'number')
      return RATIOS.has(key) || (key === 'threshold' && rule === 'pace-below-expected')
        ? f.percent(value)
        : f.number(value);
    const text = String(value);
    if (MONEY.test(text)) return f.money(text);
    if (DAY.test(text)) return f.day(text);
    if (INSTANT.test(text)) return f.instant(text);
    return text;
  };
  return (
    <QueryState query={detail}>
      {(alert) => {
        const period = scorecardPeriod(alert.period);
        const month = /^\d{4}-\d{2}/.exec(alert.period)?.[0];
        return (
          <div className="evidence" data-testid="evidence">
            <table>
              <caption className="visually-hidden">{t('alerts.figures')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('alerts.figure')}</th>
                  <th scope="col" className="num">
                    {t('alerts.value')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(alert.evidence.figures).map(([key, value]) => (
                  <tr key={key} data-figure={key}>
                    <th scope="row">{t(`alerts.figureName.${key}`, { defaultValue: key })}</th>
                    <td className="num">{show(alert.rule, key, value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              {t('alerts.positions', { number: f.number(alert.evidence.positions.length) })}{' '}
              {alert.evidence.positions.map((position) => (
                <code key={position} className="position">
                  #{position}{' '}
                </code>
              ))}
            </p>
            <ul className="links">
              {period && (
                <li>
                  <Link to="/reps/$repId" params={{ repId: alert.repId }} search={period}>
                    {t('alerts.openScorecard')}
                  </Link>
                </li>
              )}
              <li>
                <Link to="/audit" search={{ repId: alert.repId, ...(month && { month }) }}>
                  {t('alerts.openEvents')}
                </Link>
              </li>
            </ul>
            {alert.deliveries?.length ? (
              <p className="muted">
                {t('alerts.deliveries')}:{' '}
                {alert.deliveries.map((d) => `${d.channel} → ${d.recipient} (${f.instant(d.deliveredAt)})`).join('; ')}
              </p>
            ) : null}
          </div>
        );
      }}
    </QueryState>
  );
}

/** The note and the button; POST …/acknowledgement, then the list shows the new status. */
export function Acknowledge({ alertId }: { alertId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const noteId = useId();
  const acknowledge = useMutation({
    mutationFn: () =>
      api<Alert>(`/v1/alerts/${alertId}/acknowledgement`, {
        method: 'POST',
        body: note.trim() ? { note: note.trim() } : {},
      }),
    onSuccess: (alert) => {
      // The answer is the alert as acknowledged, read from its stream: show it at once. Reading the
      // list now could still show it open (the projection follows within a second); the stream's
      // event for it, or the next poll, reads the list again.
      queryClient.setQueriesData<Alert[]>({ queryKey: ['alerts'] }, (list) =>
        Array.isArray(list) ? list.map((item) => (item.id === alert.id ? { ...item, ...alert } : item)) : list,
      );
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    acknowledge.mutate();
  };
  return (
    <form className="ack" onSubmit={submit}>
      <label htmlFor={noteId}>{t('alerts.ackNote')}</label>
      <textarea id={noteId} rows={2} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />
      <button type="submit" disabled={acknowledge.isPending}>
        {t('alerts.acknowledge')}
      </button>
      {acknowledge.isError && <ErrorNote error={acknowledge.error} />}
    </form>
  );
}
