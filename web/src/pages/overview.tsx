import { EventFields, EventList } from '../components/events.js';
import { kindPath } from '../components/links.js';
import { Table } from '../components/table.js';
import { Page, Section, Status, Time, tone } from '../components/ui.js';
import { graphql } from '../graphql.js';
import { useLive, useSyncStatus } from '../live.js';
import { useQuery } from '../query.js';
import { href } from '../router.js';

const QUERY = graphql(
  `query Overview {
  engine {
    version source syncAuto
    lastSync { outcome revision changes drift pending message observedAt }
    currentRevision { number commit author message committedAt createdAt }
    pendingPlan { number summary { create update replace delete } }
  }
  plans(first: 1) { edges { node { number createdAt revision { number } summary { create update replace delete } } } }
  applies(first: 1) { edges { node { number status trigger startedAt durationMs } } }
  resources(first: 1000) { edges { node { kind name status } } }
  events(first: 30) { edges { node { ...EventFields } } }
}`,
  [EventFields],
);

type Summary = { create: number; update: number; replace: number; delete: number };
const summary = (s: Summary) => `+${s.create} ~${s.update} ±${s.replace} -${s.delete}`;

export function Overview() {
  const q = useQuery(QUERY, {}, { live: true });
  const live = useLive();
  const liveSync = useSyncStatus();
  return (
    <Page q={q}>
      {(d) => {
        const resources = d.resources.edges.map((e) => e.node);
        const failing = resources.filter((r) => tone(r.status) === 'bad');
        const counts = new Map<string, Map<string, number>>();
        for (const r of resources) {
          const byStatus = counts.get(r.kind) ?? new Map<string, number>();
          byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
          counts.set(r.kind, byStatus);
        }
        const sync = liveSync ?? d.engine.lastSync;
        const rev = d.engine.currentRevision;
        const plan = d.plans.edges[0]?.node;
        const apply = d.applies.edges[0]?.node;
        // Events seen live since the page's query are merged in at once.
        const seen = new Set(d.events.edges.map((e) => e.node.id));
        const events = [...live.recent.filter((e) => !seen.has(e.id)), ...d.events.edges.map((e) => e.node)];
        return (
          <>
            <h1>Overview</h1>
            {failing.length > 0 && (
              <section class="card attention" aria-labelledby="failing">
                <h2 id="failing">Failing ({failing.length})</h2>
                <ul>
                  {failing.map((r) => (
                    <li key={`${r.kind}/${r.name}`}>
                      <Status value={r.status} /> <a href={href(kindPath(r.kind), r.name)}>{`${r.kind}/${r.name}`}</a>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            <div class="grid">
              <section class="card" aria-labelledby="rev">
                <h2 id="rev">Current revision</h2>
                {rev ? (
                  <>
                    <p class="big">
                      <a href={href('history', 'revisions', rev.number)}>#{rev.number}</a> <code>{rev.commit.slice(0, 12)}</code>
                    </p>
                    <p class="commit-message">{rev.message ?? <span class="muted">no commit message</span>}</p>
                    <p class="muted">
                      {rev.author ?? 'unknown author'} · <Time at={rev.committedAt ?? rev.createdAt} />
                    </p>
                  </>
                ) : (
                  <p class="empty">Nothing applied yet.</p>
                )}
              </section>
              <section class="card" aria-labelledby="sync">
                <h2 id="sync">Sync</h2>
                <p class="big">
                  <Status value={sync.outcome} /> {sync.drift && <Status value="drifted" />}
                </p>
                <p>
                  {sync.changes} change(s) · <Time at={sync.observedAt} />
                </p>
                {sync.message && <p class="muted">{sync.message}</p>}
                {d.engine.pendingPlan && (
                  <p>
                    Plan #{d.engine.pendingPlan.number} waits for approval ({summary(d.engine.pendingPlan.summary)}).
                  </p>
                )}
                <p class="muted">
                  {d.engine.source} · auto-sync {d.engine.syncAuto ? 'on' : 'off'} · v{d.engine.version}
                </p>
              </section>
              <section class="card" aria-labelledby="last">
                <h2 id="last">Last plan and apply</h2>
                <p>
                  Plan{' '}
                  {plan ? (
                    <>
                      #{plan.number} {summary(plan.summary)} <Time at={plan.createdAt} />
                    </>
                  ) : (
                    <span class="muted">none</span>
                  )}
                </p>
                <p>
                  Apply{' '}
                  {apply ? (
                    <>
                      <a href={href('history', 'applies', apply.number)}>#{apply.number}</a> <Status value={apply.status} /> (
                      {apply.trigger}) <Time at={apply.startedAt} />
                    </>
                  ) : (
                    <span class="muted">none</span>
                  )}
                </p>
              </section>
            </div>
            <Section title="Resources" id="counts">
              <Table
                class="counts"
                caption="Applied resources by kind and status"
                rows={[...counts]}
                rowKey={([kind]) => kind}
                empty="No resources applied yet."
                columns={[
                  { header: 'kind', rowHeader: true, cell: ([kind]) => <a href={href(kindPath(kind))}>{kind}</a> },
                  { header: 'total', cell: ([, byStatus]) => [...byStatus.values()].reduce((a, b) => a + b, 0) },
                  {
                    header: 'by status',
                    cell: ([, byStatus]) =>
                      [...byStatus].map(([s, n]) => (
                        <span key={s} class="count">
                          <Status value={s} /> {n}
                        </span>
                      )),
                  },
                ]}
              />
            </Section>
            <Section title="Recent events" id="events">
              <EventList events={events.slice(0, 40)} label="recent events" />
            </Section>
          </>
        );
      }}
    </Page>
  );
}
