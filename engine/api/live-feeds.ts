import type { DeploymentRecord, OccurrenceRecord } from '../ports/read-model.js';
import type { EventRecord } from '../ports/store.js';
import type { ReconcileResult } from '../runtime/reconciler.js';
import type { ApiDeps } from './deps.js';
import { appendFeed, type PollingFeed, progressFeed, watchFeed } from './live.js';

/** The API's live feeds, shared by every subscription of one server. */
export interface LiveFeeds {
  events: PollingFeed<EventRecord>;
  sync: PollingFeed<{ result: ReconcileResult | undefined; runs: number }>;
  deployments: PollingFeed<DeploymentRecord>;
  executions: PollingFeed<OccurrenceRecord>;
}

export function createLiveFeeds(deps: ApiDeps, onError: (err: unknown) => void): LiveFeeds {
  const ms = deps.livePollMs ?? 1000;
  const rm = deps.readModel;
  return {
    events: appendFeed(ms, (page) => rm.events(page), onError),
    // In-process: the reconciler's status is this instance's own; it costs no query.
    sync: watchFeed(
      Math.min(ms, 250),
      () => ({ result: deps.engine.lastSync(), runs: deps.engine.runs() }),
      (s) => `${s.runs}|${s.result?.outcome}|${s.result?.revision}`,
    ),
    deployments: progressFeed(
      ms,
      (page) => rm.deployments(page),
      (d) => `${d.status}|${d.finishedAt?.getTime() ?? ''}`,
      (d) => d.finishedAt !== null,
      onError,
    ),
    executions: progressFeed(
      ms,
      (page) => rm.occurrences({ ...page, ran: true }),
      (o) => `${o.status}|${o.attempt}|${o.finishedAt?.getTime() ?? ''}`,
      (o) => o.finishedAt !== null,
      onError,
    ),
  };
}
