import { useMemo, useState } from 'preact/hooks';
import { VirtualList } from '../components/virtual-list.js';
import { Page, Status, Time, tone } from '../components/ui.js';
import { ms, percent } from '../format.js';
import { useQuery } from '../query.js';
import { href } from '../router.js';

// One request for every monitor with three uptime windows: the API batches it into a constant
// number of SQL statements, so 1,000 rows cost no more requests than 10.
const QUERY = `query Monitors {
  monitors(first: 1000) {
    edges { node {
      name status
      labels { key value }
      state { state since }
      day: uptime(window: "24h") { ratio latencyP95 }
      month: uptime(window: "30d") { ratio }
      year: uptime(window: "365d") { ratio }
    } }
  }
}`;

interface Row {
  name: string;
  status: string;
  labels: { key: string; value: string }[];
  state: { state: string; since: string } | null;
  day: { ratio: number | null; latencyP95: number | null };
  month: { ratio: number | null };
  year: { ratio: number | null };
}

const Bar = ({ ratio, label }: { ratio: number | null; label: string }) => (
  <span class="ubar" title={`${label}: ${percent(ratio)}`}>
    <span
      class={`fill ${ratio == null ? 'none' : ratio >= 0.999 ? 'ok' : ratio >= 0.95 ? 'warn' : 'bad'}`}
      style={{ width: `${(ratio ?? 0) * 100}%` }}
    />
    <span class="num">{percent(ratio)}</span>
  </span>
);

export function Monitors() {
  const q = useQuery<{ monitors: { edges: { node: Row }[] } }>(QUERY, {}, { live: true });
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
              <VirtualList
                items={rows}
                rowHeight={40}
                label="monitors"
                render={(m) => (
                  <div class="mrow" data-monitor={m.name}>
                    <a href={href('monitors', m.name)}>{m.name}</a>
                    <Status value={m.status} />
                    <Bar ratio={m.day.ratio} label="24 h" />
                    <Bar ratio={m.month.ratio} label="30 d" />
                    <Bar ratio={m.year.ratio} label="365 d" />
                    <span>{ms(m.day.latencyP95)}</span>
                    <Time at={m.state?.since} />
                  </div>
                )}
              />
            </>
          )}
        </>
      )}
    </Page>
  );
}
