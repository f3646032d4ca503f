import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { ErrorNote } from '../components/query-state';
import type { Me } from '../me';
import { setToken } from '../session';

/** A password field named `token` and a submit button (DESIGN §7); the token is checked before it is kept. */
export function SignInScreen() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { next } = useSearch({ from: '/sign-in' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('/v1/me', { token });
      setToken(token);
      queryClient.setQueryData(['me', token], me);
      const target = next && next.startsWith('/') && !next.startsWith('/sign-in') ? next : '/';
      void navigate({ to: target });
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? new Error(t('signIn.invalid')) : failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>{t('app.name')}</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t('signIn.title')}</h2>
        <label htmlFor="token">{t('signIn.token')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          required
          aria-describedby="token-hint"
        />
        <p id="token-hint" className="muted">
          {t('signIn.hint')}
        </p>
        {error !== null && <ErrorNote error={error} />}
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
