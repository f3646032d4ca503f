import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { managesPeople, useMe } from '../me';

/** The administration screens' own menu, and their guard: only who manages people sees them. */
export function AdminPage({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe().data;
  return (
    <>
      <nav aria-label={t('admin.menu')} className="subnav">
        <Link to="/admin" activeOptions={{ exact: true }}>
          {t('admin.users')}
        </Link>
        <Link to="/admin/teams">{t('admin.teams')}</Link>
      </nav>
      <h1>{title}</h1>
      {me && !managesPeople(me.role) ? (
        <p role="alert" className="error">
          {t('state.forbidden')}
        </p>
      ) : (
        children
      )}
    </>
  );
}
