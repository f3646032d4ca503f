import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery, type Page } from '../api';
import { AdminPage } from '../components/admin-nav';
import { DataTable } from '../components/data-table';
import { ErrorNote, fieldError, QueryState } from '../components/query-state';
import { useSettle } from '../components/settle';
import { useFormat } from '../i18n';
import { useMe, type Role } from '../me';
import type { Rep, Team, User } from '../types';

/** Whom each role may create (the API has the last word): a director managers, reps and analysts. */
export const creatableRoles = (role: Role): Role[] =>
  role === 'admin' ? ['director', 'manager', 'rep', 'analyst', 'admin'] : ['manager', 'rep', 'analyst'];

export function UsersScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const settle = useSettle<Page<User>>();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api<Page<User>>('/v1/users?limit=500'),
    refetchInterval: settle.refetchInterval,
  });
  return (
    <AdminPage title={t('admin.usersTitle')}>
      <CreateUser onCreated={(id) => settle.expect((page) => page.items.some((user) => user.id === id))} />
      <h2>{t('admin.users')}</h2>
      <QueryState query={users} isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <DataTable
            label={t('admin.users')}
            testId="users"
            columns={[t('admin.name'), t('admin.role'), t('common.team'), t('admin.registeredAt'), t('admin.state')]}
          >
            {page.items.map((user) => (
              <tr key={user.id} data-user={user.id}>
                <td>
                  <Link to="/admin/users/$userId" params={{ userId: user.id }}>
                    {user.name}
                  </Link>
                  <div className="muted">
                    {user.id} · {user.email}
                  </div>
                </td>
                <td>{t(`role.${user.role}`)}</td>
                <td>{user.teamId ?? '—'}</td>
                <td>{f.day(user.registeredAt)}</td>
                <td>{user.active ? t('admin.active') : t('admin.inactive')}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </AdminPage>
  );
}

function CreateUser({ onCreated }: { onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const queryClient = useQueryClient();
  const roles = creatableRoles(me?.role ?? 'director');
  const [form, setForm] = useState({ id: '', name: '', email: '', role: 'rep' as Role, teamId: '', repId: '' });
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api<Page<Team>>('/v1/teams?limit=200') });
  const reps = useQuery({
    queryKey: ['reps', form.teamId || null],
    queryFn: () => api<Page<Rep>>(withQuery('/v1/reps', { teamId: form.teamId, limit: 500 })),
    enabled: form.role === 'rep',
  });
  const create = useMutation({
    mutationFn: () =>
      api<User>('/v1/users', {
        method: 'POST',
        body: {
          id: form.id.trim(),
          name: form.name.trim(),
          email: form.email.trim(),
          role: form.role,
          ...(form.teamId && { teamId: form.teamId }),
          ...(form.role === 'rep' && form.repId && { repId: form.repId }),
        },
      }),
    onSuccess: (created) => {
      onCreated(created.id);
      setForm({ id: '', name: '', email: '', role: form.role, teamId: form.teamId, repId: '' });
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const input = (key: 'id' | 'name' | 'email', type = 'text') => (
    <label htmlFor={`new-user-${key}`}>
      {t(`admin.${key}`)}
      <input
        id={`new-user-${key}`}
        type={type}
        required
        value={form[key]}
        aria-invalid={!!fieldError(create.error, key)}
        onChange={(event) => setForm({ ...form, [key]: event.target.value })}
      />
      {fieldError(create.error, key) && <span className="field-error">{fieldError(create.error, key)}</span>}
    </label>
  );
  const needsTeam = form.role === 'manager' || form.role === 'rep';
  return (
    <section className="panel" aria-labelledby="create-user">
      <h2 id="create-user">{t('admin.createUser')}</h2>
      <form className="stack" onSubmit={submit} aria-labelledby="create-user">
        {input('id')}
        {input('name')}
        {input('email', 'email')}
        <label htmlFor="new-user-role">
          {t('admin.role')}
          <select
            id="new-user-role"
            value={form.role}
            onChange={(event) => setForm({ ...form, role: event.target.value as Role, repId: '' })}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {t(`role.${role}`)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="new-user-team">
          {t('common.team')}
          <select
            id="new-user-team"
            value={form.teamId}
            required={needsTeam}
            onChange={(event) => setForm({ ...form, teamId: event.target.value, repId: '' })}
          >
            <option value="">{t('admin.noTeam')}</option>
            {teams.data?.items.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        {form.role === 'rep' && (
          <label htmlFor="new-user-rep">
            {t('common.rep')}
            <select
              id="new-user-rep"
              value={form.repId}
              required
              onChange={(event) => setForm({ ...form, repId: event.target.value })}
            >
              <option value="">{t('admin.chooseRep')}</option>
              {reps.data?.items.map((rep) => (
                <option key={rep.id} value={rep.id}>
                  {rep.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <div>
          <button type="submit" disabled={create.isPending}>
            {t('admin.create')}
          </button>
        </div>
        {create.isError && <ErrorNote error={create.error} />}
        {create.isSuccess && <p role="status">{t('admin.userCreated', { name: create.data.name })}</p>}
      </form>
    </section>
  );
}
