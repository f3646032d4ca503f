import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n';
import { managesPeople, useMe, type Me } from '../me';
import { setToken } from '../session';
import { QueryState } from './query-state';

type NavItem = { to: string; label: string; params?: Record<string, string> };

/** What each role works with; the API enforces reach, this only keeps the menu to what is useful. */
function navFor(me: Me): NavItem[] {
  const items: NavItem[] = [{ to: '/', label: 'nav.home' }];
  if (me.role === 'rep' && me.repId)
    items.push({ to: '/reps/$repId', params: { repId: me.repId }, label: 'nav.scorecard' });
  else items.push({ to: '/leaderboard', label: 'nav.leaderboard' });
  items.push({ to: '/alerts', label: 'nav.alerts' });
  if (me.role !== 'analyst') items.push({ to: '/targets', label: 'nav.targets' });
  items.push({ to: '/audit', label: 'nav.audit' });
  if (me.role !== 'rep' && me.role !== 'analyst') items.push({ to: '/imports', label: 'nav.imports' });
  if (managesPeople(me.role)) items.push({ to: '/admin', label: 'nav.admin' });
  return items;
}

export function Layout() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = () => {
    setToken(null);
    queryClient.clear();
    void navigate({ to: '/sign-in', search: {} });
  };
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('app.menu')}>
          {me.data &&
            navFor(me.data).map((item) => (
              <Link
                key={item.to}
                to={item.to as never}
                params={item.params as never}
                activeOptions={{ exact: item.to === '/' }}
              >
                {t(item.label)}
              </Link>
            ))}
        </nav>
        <div className="session">
          {me.data && (
            <span className="who">
              {me.data.userId} · {t(`role.${me.data.role}`)}
            </span>
          )}
          <label>
            <span className="visually-hidden">{t('app.language')}</span>
            <select value={i18n.language} onChange={(event) => setLanguage(event.target.value as Language)}>
              {Object.entries(LANGUAGES).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={signOut}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <QueryState query={me}>{() => <Outlet />}</QueryState>
      </main>
    </>
  );
}
