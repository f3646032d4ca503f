import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The target screens' own menu: the team grid, the approver's queue, the company plan. */
export function TargetsPage({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <nav aria-label={t('nav.targets')} className="subnav">
        <Link to="/targets" activeOptions={{ exact: true }}>
          {t('nav.targets')}
        </Link>
        <Link to="/targets/approvals">{t('targets.approvals')}</Link>
        <Link to="/targets/plan">{t('targets.plan')}</Link>
      </nav>
      <h1>{title}</h1>
      {children}
    </>
  );
}

/** The twelve months of a year, `YYYY-MM`. */
export const monthsOf = (year: string): string[] =>
  Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
