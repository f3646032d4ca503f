import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, withQuery, type Page } from '../api';
import { DataTable } from '../components/data-table';
import { ErrorNote, fieldError, QueryState } from '../components/query-state';
import { monthsOf, TargetsPage } from '../components/targets-nav';
import { useFormat } from '../i18n';
import { useMe } from '../me';
import type { Rep, Team } from '../types';

/** What a rep's row of the leaderboard says about their month: the target in force. */
interface MonthEntry {
  repId: string;
  target: number;
}

/** The answer to setting a target: applied at once, or a proposal waiting for an approver. */
export type TargetSet = { amount: string; version: number } | { proposalId: string; status: 'pending'; amount: string };

/** Rep × month: the target in force, from the month's leaderboard of the team (absent: not set). */
export function targetGrid(
  reps: readonly Rep[],
  months: readonly string[],
  boards: readonly (MonthEntry[] | undefined)[],
) {
  return reps.map((rep) => ({
    rep,
    targets: months.map((_, i) => boards[i]?.find((entry) => entry.repId === rep.id)?.target ?? null),
  }));
}

export function TargetsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe().data;
  const search = useSearch({ from: '/app/targets' });
  const navigate = useNavigate({ from: '/targets' });
  const year = search.year ?? String(new Date().getUTCFullYear());
  const months = monthsOf(year);
  const canEdit = me?.role === 'admin' || me?.role === 'director' || me?.role === 'manager';
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api<Page<Team>>('/v1/teams?limit=200') });
  const teamId = search.teamId ?? me?.teamId ?? teams.data?.items[0]?.id;
  const reps = useQuery({
    queryKey: ['reps', teamId ?? null],
    queryFn: () => api<Page<Rep>>(withQuery('/v1/reps', { teamId, limit: 500 })),
    enabled: !!teamId || me?.role === 'rep',
  });
  const boards = useQueries({
    queries: months.map((month) => ({
      queryKey: ['target-grid', month, teamId ?? null],
      queryFn: async () =>
        (await api<{ entries: MonthEntry[] }>(withQuery('/v1/leaderboard', { grain: 'month', period: month, teamId })))
          .entries,
      enabled: !!teamId,
    })),
  });
  const [editing, setEditing] = useState<{ rep: Rep; month: string } | null>(null);
  const visible = (list: Rep[]) => (me?.role === 'rep' ? list.filter((rep) => rep.id === me.repId) : list);

  return (
    <TargetsPage title={t('targets.gridTitle', { year })}>
      <form className="toolbar" onSubmit={(event) => event.preventDefault()}>
        {me?.role !== 'rep' && me?.role !== 'manager' && (
          <label htmlFor="targets-team">
            {t('targets.team')}
            <select
              id="targets-team"
              value={teamId ?? ''}
              onChange={(event) => void navigate({ search: (s) => ({ ...s, teamId: event.target.value }) })}
            >
              {teams.data?.items.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label htmlFor="targets-year">
          {t('targets.year')}
          <input
            id="targets-year"
            type="number"
            min={1900}
            max={2999}
            value={year}
            onChange={(event) => void navigate({ search: (s) => ({ ...s, year: event.target.value }) })}
          />
        </label>
      </form>
      <p className="muted">{canEdit ? t('targets.gridHint') : t('targets.readOnly')}</p>
      {boards.find((board) => board.isError) && <ErrorNote error={boards.find((board) => board.isError)?.error} />}
      <QueryState query={reps} isEmpty={(page) => visible(page.items).length === 0}>
        {(page) => (
          <DataTable
            label={t('targets.gridTitle', { year })}
            testId="target-grid"
            columns={[
              t('targets.rep'),
              ...months.map((month) => ({ label: f.monthName(month), numeric: true })),
              { label: t('targets.total'), numeric: true },
            ]}
          >
            {targetGrid(
              visible(page.items),
              months,
              boards.map((board) => board.data),
            ).map(({ rep, targets }) => (
              <tr key={rep.id} data-rep={rep.id}>
                <th scope="row">{rep.name}</th>
                {targets.map((target, i) => {
                  const month = months[i] as string;
                  const shown = boards[i]?.isPending ? '…' : target === null ? t('targets.notSet') : f.money(target);
                  return (
                    <td key={month} className="num" data-month={month}>
                      {canEdit ? (
                        <button
                          type="button"
                          className="cell"
                          aria-label={`${t('targets.edit', { rep: rep.name, month: f.month(month) })}: ${shown}`}
                          onClick={() => setEditing({ rep, month })}
                        >
                          {shown}
                        </button>
                      ) : (
                        shown
                      )}
                    </td>
                  );
                })}
                <td className="num">{f.money(targets.reduce<number>((sum, target) => sum + (target ?? 0), 0))}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
      {editing && (
        <TargetEditor key={`${editing.rep.id}/${editing.month}`} {...editing} onClose={() => setEditing(null)} />
      )}
    </TargetsPage>
  );
}

/** Sets or revises one target with a reason; the API's refusals shown beside the fields. */
export function TargetEditor({ rep, month, onClose }: { rep: Rep; month: string; onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const path = `/v1/reps/${encodeURIComponent(rep.id)}/targets/${month}`;
  const current = useQuery({
    queryKey: ['target', rep.id, month],
    queryFn: () =>
      api<{ amount: string; version: number }>(path).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
  });
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () => api<TargetSet>(path, { method: 'PUT', body: { amount: amount.trim(), reason: reason.trim() } }),
    onSuccess: () => {
      // The grid reads a projection, which follows the write within a second or so.
      const refresh = () => void queryClient.invalidateQueries({ queryKey: ['target-grid'] });
      refresh();
      setTimeout(refresh, 1_500);
      void queryClient.invalidateQueries({ queryKey: ['target', rep.id, month] });
      void queryClient.invalidateQueries({ queryKey: ['target-history', rep.id, month] });
      void queryClient.invalidateQueries({ queryKey: ['proposals'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const field = (name: 'amount' | 'reason') => fieldError(save.error, name);
  const title = t('targets.edit', { rep: rep.name, month: f.month(month) });
  return (
    <section className="panel" aria-labelledby="target-editor" data-testid="target-editor">
      <h2 id="target-editor">{title}</h2>
      <p className="muted">
        {current.data ? f.money(current.data.amount) : current.isPending ? '…' : t('targets.notSet')}
      </p>
      <form className="stack" onSubmit={submit}>
        <label htmlFor="target-amount">
          {t('targets.amount')}
          <input
            id="target-amount"
            inputMode="decimal"
            required
            autoFocus
            value={amount}
            aria-invalid={!!field('amount')}
            onChange={(event) => setAmount(event.target.value)}
          />
          {field('amount') && <span className="field-error">{field('amount')}</span>}
        </label>
        <label htmlFor="target-reason">
          {t('targets.reason')}
          <input
            id="target-reason"
            required
            value={reason}
            aria-invalid={!!field('reason')}
            onChange={(event) => setReason(event.target.value)}
          />
          {field('reason') && <span className="field-error">{field('reason')}</span>}
        </label>
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {t('targets.save')}
          </button>
          <button type="button" onClick={onClose}>
            {t('targets.cancel')}
          </button>
        </div>
        {save.isError &&
          (save.error instanceof ApiError && save.error.status === 409 ? (
            <p role="alert" className="error">
              {t('targets.stale')}
            </p>
          ) : (
            <ErrorNote error={save.error} />
          ))}
        {save.isSuccess && (
          <p role="status">
            {'proposalId' in save.data
              ? t('targets.proposed', { amount: f.money(save.data.amount) })
              : t('targets.saved', { amount: f.money(save.data.amount), version: save.data.version })}
          </p>
        )}
      </form>
    </section>
  );
}
