import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { getToken, onAuthChange, setToken } from './api.js';
import { Status } from './components/ui.js';
import { graphql } from './graphql.js';
import { startLive, useLive } from './live.js';
import { MonitorPage } from './pages/monitor.js';
import { Monitors } from './pages/monitors.js';
import { Overview } from './pages/overview.js';
import { AppPage, JobPage, NotificationPage } from './pages/details.js';
import { ApplyPage, History, RevisionPage } from './pages/history.js';
import { Apps, Jobs, Notifications } from './pages/resources.js';
import { useQuery } from './query.js';
import { match, usePath } from './router.js';

const ROUTES: [string, (p: Record<string, string>) => JSX.Element, string][] = [
  ['/', () => <Overview />, 'Overview'],
  ['/apps', () => <Apps />, 'Apps'],
  ['/apps/:name', (p) => <AppPage name={p.name} />, 'App'],
  ['/monitors', () => <Monitors />, 'Monitors'],
  ['/monitors/:name', (p) => <MonitorPage name={p.name} />, 'Monitor'],
  ['/jobs', () => <Jobs />, 'Jobs'],
  ['/jobs/:name', (p) => <JobPage name={p.name} />, 'Job'],
  ['/notifications', () => <Notifications />, 'Notifications'],
  ['/notifications/:name', (p) => <NotificationPage name={p.name} />, 'Notification'],
  ['/history', () => <History />, 'History'],
  ['/history/revisions/:number', (p) => <RevisionPage number={p.number} />, 'Revision'],
  ['/history/applies/:number', (p) => <ApplyPage number={p.number} />, 'Apply'],
];

const SYNC_BADGE = graphql('query SyncBadge { engine { lastSync { outcome } } }');

const NAV = [
  ['/', 'Overview'],
  ['/apps', 'Apps'],
  ['/monitors', 'Monitors'],
  ['/jobs', 'Jobs'],
  ['/notifications', 'Notifications'],
  ['/history', 'History'],
];

function route(path: string): { el: JSX.Element; title: string } {
  for (const [pattern, render, title] of ROUTES) {
    const params = path === '/' ? (pattern === '/' ? {} : undefined) : match(pattern, path);
    if (params) return { el: render(params), title: params.name ?? (params.number ? `${title} #${params.number}` : title) };
  }
  return {
    el: (
      <p class="empty">
        No page at {path}. <a href="/">Overview</a>
      </p>
    ),
    title: 'Not found',
  };
}

export function App() {
  const path = usePath();
  const live = useLive();
  // The header's sync badge re-reads on live events (the Overview follows the sync stream itself).
  const sync = useQuery(SYNC_BADGE, {}, { live: true });
  useEffect(() => {
    startLive();
    return onAuthChange(startLive);
  }, []);
  const { el, title } = route(path);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${title} · Ploy`;
    // After an in-app navigation, focus moves to the new page so keyboard and screen-reader
    // users land on it; on the first load it stays at the top (the skip link comes first).
    if (!first.current) document.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
    first.current = false;
  }, [path]);
  const section = '/' + (path.split('/')[1] ?? '');
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Ploy
        </a>
        <nav aria-label="main">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <a href={to} aria-current={section === to ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span
          class="live"
          role="status"
          title={live.connected ? 'Live updates connected' : 'Live updates disconnected; retrying'}
        >
          <span class={`dot ${live.connected ? 'ok' : 'warn'}`} aria-hidden="true" /> {live.connected ? 'live' : 'offline'}
          {sync.data && (
            <>
              {' '}
              · sync <Status value={sync.data.engine.lastSync.outcome} />
            </>
          )}
        </span>
        {getToken() && (
          <button type="button" class="link" onClick={() => setToken(null)}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1} key={path}>
        {el}
      </main>
    </>
  );
}
