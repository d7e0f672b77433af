import { useMemo, useState } from 'preact/hooks';
import { VirtualList } from '../components/virtual-list.js';
import { Page, Status, Time, tone } from '../components/ui.js';
import { ms, percent } from '../format.js';
import { graphql } from '../graphql.js';
import { useQuery } from '../query.js';
import { href } from '../router.js';

// The list comes first (names, status, state: cheap), then one request per uptime window for
// every monitor at once: the page is usable as soon as the list lands, the figures fill in as
// their windows are computed, and 1,000 rows still cost four requests, never one per row.
const LIST = graphql(`query Monitors {
  monitors(first: 1000) { edges { node { name status labels { key value } state { state since } } } }
}`);
const WINDOWS = { day: '24h', month: '30d', year: '365d' } as const;
type WindowKey = keyof typeof WINDOWS;
const UPTIME = graphql(
  'query MonitorsUptime($window: String!) { monitors(first: 1000) { edges { node { name uptime(window: $window) { ratio latencyP95 } } } } }',
);

/** name → uptime of one window, once its request has answered; asked only once `after` is true. */
function useWindow(key: WindowKey, after: boolean) {
  const q = useQuery(UPTIME, { window: WINDOWS[key] }, { skip: !after });
  return useMemo(() => (q.data ? new Map(q.data.monitors.edges.map((e) => [e.node.name, e.node.uptime])) : undefined), [q.data]);
}

const Bar = ({ ratio, label }: { ratio: number | null | undefined; label: string }) =>
  ratio === undefined ? (
    <span class="ubar loading" title={`${label}: loading`}>
      <span class="num muted">…</span>
    </span>
  ) : (
  <span class="ubar" title={`${label}: ${percent(ratio)}`}>
    <span
      class={`fill ${ratio == null ? 'none' : ratio >= 0.99 ? 'ok' : ratio >= 0.95 ? 'warn' : 'bad'}`}
      style={{ width: `${(ratio ?? 0) * 100}%` }}
    />
    <span class="num">{percent(ratio)}</span>
  </span>
  );

export function Monitors() {
  const q = useQuery(LIST, {}, { live: true });
  // In turn: the embedded store runs one statement at a time, and the list must not wait
  // behind a year of uptime; each window shows as soon as it is computed.
  const day = useWindow('day', !!q.data);
  const month = useWindow('month', !!day);
  const year = useWindow('year', !!month);
  const loaded = ['list', day && 'day', month && 'month', year && 'year'].filter(Boolean).join(' ');
  const [filter, setFilter] = useState('');
  const [onlyFailing, setOnlyFailing] = useState(false);
  const rows = useMemo(() => {
    const all = q.data?.monitors.edges.map((e) => e.node) ?? [];
    const f = filter.trim().toLowerCase();
    return all
      .filter(
        (m) =>
          (!f || m.name.toLowerCase().includes(f) || m.labels.some((l) => `${l.key}=${l.value}`.includes(f))) &&
          (!onlyFailing || tone(m.status) === 'bad'),
      )
      .sort((a, b) => Number(tone(b.status) === 'bad') - Number(tone(a.status) === 'bad') || a.name.localeCompare(b.name));
  }, [q.data, filter, onlyFailing]);
  return (
    <Page q={q}>
      {(d) => (
        <>
          <h1>Monitors</h1>
          <div class="toolbar">
            <label>
              Filter{' '}
              <input
                type="search"
                value={filter}
                onInput={(e) => setFilter(e.currentTarget.value)}
                placeholder="name or label=value"
              />
            </label>
            <label>
              <input type="checkbox" checked={onlyFailing} onChange={(e) => setOnlyFailing(e.currentTarget.checked)} /> failing
              only
            </label>
            <span class="muted" role="status">
              {rows.length} of {d.monitors.edges.length} monitors,{' '}
              {d.monitors.edges.filter((e) => tone(e.node.status) === 'bad').length} failing
            </span>
          </div>
          {d.monitors.edges.length === 0 ? (
            <p class="empty">No monitors applied. Declare a Monitor in the config repo.</p>
          ) : (
            <>
              <div class="mrow head" aria-hidden="true">
                <span>monitor</span>
                <span>status</span>
                <span>24 h</span>
                <span>30 d</span>
                <span>365 d</span>
                <span>p95 (24 h)</span>
                <span>since</span>
              </div>
              <div class="vwrap" data-loaded={q.data ? loaded : ''}>
              <VirtualList
                items={rows}
                rowHeight={40}
                label="monitors"
                render={(m) => (
                  <div class="mrow" data-monitor={m.name}>
                    <a href={href('monitors', m.name)}>{m.name}</a>
                    <Status value={m.status} />
                    <Bar ratio={day && (day.get(m.name)?.ratio ?? null)} label="24 h" />
                    <Bar ratio={month && (month.get(m.name)?.ratio ?? null)} label="30 d" />
                    <Bar ratio={year && (year.get(m.name)?.ratio ?? null)} label="365 d" />
                    <span>{day ? ms(day.get(m.name)?.latencyP95) : '…'}</span>
                    <Time at={m.state?.since} />
                  </div>
                )}
              />
              </div>
            </>
          )}
        </>
      )}
    </Page>
  );
}
