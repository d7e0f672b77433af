import type { ComponentChildren } from 'preact';
import { Table } from '../components/table.js';
import { Json, Labels, Page, Pre, Section, Status, Time } from '../components/ui.js';
import { absolute, duration, inZone } from '../format.js';
import { graphql, type ResultOf } from '../graphql.js';
import { useQuery } from '../query.js';
import { href } from '../router.js';
import { scheduleInWords } from './resources.js';

/** What every resource page reads of its resource, whatever its kind. */
const Common = graphql(
  'fragment Common on Resource { name status description appliedAt spec specHash labels { key value } revision { number commit } lastChange { action status finishedAt message } }',
);

/** What every resource page shows at its top: breadcrumbs, status, labels, where it came from. */
function Header({ kind, path, r, children }: { kind: string; path: string; r: ResultOf<typeof Common>; children?: ComponentChildren }) {
  return (
    <>
      <p class="crumbs">
        <a href={`/${path}`}>{kind}</a> /
      </p>
      <h1>
        {r.name} <Status value={r.status} />
      </h1>
      {r.description && <p>{r.description}</p>}
      <Labels labels={r.labels} />
      {children}
      <p class="muted">
        applied <Time at={r.appliedAt} />
        {r.revision && (
          <>
            {' '}
            in <a href={href('history', 'revisions', r.revision.number)}>revision #{r.revision.number}</a>
          </>
        )}
        {r.lastChange && (
          <>
            {' '}
            · last change: {r.lastChange.action} <Status value={r.lastChange.status} />
          </>
        )}
      </p>
    </>
  );
}

const notFound = (kind: string, path: string, name: string) => (
  <p class="empty">
    No {kind.toLowerCase()} named “{name}”. <a href={`/${path}`}>All {path}</a>
  </p>
);

const APP = graphql(
  `query App($name: String!) { app(name: $name) { ...Common image replicas drift
  containers { name replica state health status createdAt }
  deployments(first: 20) { edges { node { number status strategy specHash startedAt finishedAt error logTail(lines: 30) } } } } }`,
  [Common],
);

export function AppPage({ name }: { name: string }) {
  const q = useQuery(APP, { name }, { live: true });
  return (
    <Page q={q}>
      {(d) =>
        !d.app ? (
          notFound('App', 'apps', name)
        ) : (
          <>
            <Header kind="Apps" path="apps" r={d.app}>
              <p>
                image <code>{d.app.image ?? '—'}</code> · {d.app.replicas} replica(s) · spec{' '}
                <code>{d.app.specHash.slice(0, 19)}</code>
              </p>
            </Header>
            <Section title="Containers" id="containers">
              {d.app.drift && <p class="bad-text">{d.app.drift}</p>}
              <Table
                caption={`Containers of ${d.app.name}`}
                rows={d.app.containers ?? []}
                rowKey={(c) => c.name}
                empty={
                  d.app.containers === null
                    ? 'Docker is not connected: live containers are not shown.'
                    : 'No containers are running.'
                }
                columns={[
                  { header: 'container', cell: (c) => <code>{c.name}</code> },
                  { header: 'replica', cell: (c) => c.replica },
                  { header: 'state', cell: (c) => <Status value={c.state} /> },
                  {
                    header: 'health',
                    cell: (c) => (c.health === 'none' ? <span class="muted">no check</span> : <Status value={c.health} />),
                  },
                  { header: 'created', cell: (c) => <Time at={c.createdAt} /> },
                ]}
              />
            </Section>
            <Section title="Deployments" id="deployments">
              {d.app.deployments.edges.length === 0 ? (
                <p class="empty">No deployments recorded.</p>
              ) : (
                <ol class="runs">
                  {d.app.deployments.edges.map(({ node: x }) => (
                    <li key={x.number}>
                      <p>
                        #{x.number} <Status value={x.status} /> {x.strategy && <span class="muted">{x.strategy}</span>}{' '}
                        <Time at={x.startedAt} /> <code class="muted">{x.specHash.slice(0, 19)}</code>
                      </p>
                      {x.error && <p class="bad-text">{x.error}</p>}
                      <details open={x.status === 'failed'}>
                        <summary>log tail</summary>
                        <Pre text={x.logTail} label={`log of deployment ${x.number}`} />
                      </details>
                    </li>
                  ))}
                </ol>
              )}
            </Section>
            <Section title="Spec as applied" id="spec">
              <Json value={d.app.spec} label="spec" />
            </Section>
          </>
        )
      }
    </Page>
  );
}

