import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

/** Loading, error and empty states for one query, the same on every screen; an error is always shown. */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending)
    return (
      <p role="status" className="muted">
        {t('state.loading')}
      </p>
    );
  if (query.isError) return <ErrorNote error={query.error} retry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <p className="muted">{empty ?? t('state.empty')}</p>;
  return <>{children(query.data)}</>;
}

export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof ApiError && error.status === 403 ? t('state.forbidden') : errorMessage(error);
  return (
    <div role="alert" className="error">
      <p>{t('state.error', { message })}</p>
      {error instanceof ApiError && error.fields.length > 0 && (
        <ul>
          {error.fields.map((problem) => (
            <li key={problem.field}>
              <code>{problem.field}</code>: {problem.message}
            </li>
          ))}
        </ul>
      )}
      {retry && (
        <button type="button" onClick={retry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The API's message for one field of a refused form, shown beside that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.fields.find((problem) => problem.field === field || problem.field.startsWith(`${field}.`))?.message;
}
