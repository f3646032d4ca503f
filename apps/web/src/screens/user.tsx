import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { AdminPage } from '../components/admin-nav';
import { DataTable } from '../components/data-table';
import { ErrorNote, fieldError, QueryState } from '../components/query-state';
import { useSettle } from '../components/settle';
import { useFormat } from '../i18n';
import type { ApiToken, User } from '../types';

export function UserScreen() {
  const { userId } = useParams({ from: '/app/admin/users/$userId' });
  return <UserDetail userId={userId} />;
}

export function UserDetail({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const settle = useSettle<User>();
  const user = useQuery({
    queryKey: ['users', userId],
    queryFn: () => api<User>(`/v1/users/${userId}`),
    refetchInterval: settle.refetchInterval,
  });
  return (
    <AdminPage title={t('admin.userTitle', { name: user.data?.name ?? userId })}>
      <QueryState query={user}>
        {(found) => (
          <>
            <dl className="facts">
              <dt>{t('admin.id')}</dt>
              <dd>{found.id}</dd>
              <dt>{t('admin.email')}</dt>
              <dd>{found.email}</dd>
              <dt>{t('admin.role')}</dt>
              <dd>{t(`role.${found.role}`)}</dd>
              <dt>{t('common.team')}</dt>
              <dd>{found.teamId ?? '—'}</dd>
              <dt>{t('admin.state')}</dt>
              <dd data-testid="user-state">{found.active ? t('admin.active') : t('admin.inactive')}</dd>
            </dl>
            <Tokens userId={found.id} active={found.active} />
            {found.active && (
              <Deactivate
                userId={found.id}
                name={found.name}
                onDeactivated={() => settle.expect((shown) => !shown.active)}
              />
            )}
          </>
        )}
      </QueryState>
    </AdminPage>
  );
}

function Tokens({ userId, active }: { userId: string; active: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const queryClient = useQueryClient();
  const settle = useSettle<ApiToken[]>();
  const tokens = useQuery({
    queryKey: ['users', userId, 'tokens'],
    queryFn: () => api<ApiToken[]>(`/v1/users/${userId}/tokens`),
    refetchInterval: settle.refetchInterval,
  });
  const revoke = useMutation({
    mutationFn: (tokenId: string) => api<void>(`/v1/users/${userId}/tokens/${tokenId}`, { method: 'DELETE' }),
    onSuccess: (_answer, tokenId) =>
      settle.expect((list) => list.some((token) => token.tokenId === tokenId && token.revokedAt !== null)),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['users', userId, 'tokens'] }),
  });
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t('admin.tokens')}</h2>
      {active && (
        <IssueToken
          userId={userId}
          onIssued={(tokenId) => settle.expect((list) => list.some((token) => token.tokenId === tokenId))}
        />
      )}
      {revoke.isError && <ErrorNote error={revoke.error} />}
      <QueryState query={tokens} isEmpty={(list) => list.length === 0} empty={t('admin.noTokens')}>
        {(list) => (
          <DataTable
            label={t('admin.tokens')}
            testId="tokens"
            columns={[
              t('admin.label'),
              t('admin.createdAt'),
              t('admin.expiresAt'),
              t('admin.lastUsedAt'),
              t('admin.revokedAt'),
              { label: t('admin.actions'), hidden: true },
            ]}
          >
            {list.map((token) => (
              <tr key={token.tokenId} data-token={token.tokenId}>
                <td>{token.label ?? <span className="muted">{t('admin.noLabel')}</span>}</td>
                <td>{f.instant(token.createdAt)}</td>
                <td>{token.expiresAt ? f.instant(token.expiresAt) : t('admin.never')}</td>
                <td>{token.lastUsedAt ? f.instant(token.lastUsedAt) : t('admin.neverUsed')}</td>
                <td data-testid="revoked">{token.revokedAt ? f.instant(token.revokedAt) : '—'}</td>
                <td>
                  {!token.revokedAt && (
                    <button
                      type="button"
                      className="secondary"
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate(token.tokenId)}
                    >
                      {t('admin.revoke', { label: token.label ?? token.tokenId })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}

/** Label and expiry in; the secret out, shown this once (the API keeps only its hash). */
function IssueToken({ userId, onIssued }: { userId: string; onIssued: (tokenId: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [label, setLabel] = useState('');
  const [days, setDays] = useState('90');
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const issue = useMutation({
    mutationFn: () =>
      api<{ tokenId: string; token: string }>(`/v1/users/${userId}/tokens`, {
        method: 'POST',
        body: { ...(label.trim() && { label: label.trim() }), ...(days && { expiresInDays: Number(days) }) },
      }),
    onSuccess: (answer) => {
      setSecret(answer.token);
      setCopied(false);
      setLabel('');
      onIssued(answer.tokenId);
      void queryClient.invalidateQueries({ queryKey: ['users', userId, 'tokens'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSecret(null);
    issue.mutate();
  };
  const copy = async () => {
    if (!secret) return;
    await navigator.clipboard?.writeText(secret);
    setCopied(true);
  };
  return (
    <div className="panel">
      <form className="toolbar" onSubmit={submit} aria-label={t('admin.issueToken')}>
        <label htmlFor="token-label">
          {t('admin.label')}
          <input id="token-label" maxLength={100} value={label} onChange={(event) => setLabel(event.target.value)} />
        </label>
        <label htmlFor="token-days">
          {t('admin.expiresInDays')}
          <input
            id="token-days"
            type="number"
            min={1}
            max={3650}
            step={1}
            value={days}
            aria-describedby="token-days-hint"
            aria-invalid={!!fieldError(issue.error, 'expiresInDays')}
            onChange={(event) => setDays(event.target.value)}
          />
        </label>
        <span id="token-days-hint" className="muted">
          {t('admin.expiryHint')}
        </span>
        <button type="submit" disabled={issue.isPending}>
          {t('admin.issueToken')}
        </button>
      </form>
      {issue.isError && <ErrorNote error={issue.error} />}
      {secret && (
        <div className="secret" role="status" data-testid="token-secret">
          <p>
            <strong>{t('admin.secretOnce')}</strong>
          </p>
          <p>
            <code className="token">{secret}</code>
          </p>
          <button type="button" onClick={() => void copy()}>
            {copied ? t('admin.copied') : t('admin.copy')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setSecret(null)}>
            {t('admin.secretDone')}
          </button>
        </div>
      )}
    </div>
  );
}

/** Deactivation revokes every token of the user's: asked twice. */
function Deactivate({ userId, name, onDeactivated }: { userId: string; name: string; onDeactivated: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const deactivate = useMutation({
    mutationFn: () => api<unknown>(`/v1/users/${userId}/deactivation`, { method: 'POST' }),
    onSuccess: () => {
      setAsking(false);
      onDeactivated();
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  return (
    <section className="panel" aria-labelledby="deactivate-title">
      <h2 id="deactivate-title">{t('admin.deactivateTitle')}</h2>
      <p className="muted">{t('admin.deactivateHint')}</p>
      {asking ? (
        <div role="group" aria-label={t('admin.confirmDeactivate', { name })}>
          <p>{t('admin.confirmDeactivate', { name })}</p>
          <button type="button" onClick={() => deactivate.mutate()} disabled={deactivate.isPending}>
            {t('admin.confirmYes')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setAsking(false)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          {t('admin.deactivate')}
        </button>
      )}
      {deactivate.isError && <ErrorNote error={deactivate.error} />}
    </section>
  );
}