const JOB = graphql(
  `query Job($name: String!) { job(name: $name) { ...Common schedule timezone suspended nextRuns(count: 5)
  executions(first: 20) { edges { node { number status trigger attempt scheduledAt startedAt finishedAt durationMs lagMs exitCode outputTail(lines: 40) } } }
  missedSlots(first: 20) { edges { node { scheduledAt status reason } } } } }`,
  [Common],
);

export function JobPage({ name }: { name: string }) {
  const q = useQuery(JOB, { name }, { live: true });
  return (
    <Page q={q}>
      {(d) => {
        const j = d.job;
        if (!j) return notFound('Job', 'jobs', name);
        return (
          <>
            <Header kind="Jobs" path="jobs" r={j}>
              <p>
                <strong>{scheduleInWords(j.schedule)}</strong> <code>{j.schedule}</code> in {j.timezone}{' '}
                {j.suspended && <Status value="suspended" />}
              </p>
            </Header>
            <Section title={`Next runs (${j.timezone})`} id="next">
              {j.nextRuns.length === 0 ? (
                <p class="empty">No upcoming runs.</p>
              ) : (
                <ul class="next-runs">
                  {j.nextRuns.map((t) => (
                    <li key={t}>
                      {inZone(t, j.timezone)} <span class="muted">({absolute(t)} your time)</span> <Time at={t} />
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="Executions" id="executions">
              {j.executions.edges.length === 0 ? (
                <p class="empty">No executions recorded.</p>
              ) : (
                <ol class="runs">
                  {j.executions.edges.map(({ node: x }) => (
                    <li key={x.number}>
                      <p>
                        <Status value={x.status} /> scheduled {inZone(x.scheduledAt, j.timezone)} · started{' '}
                        <Time at={x.startedAt} /> · {duration(x.durationMs)}
                        {x.exitCode != null && <> · exit {x.exitCode}</>} · {x.trigger}
                        {x.attempt > 1 && <> · attempt {x.attempt}</>}
                      </p>
                      <details open={x.status === 'failed'}>
                        <summary>output</summary>
                        <Pre text={x.outputTail} label={`output of execution ${x.number}`} />
                      </details>
                    </li>
                  ))}
                </ol>
              )}
            </Section>
            <Section title="Missed slots" id="missed">
              {j.missedSlots.edges.length === 0 ? (
                <p class="empty">No missed slots.</p>
              ) : (
                <ul>
                  {j.missedSlots.edges.map(({ node: m }) => (
                    <li key={m.scheduledAt}>
                      {inZone(m.scheduledAt, j.timezone)} <Status value={m.status} /> {m.reason}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="Spec as applied" id="spec">
              <Json value={j.spec} label="spec" />
            </Section>
          </>
        );
      }}
    </Page>
  );
}

const NOTIFICATION = graphql(
  `query Notification($name: String!) { notification(name: $name) { ...Common provider isDefault events
  deliveries(first: 50) { edges { node { status attempts error at deliveredAt nextAttemptAt event { type resource message } } } } } }`,
  [Common],
);

export function NotificationPage({ name }: { name: string }) {
  const q = useQuery(NOTIFICATION, { name }, { live: true });
  return (
    <Page q={q}>
      {(d) => {
        const n = d.notification;
        if (!n) return notFound('Notification', 'notifications', name);
        return (
          <>
            <Header kind="Notifications" path="notifications" r={n}>
              <p>
                {n.provider} · events: {n.events ? n.events.join(', ') : 'all'} {n.isDefault && '· default channel'}
              </p>
            </Header>
            <Section title="Deliveries" id="deliveries">
              <Table
                caption={`Deliveries of ${n.name}`}
                rows={n.deliveries.edges.map((e) => e.node)}
                rowKey={(_x, i) => i}
                empty="Nothing delivered yet."
                columns={[
                  { header: 'when', cell: (x) => <Time at={x.at} /> },
                  {
                    header: 'event',
                    cell: (x) => (
                      <>
                        <code>{x.event?.type ?? '—'}</code> {x.event?.message}
                      </>
                    ),
                  },
                  { header: 'status', cell: (x) => <Status value={x.status} /> },
                  { header: 'attempts', cell: (x) => x.attempts },
                  { header: 'error', class: 'bad-text', cell: (x) => x.error ?? '' },
                ]}
              />
            </Section>
            <Section title="Spec as applied" id="spec">
              <Json value={n.spec} label="spec" />
            </Section>
          </>
        );
      }}
    </Page>
  );
}
