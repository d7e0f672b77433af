import cronstrue from 'cronstrue';
import { Labels, Page, Status, Time, tone } from '../components/ui.js';
import { inZone } from '../format.js';
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

const APPS = `query Apps { apps(first: 1000) { edges { node {
  name status image replicas labels { key value }
  latestDeployment { number status startedAt error }
} } } }`;

export function Apps() {
  const q = useQuery<{ apps: { edges: { node: any }[] } }>(APPS, {}, { live: true });
  return (
    <Page q={q}>
      {(d) => (
        <>
          <h1>Apps</h1>
          {d.apps.edges.length === 0 ? (
            <p class="empty">No apps applied. Declare an App in the config repo.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">app</th>
                  <th scope="col">status</th>
                  <th scope="col">image</th>
                  <th scope="col">replicas</th>
                  <th scope="col">last deployment</th>
                </tr>
              </thead>
              <tbody>
                {d.apps.edges
                  .map((e) => e.node)
                  .sort(byFailingThenName)
                  .map((a) => (
                    <tr key={a.name}>
                      <th scope="row">
                        <a href={href('apps', a.name)}>{a.name}</a> <Labels labels={a.labels} />
                      </th>
                      <td>
                        <Status value={a.status} />
                      </td>
                      <td>
                        <code>{a.image ?? '—'}</code>
                      </td>
                      <td>{a.replicas}</td>
                      <td>
                        {a.latestDeployment ? (
                          <>
                            <Status value={a.latestDeployment.status} /> <Time at={a.latestDeployment.startedAt} />
                            {a.latestDeployment.error && <div class="bad-text">{a.latestDeployment.error}</div>}
                          </>
                        ) : (
                          <span class="muted">none</span>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Page>
  );
}

const JOBS = `query Jobs { jobs(first: 1000) { edges { node {
  name status schedule timezone suspended nextRuns(count: 1) labels { key value }
  lastExecution { status startedAt exitCode }
} } } }`;

export function Jobs() {
  const q = useQuery<{ jobs: { edges: { node: any }[] } }>(JOBS, {}, { live: true });
  return (
    <Page q={q}>
      {(d) => (
        <>
          <h1>Jobs</h1>
          {d.jobs.edges.length === 0 ? (
            <p class="empty">No jobs applied. Declare a Job in the config repo.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">job</th>
                  <th scope="col">schedule</th>
                  <th scope="col">next run (job’s timezone)</th>
                  <th scope="col">last execution</th>
                </tr>
              </thead>
              <tbody>
                {d.jobs.edges
                  .map((e) => e.node)
                  .sort((a, b) =>
                    byFailingThenName(
                      { ...a, status: a.lastExecution?.status ?? a.status },
                      { ...b, status: b.lastExecution?.status ?? b.status },
                    ),
                  )
                  .map((j) => (
                    <tr key={j.name}>
                      <th scope="row">
                        <a href={href('jobs', j.name)}>{j.name}</a> <Labels labels={j.labels} />
                      </th>
                      <td>
                        {scheduleInWords(j.schedule)} <code class="muted">{j.schedule}</code>
                      </td>
                      <td>
                        {j.suspended ? <Status value="suspended" /> : j.nextRuns[0] ? inZone(j.nextRuns[0], j.timezone) : '—'}
                      </td>
                      <td>
                        {j.lastExecution ? (
                          <>
                            <Status value={j.lastExecution.status} /> <Time at={j.lastExecution.startedAt} />
                            {j.lastExecution.exitCode != null && <span class="muted"> exit {j.lastExecution.exitCode}</span>}
                          </>
                        ) : (
                          <span class="muted">never ran</span>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Page>
  );
}

const NOTIFICATIONS = `query Notifications { notifications(first: 1000) { edges { node {
  name status provider isDefault events labels { key value }
  lastDelivery { status at error attempts }
} } } }`;

export function Notifications() {
  const q = useQuery<{ notifications: { edges: { node: any }[] } }>(NOTIFICATIONS, {}, { live: true });
  return (
    <Page q={q}>
      {(d) => (
        <>
          <h1>Notifications</h1>
          {d.notifications.edges.length === 0 ? (
            <p class="empty">No notification channels applied.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">channel</th>
                  <th scope="col">provider</th>
                  <th scope="col">events</th>
                  <th scope="col">last delivery</th>
                </tr>
              </thead>
              <tbody>
                {d.notifications.edges
                  .map((e) => e.node)
                  .sort((a, b) =>
                    byFailingThenName(
                      { ...a, status: a.lastDelivery?.status ?? a.status },
                      { ...b, status: b.lastDelivery?.status ?? b.status },
                    ),
                  )
                  .map((n) => (
                    <tr key={n.name}>
                      <th scope="row">
                        <a href={href('notifications', n.name)}>{n.name}</a> {n.isDefault && <span class="muted">(default)</span>}{' '}
                        <Labels labels={n.labels} />
                      </th>
                      <td>{n.provider}</td>
                      <td>{n.events ? n.events.join(', ') : 'all'}</td>
                      <td>
                        {n.lastDelivery ? (
                          <>
                            <Status value={n.lastDelivery.status} /> <Time at={n.lastDelivery.at} />
                            {n.lastDelivery.error && <div class="bad-text">{n.lastDelivery.error}</div>}
                          </>
                        ) : (
                          <span class="muted">nothing sent yet</span>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Page>
  );
}
