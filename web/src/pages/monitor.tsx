import { BucketFields, LatencyChart, UptimeBars } from '../components/charts.js';
import { Json, Labels, Page, Section, Status, Time } from '../components/ui.js';
import { ms } from '../format.js';
import { graphql } from '../graphql.js';
import { useQuery } from '../query.js';
import { href } from '../router.js';

const QUERY = graphql(
  `query Monitor($name: String!) {
  monitor(name: $name) {
    name status description appliedAt spec
    labels { key value }
    revision { number commit }
    state { state since consecutiveFailures consecutiveSuccesses lastResult updatedAt }
    day: uptime(window: "24h") { ratio checks latencyP50 latencyP95 latencyP99 }
    month: uptime(window: "30d") { ratio checks latencyP95 }
    year: uptime(window: "365d") { ratio checks }
    hours: rollups(bucket: hour, window: "24h") { ...BucketFields }
    days: rollups(bucket: day, window: "30d") { ...BucketFields }
    yearDays: rollups(bucket: day, window: "365d") { ...BucketFields }
    heartbeats(first: 120) { edges { node { at ok latencyMs status error conditions } } }
    failing: heartbeats(first: 5, ok: false) { edges { node { at status error conditions } } }
    stateChanges(first: 20) { edges { node { id type message at } } }
  }
}`,
  [BucketFields],
);

/** A condition's result as the probe recorded it: `[STATUS] (503) == 200` and whether it held. */
function Conditions({ value }: { value: unknown }) {
  if (!Array.isArray(value)) return value == null ? null : <Json value={value} label="conditions" />;
  return (
    <ul class="conditions">
      {value.map((c: { condition?: string; success?: boolean; resolved?: string }, i) => (
        <li key={i} class={c.success === false ? 'bad' : 'ok'}>
          {c.success === false ? '✗' : '✓'} <code>{c.resolved ?? c.condition ?? JSON.stringify(c)}</code>
        </li>
      ))}
    </ul>
  );
}

export function MonitorPage({ name }: { name: string }) {
  const q = useQuery(QUERY, { name }, { live: true });
  return (
    <Page q={q}>
      {(d) => {
        const m = d.monitor;
        if (!m)
          return (
            <p class="empty">
              No monitor named “{name}”. <a href="/monitors">All monitors</a>
            </p>
          );
        // Hourly buckets, then the raw checks after the newest bucket.
        const lastBucket = m.hours.at(-1)?.start ?? '';
        const raw = m.heartbeats.edges
          .map((e) => e.node)
          .filter((h) => h.at > lastBucket && h.latencyMs != null)
          .reverse()
          .map((h) => ({ at: h.at, p50: h.latencyMs!, p95: null }));
        const points = [...m.hours.map((b) => ({ at: b.start, p50: b.latencyP50, p95: b.latencyP95 })), ...raw];
        return (
          <>
            <p class="crumbs">
              <a href="/monitors">Monitors</a> /
            </p>
            <h1>
              {m.name} <Status value={m.state?.state ?? m.status} />
            </h1>
            {m.description && <p>{m.description}</p>}
            <Labels labels={m.labels} />
            <p class="muted">
              {m.state ? (
                <>
                  {m.state.state} since <Time at={m.state.since} /> · {m.state.consecutiveFailures} consecutive failures,{' '}
                  {m.state.consecutiveSuccesses} successes
                </>
              ) : (
                'not checked yet'
              )}{' '}
              · applied <Time at={m.appliedAt} />
              {m.revision && (
                <>
                  {' '}
                  in <a href={href('history', 'revisions', m.revision.number)}>revision #{m.revision.number}</a>
                </>
              )}
            </p>
            <Section title="Uptime" id="uptime">
              <UptimeBars title="Last 24 hours" buckets={m.hours} ratio={m.day.ratio} />
              <UptimeBars title="Last 30 days" buckets={m.days} ratio={m.month.ratio} />
              <UptimeBars title="Last 365 days" buckets={m.yearDays} ratio={m.year.ratio} />
            </Section>
            <Section title="Response time" id="latency">
              <p>
                24 h: p50 {ms(m.day.latencyP50)} · p95 {ms(m.day.latencyP95)} · p99 {ms(m.day.latencyP99)} — 30 d p95{' '}
                {ms(m.month.latencyP95)}
              </p>
              <LatencyChart points={points} />
            </Section>
            <Section title="Failing conditions" id="failing">
              {m.failing.edges.length === 0 ? (
                <p class="empty">No failed checks recorded.</p>
              ) : (
                <ul class="checks">
                  {m.failing.edges.map(({ node: h }) => (
                    <li key={h.at}>
                      <Time at={h.at} /> {h.status && <code>{h.status}</code>}{' '}
                      {h.error && <span class="bad-text">{h.error}</span>}
                      <Conditions value={h.conditions} />
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="State changes" id="changes">
              {m.stateChanges.edges.length === 0 ? (
                <p class="empty">No state changes recorded.</p>
              ) : (
                <ul class="events">
                  {m.stateChanges.edges.map(({ node: e }) => (
                    <li key={e.id} class={e.type === 'monitor.down' ? 'bad' : ''}>
                      <Status value={e.type.replace('monitor.', '')} /> {e.message} <Time at={e.at} />
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="Spec as applied" id="spec">
              <Json value={m.spec} label="spec" />
            </Section>
          </>
        );
      }}
    </Page>
  );
}
