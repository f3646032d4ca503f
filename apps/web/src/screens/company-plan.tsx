import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartPanel } from '../components/chart-panel';
import { api, ApiError, type Page } from '../api';
import { ErrorNote, fieldError, QueryState } from '../components/query-state';
import { monthsOf, TargetsPage } from '../components/targets-nav';
import { useFormat } from '../i18n';
import type { Team } from '../types';

export interface CompanyPlan {
  year: number;
  amount: string;
  weights: number[];
  teams: Record<string, { amount: string; reps?: Record<string, string> }>;
  reason: string;
  version: number;
}

/** Each month's share of the year: the amount spread in proportion to the weights. */
export function monthlySpread(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + (Number.isFinite(weight) ? weight : 0), 0);
  return weights.map((weight) => (total > 0 && Number.isFinite(weight) ? (amount * weight) / total : 0));
}

export function CompanyPlanScreen() {
  const { t } = useTranslation();
  const search = useSearch({ from: '/app/targets/plan' });
  const navigate = useNavigate({ from: '/targets/plan' });
  const year = search.year ?? String(new Date().getUTCFullYear());
  const plan = useQuery({
    queryKey: ['company-plan', year],
    queryFn: () =>
      api<CompanyPlan>(`/v1/company-plans/${year}`).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
  });
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api<Page<Team>>('/v1/teams?limit=200') });
  return (
    <TargetsPage title={t('targets.planTitle', { year })}>
      <form className="toolbar" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="plan-year">
          {t('targets.year')}
          <input
            id="plan-year"
            type="number"
            min={1900}
            max={2999}
            value={year}
            onChange={(event) => void navigate({ search: { year: event.target.value } })}
          />
        </label>
      </form>
      <QueryState query={plan}>
        {(current) => (
          <QueryState query={teams}>
            {(page) => (
              <PlanEditor key={`${year}/${current?.version ?? 0}`} year={year} plan={current} teams={page.items} />
            )}
          </QueryState>
        )}
      </QueryState>
    </TargetsPage>
  );
}

function PlanEditor({ year, plan, teams }: { year: string; plan: CompanyPlan | null; teams: Team[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const months = monthsOf(year);
  const [amount, setAmount] = useState(plan?.amount ?? '');
  const [weights, setWeights] = useState<string[]>((plan?.weights ?? Array<number>(12).fill(1)).map(String));
  const [teamAmounts, setTeamAmounts] = useState<Record<string, string>>(
    Object.fromEntries(teams.map((team) => [team.id, plan?.teams[team.id]?.amount ?? ''])),
  );
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api<CompanyPlan & { repMonthTargets: number }>(`/v1/company-plans/${year}`, {
        method: 'PUT',
        body: {
          amount: amount.trim(),
          weights: weights.map(Number),
          teams: Object.entries(teamAmounts)
            .filter(([, value]) => value.trim() !== '')
            .map(([teamId, value]) => ({ teamId, amount: value.trim() })),
          reason: reason.trim(),
        },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['company-plan', year] });
      void queryClient.invalidateQueries({ queryKey: ['target-grid'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const spread = monthlySpread(Number(amount) || 0, weights.map(Number));
  const rows = months.map((month, i) => ({ month: f.monthName(month), amount: spread[i] }));
  const error = (field: string) => fieldError(save.error, field);
  return (
    <form className="stack" onSubmit={submit}>
      {plan ? (
        <p className="muted">{t('targets.planVersion', { version: plan.version, reason: plan.reason })}</p>
      ) : (
        <p className="muted">{t('targets.noPlan', { year })}</p>
      )}
      <label htmlFor="plan-amount">
        {t('targets.planAmount')}
        <input
          id="plan-amount"
          inputMode="decimal"
          required
          value={amount}
          aria-invalid={!!error('amount')}
          onChange={(event) => setAmount(event.target.value)}
        />
        {error('amount') && <span className="field-error">{error('amount')}</span>}
      </label>
      <ChartPanel title={t('targets.curve')} testId="plan-chart">
        <LineChart data={rows} margin={{ top: 10, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e3e7ee" />
          <XAxis dataKey="month" />
          <YAxis width={80} tickFormatter={(v: number) => f.number(v)} />
          <Tooltip formatter={(value) => f.money(value as number)} />
          <Line
            dataKey="amount"
            name={t('targets.amount')}
            stroke="#1f5fbf"
            strokeWidth={2}
            isAnimationActive={false}
          />
        </LineChart>
      </ChartPanel>
      <fieldset>
        <legend>{t('targets.weights')}</legend>
        <p className="muted">{t('targets.weightsHint')}</p>
        <div className="grid-inputs">
          {months.map((month, i) => (
            <label key={month} htmlFor={`weight-${i}`}>
              <span aria-hidden="true">{f.monthName(month)}</span>
              <span className="visually-hidden">{t('targets.weight', { month: f.month(month) })}</span>
              <input
                id={`weight-${i}`}
                inputMode="decimal"
                value={weights[i]}
                aria-invalid={!!error(`weights.${i}`) || !!error('weights')}
                onChange={(event) => setWeights(weights.map((w, j) => (j === i ? event.target.value : w)))}
              />
            </label>
          ))}
        </div>
        {error('weights') && <span className="field-error">{error('weights')}</span>}
      </fieldset>
      <fieldset>
        <legend>{t('targets.teamAmounts')}</legend>
        {teams.map((team) => (
          <label key={team.id} htmlFor={`team-amount-${team.id}`}>
            {t('targets.teamAmount', { team: team.name })}
            <input
              id={`team-amount-${team.id}`}
              inputMode="decimal"
              value={teamAmounts[team.id] ?? ''}
              onChange={(event) => setTeamAmounts({ ...teamAmounts, [team.id]: event.target.value })}
            />
          </label>
        ))}
        {error('teams') && <span className="field-error">{error('teams')}</span>}
      </fieldset>
      <label htmlFor="plan-reason">
        {t('targets.reason')}
        <input
          id="plan-reason"
          required
          value={reason}
          aria-invalid={!!error('reason')}
          onChange={(event) => setReason(event.target.value)}
        />
        {error('reason') && <span className="field-error">{error('reason')}</span>}
      </label>
      <div>
        <button type="submit" disabled={save.isPending}>
          {t('targets.save')}
        </button>
      </div>
      {save.isError && <ErrorNote error={save.error} />}
      {save.isSuccess && <p role="status">{t('targets.planSaved', { count: save.data.repMonthTargets })}</p>}
    </form>
  );
}
