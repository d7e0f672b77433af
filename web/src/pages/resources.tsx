import cronstrue from 'cronstrue';
import { Table } from '../components/table.js';
import { Labels, Page, Status, Time, tone } from '../components/ui.js';
import { inZone } from '../format.js';
import { graphql } from '../graphql.js';
import { useQuery } from '../query.js';
import { href } from '../router.js';

/** A cron expression in words ("At 03:30 AM"); the expression itself when it cannot be read. */
export function scheduleInWords(schedule: string): string {
  if (schedule.startsWith('@')) return schedule.slice(1);
  try {
    return cronstrue.toString(schedule, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return schedule;
  }
}

const byFailingThenName = <T extends { status: string; name: string }>(a: T, b: T) =>
  Number(tone(b.status) === 'bad') - Number(tone(a.status) === 'bad') || a.name.localeCompare(b.name);

const APPS = graphql(`query Apps { apps(first: 1000) { edges { node {
  name status image replicas labels { key value }
  latestDeployment { number status startedAt error }
} } } }`);

export function Apps() {
  const q = useQuery(APPS, {}, { live: true });
  return (
    <Page q={q}>
      {(d) => (
        <>
          <h1>Apps</h1>
          <Table
            caption="Apps, failing first"
            rows={d.apps.edges.map((e) => e.node).sort(byFailingThenName)}
            rowKey={(a) => a.name}
            empty="No apps applied. Declare an App in the config repo."
            columns={[
              {
                header: 'app',
                rowHeader: true,
                cell: (a) => (
                  <>
                    <a href={href('apps', a.name)}>{a.name}</a> <Labels labels={a.labels} />
                  </>
                ),
              },
              { header: 'status', cell: (a) => <Status value={a.status} /> },
              { header: 'image', cell: (a) => <code>{a.image ?? '—'}</code> },
              { header: 'replicas', cell: (a) => a.replicas },
              {
                header: 'last deployment',
                cell: (a) =>
                  a.latestDeployment ? (
                    <>
                      <Status value={a.latestDeployment.status} /> <Time at={a.latestDeployment.startedAt} />
                      {a.latestDeployment.error && <div class="bad-text">{a.latestDeployment.error}</div>}
                    </>
                  ) : (
                    <span class="muted">none</span>
                  ),
              },
            ]}
          />
        </>
      )}
    </Page>
  );
}

const JOBS = graphql(`query Jobs { jobs(first: 1000) { edges { node {
  name status schedule timezone suspended nextRuns(count: 1) labels { key value }
  lastExecution { status startedAt exitCode }
} } } }`);

export function Jobs() {
  const q = useQuery(JOBS, {}, { live: true });
  return (
    <Page q={q}>
      {(d) => (
        <>
          <h1>Jobs</h1>
          <Table
            caption="Jobs, failing first"
            rows={d.jobs.edges
              .map((e) => e.node)
              .sort((a, b) =>
                byFailingThenName(
                  { ...a, status: a.lastExecution?.status ?? a.status },
                  { ...b, status: b.lastExecution?.status ?? b.status },
                ),
              )}
            rowKey={(j) => j.name}
            empty="No jobs applied. Declare a Job in the config repo."
            columns={[
              {
                header: 'job',
                rowHeader: true,
                cell: (j) => (
                  <>
                    <a href={href('jobs', j.name)}>{j.name}</a> <Labels labels={j.labels} />
                  </>
                ),
              },
              {
                header: 'schedule',
                cell: (j) => (
                  <>
                    {scheduleInWords(j.schedule)} <code class="muted">{j.schedule}</code>
                  </>
                ),
              },
              {
                header: 'next run (job’s timezone)',
                cell: (j) =>
                  j.suspended ? <Status value="suspended" /> : j.nextRuns[0] ? inZone(j.nextRuns[0], j.timezone) : '—',
              },
              {
                header: 'last execution',
                cell: (j) =>
                  j.lastExecution ? (
                    <>
                      <Status value={j.lastExecution.status} /> <Time at={j.lastExecution.startedAt} />
                      {j.lastExecution.exitCode != null && <span class="muted"> exit {j.lastExecution.exitCode}</span>}
                    </>
                  ) : (
                    <span class="muted">never ran</span>
                  ),
              },
            ]}
          />
        </>
      )}
    </Page>
  );
}

const NOTIFICATIONS = graphql(`query Notifications { notifications(first: 1000) { edges { node {
  name status provider isDefault events labels { key value }
  lastDelivery { status at error attempts }
} } } }`);

export function Notifications() {
  const q = useQuery(NOTIFICATIONS, {}, { live: true });
  return (
    <Page q={q}>
      {(d) => (
        <>
          <h1>Notifications</h1>
          <Table
            caption="Notification channels, failing first"
            rows={d.notifications.edges
              .map((e) => e.node)
              .sort((a, b) =>
                byFailingThenName(
                  { ...a, status: a.lastDelivery?.status ?? a.status },
                  { ...b, status: b.lastDelivery?.status ?? b.status },
                ),
              )}
            rowKey={(n) => n.name}
            empty="No notification channels applied."
            columns={[
              {
                header: 'channel',
                rowHeader: true,
                cell: (n) => (
                  <>
                    <a href={href('notifications', n.name)}>{n.name}</a> {n.isDefault && <span class="muted">(default)</span>}{' '}
                    <Labels labels={n.labels} />
                  </>
                ),
              },
              { header: 'provider', cell: (n) => n.provider },
              { header: 'events', cell: (n) => (n.events ? n.events.join(', ') : 'all') },
              {
                header: 'last delivery',
                cell: (n) =>
                  n.lastDelivery ? (
                    <>
                      <Status value={n.lastDelivery.status} /> <Time at={n.lastDelivery.at} />
                      {n.lastDelivery.error && <div class="bad-text">{n.lastDelivery.error}</div>}
                    </>
                  ) : (
                    <span class="muted">nothing sent yet</span>
                  ),
              },
            ]}
          />
        </>
      )}
    </Page>
  );
}
