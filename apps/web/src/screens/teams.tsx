import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api';
import { AdminPage } from '../components/admin-nav';
import { DataTable } from '../components/data-table';
import { ErrorNote, fieldError, QueryState } from '../components/query-state';
import { useSettle } from '../components/settle';
import type { Team, User } from '../types';

const useManagers = () =>
  useQuery({
    queryKey: ['users'],
    queryFn: () => api<Page<User>>('/v1/users?limit=500'),
    select: (page) => page.items.filter((user) => user.role === 'manager' && user.active),
  });

export function TeamsScreen() {
  const { t } = useTranslation();
  const settle = useSettle<Page<Team>>();
  const teams = useQuery({
    queryKey: ['teams', 'all'],
    queryFn: () => api<Page<Team>>('/v1/teams?limit=500'),
    refetchInterval: settle.refetchInterval,
  });
  const shows = (check: (team: Team) => boolean) => settle.expect((page) => page.items.some(check));
  const managers = useManagers();
  return (
    <AdminPage title={t('admin.teamsTitle')}>
      <CreateTeam onCreated={(id) => shows((team) => team.id === id)} />
      <h2>{t('admin.teams')}</h2>
      <QueryState query={teams} isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <DataTable
            label={t('admin.teams')}
            testId="teams"
            columns={[t('admin.name'), t('admin.manager'), t('admin.assignManager')]}
          >
            {page.items.map((team) => (
              <TeamRow
                key={team.id}
                team={team}
                managers={(managers.data ?? []).filter((user) => user.teamId === team.id)}
                onAssigned={(managerUserId) =>
                  shows((shown) => shown.id === team.id && shown.managerUserId === managerUserId)
                }
              />
            ))}
          </DataTable>
        )}
      </QueryState>
    </AdminPage>
  );
}

/** `managers`: the team's own manager users, the only ones the API accepts as its manager. */
function TeamRow({
  team,
  managers,
  onAssigned,
}: {
  team: Team;
  managers: User[];
  onAssigned: (managerUserId: string) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState(team.managerUserId ?? '');
  const assign = useMutation({
    mutationFn: () => api<Team>(`/v1/teams/${team.id}/manager`, { method: 'PUT', body: { managerUserId: chosen } }),
    onSuccess: () => {
      onAssigned(chosen);
      void queryClient.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const current = managers.find((user) => user.id === team.managerUserId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    assign.mutate();
  };
  return (
    <tr data-team={team.id}>
      <td>
        {team.name}
        <div className="muted">{team.id}</div>
      </td>
      <td>
        {team.managerUserId ? (
          <Link to="/admin/users/$userId" params={{ userId: team.managerUserId }}>
            {current?.name ?? team.managerUserId}
          </Link>
        ) : (
          <span className="muted">{t('admin.noManager')}</span>
        )}
      </td>
      <td>
        <form className="inline" onSubmit={submit}>
          <label htmlFor={`manager-${team.id}`} className="visually-hidden">
            {t('admin.managerOf', { team: team.name })}
          </label>
          <select id={`manager-${team.id}`} value={chosen} onChange={(event) => setChosen(event.target.value)}>
            <option value="">{t('admin.chooseManager')}</option>
            {managers.map((user) => (
              <option key={user.id} value={user.id}>
                {user.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit" disabled={!chosen || chosen === team.managerUserId || assign.isPending}>
            {t('common.save')}
          </button>
          {assign.isError && <ErrorNote error={assign.error} />}
        </form>
      </td>
    </tr>
  );
}

/** A new team has no manager user yet: create one in it (Users), then assign them here. */
function CreateTeam({ onCreated }: { onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ id: '', name: '' });
  const create = useMutation({
    mutationFn: () =>
      api<Team>('/v1/teams', {
        method: 'POST',
        body: { id: form.id.trim(), name: form.name.trim() },
      }),
    onSuccess: (created) => {
      onCreated(created.id);
      setForm({ id: '', name: '' });
      void queryClient.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby="create-team">
      <h2 id="create-team">{t('admin.createTeam')}</h2>
      <form className="toolbar" onSubmit={submit} aria-labelledby="create-team">
        {(['id', 'name'] as const).map((key) => (
          <label key={key} htmlFor={`new-team-${key}`}>
            {t(`admin.${key}`)}
            <input
              id={`new-team-${key}`}
              required
              value={form[key]}
              aria-invalid={!!fieldError(create.error, key)}
              onChange={(event) => setForm({ ...form, [key]: event.target.value })}
            />
            {fieldError(create.error, key) && <span className="field-error">{fieldError(create.error, key)}</span>}
          </label>
        ))}
        <button type="submit" disabled={create.isPending}>
          {t('admin.create')}
        </button>
      </form>
      <p className="muted">{t('admin.managerHint')}</p>
      {create.isError && <ErrorNote error={create.error} />}
      {create.isSuccess && <p role="status">{t('admin.teamCreated', { name: create.data.name })}</p>}
    </section>
  );
}
