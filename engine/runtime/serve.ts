import { hostname } from 'node:os';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { startHttpServer } from '../api/http-server.js';
import { requestJobRun } from '../api/job-run.js';
import { registryCredentials } from '../config/registries.js';
import { createMetrics, type Metrics } from '../api/metrics.js';
import { type Api, createApi } from '../api/server.js';
import { findWebRoot } from '../api/static-files.js';
import { queryLimitsOf } from '../api/deps.js';
import { deliveryLog } from '../api/webhooks.js';
import { exposureWarning } from '../config/api-settings.js';
import type { EngineConfig } from '../config/types.js';
import { secretsDirValues } from '../config/known-secrets.js';
import { KINDS, type Resource } from '../model/resource.js';
import { parseDuration } from '../model/units.js';
import { SecretScrubber } from '../load/secret-scrubber.js';
import { sensitiveValues } from '../model/sensitive.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { Proxy } from '../ports/proxy.js';
import type { ReadModel } from '../ports/read-model.js';
import type { Leadership } from '../ports/leadership.js';
import type { Store } from '../ports/store.js';
import type { SourceDriver } from '../source/source-driver.js';
import { hasErrors } from '../model/diagnostic.js';
import { liveSpecs } from './live-specs.js';
import { rdapDomainExpiry } from './monitors/domain-expiry.js';
import { MonitorRuntime } from './monitors/monitor-runtime.js';
import { type MonitorScheduler, timerScheduler } from './monitors/scheduler.js';
import { routingFrom } from './notifications/channels.js';
import { deliveringEvents } from './notifications/delivering-events.js';
import { NotificationDispatcher, type RetryPolicy } from './notifications/dispatcher.js';
import { backoffRetry } from './backoff-retry.js';
import { EngineHealth } from './engine-health.js';
import { announceHealth } from './health-events.js';
import { healthReportingStore } from './health-reporting-store.js';
import { Reconciler } from './reconciler.js';
import { Scheduler } from './scheduler/scheduler.js';
import { scrubbingStore } from './scrubbing-store.js';
import { singleInstanceLeadership } from './scheduler/single-instance.js';
import { type Role, SharedLeadership } from './shared-leadership.js';

export interface ServeDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  version: string;
  /** Where desired state comes from (main.ts picks the local or git driver). */
  source: SourceDriver;
  /** The Docker Engine: apps are deployed to it, docker monitors look at it; without one, app changes stay pending. */
  containers?: ContainerRuntime;
  /** The reverse proxy serving app routes (proxy.caddy). */
  proxy?: Proxy;
  /** Where monitor checks get their slots (default: timers); the seam for a shared scheduler. */
  monitorScheduler?: MonitorScheduler;
  /** Delivery retries (tests shorten them). */
  notificationRetry?: RetryPolicy;
  /** The store's read side; with it the engine serves the GraphQL API and /metrics. */
  readModel?: ReadModel;
  /** The built web UI to serve at `/`; default: web/dist of this package when it was built. */
  webRoot?: string;
  /** How often live subscriptions poll the store (ms); default 1000. */
  livePollMs?: number;
  /**
   * Who leads among instances sharing a PostgreSQL store: the leader alone applies, checks
   * monitors and schedules jobs; default: this one alone (embedded store).
   */
  leadership?: Leadership;
  /**
   * Masks every known secret value in what the engine stores, sends and serves (main.ts makes
   * one per process, fed with the settings' secrets, and masks the log with it too). Each
   * revision read adds its secrets. Default: a new one.
   */
  scrubber?: SecretScrubber;
}

/** A running engine; `stop()` ends it cleanly (watcher, timers, HTTP server). */
export interface RunningEngine {
  reconciler: Reconciler;
  scheduler: Scheduler;
  server: Server;
  monitors: MonitorRuntime;
  notifications: NotificationDispatcher;
  /** The GraphQL API, when a read model was given. */
  api?: Api;
  /** Whether this instance leads now. */
  role(): Role;
  /** What /healthz says. */
  health: EngineHealth;
  stop(): Promise<void>;
}

/**
 * `ploy serve`: reconcile at start, whenever the source changes (watch, poll or webhook), on
 * an authenticated /hooks/sync, and every `sync.selfHeal` interval; serve /healthz.
 *
 * Of several instances on one PostgreSQL, only the leader reconciles (plans and applies),
 * checks monitors and schedules jobs, all under one lock. Followers serve the API, the UI and
 * /healthz (`role: follower`), take monitor pushes into the store, and re-read the applied
 * state when they would have reconciled, so they are ready to take over.
 */
export async function startEngine(config: EngineConfig, deps: ServeDeps): Promise<RunningEngine> {
  const { clock, log, source, readModel } = deps;
  const scrubber = deps.scrubber ?? new SecretScrubber();
  const instance = `${hostname()}:${process.pid}`;
  const health = new EngineHealth(clock);
  let storeErrors = 0;
  // Everything below writes through this one: no job output, error or event reaches the store
  // unscrubbed, and every call tells the engine's health whether the store answers.
  const store = healthReportingStore(scrubbingStore(deps.store, scrubber), {
    storeFailed: (err) => {
      storeErrors++;
      health.set('store', `the store does not answer (${err.message}); monitors are still checked, heartbeats and events wait`);
    },
    storeAnswered: () => health.clear('store'),
  });
  const leadership = new SharedLeadership(deps.leadership ?? singleInstanceLeadership(store, clock, instance));
  const notifications = new NotificationDispatcher({ store, clock, log, retry: deps.notificationRetry, scrubber });
  const events = deliveringEvents(store, clock, notifications, { log });
  announceHealth(health, events, log, instance);
  const healthTick = setInterval(() => health.tick(), 5_000);
  healthTick.unref();
  const monitors = new MonitorRuntime({
    store,
    clock,
    events,
    log,
    runtime: deps.containers,
    scheduler: deps.monitorScheduler ?? timerScheduler(clock, { perHostLimit: config.monitors.hostConcurrency }),
    retentionMs: config.monitors.retention.rawMs,
    rollupRetentionMs: config.monitors.retention.rollupsMs,
    domainExpiry: rdapDomainExpiry({ baseUrl: config.monitors.rdapUrl, now: () => clock.now().getTime() }),
  });
  const metrics: Metrics | undefined =
    readModel &&
    createMetrics({
      store,
      readModel,
      version: deps.version,
      monitorStats: () => monitors.stats(),
      engineStats: () => ({ health: health.report().status, storeErrors, eventsHeld: events.pending }),
    });
  // The last valid snapshot's resources: they hold the secret values the store keeps only as digests.
  let latest: readonly Resource[] | undefined;
  const refreshRouting = async () => notifications.setRouting(routingFrom(await liveSpecs(store, latest, KINDS)));
  // Job events go through the same delivering events as everything else.
  const scheduler = new Scheduler({
    store,
    events,
    clock,
    log,
    leadership: leadership.view(),
    runners: { containers: deps.containers },
  });
  const reconciler = new Reconciler({
    store,
    clock,
    events,
    loadDesired: async () => {
      const desired = await source.load();
      // Before anything of this revision runs or is stored: its secrets, and files new in the secrets dir.
      scrubber.add([...sensitiveValues(desired.resources), ...secretsDirValues(config.secrets.dir)]);
      if (!hasErrors(desired.diagnostics)) latest = desired.resources;
      // Before anything is applied, so events of this very reconcile reach their channels.
      await refreshRouting();
      // Secret values for job runs come from here: the applied state keeps only digests.
      scheduler.offerDesired(desired.resources);
      return desired;
    },
    sync: config.sync,
    source: source.description,
    log,
    runtime: deps.containers && {
      containers: deps.containers,
      sourceRoot: source.root,
      registries: registryCredentials(config),
      mode: config.docker.mode,
      proxy: deps.proxy,
    },
    observe: metrics?.observeReconcile,
  });
  // Monitors and channels follow what is applied, so they are refreshed after every reconcile.
  // A follower does not reconcile: it re-reads what the leader applied (monitors it must know
  // to take pushes, jobs for `ploy jobs`), so a takeover starts from the applied state.
  let started = false;
  // Changes left pending while Docker did not answer are retried on a backoff until they apply.
  const runtimeRetry = backoffRetry(() => void reconcile('runtime-retry'));
  const reconcile = (why: string): Promise<void> =>
    (leadership.role === 'leader' ? reconciler.trigger(why) : Promise.resolve())
      .then(async () => {
        await refreshRouting();
        await monitors.refresh(latest);
        // The scheduler re-reads the applied jobs (it also polls, for applies made elsewhere).
        if (started) await scheduler.refresh();
      })
      .catch((e: Error) => log.error({ err: e.message }, 'monitors, notifications or jobs could not be refreshed'))
      .finally(() => {
        runtimeRetry.after(reconciler.waitingForRuntime);
        if (reconciler.waitingForRuntime) health.set('docker', 'Docker does not answer; app changes wait');
        else health.clear('docker');
      });
  const api =
    readModel &&
    createApi(
      {
        store,
        readModel,
        clock,
        version: deps.version,
        token: config.api.token,
        limits: queryLimitsOf(config.api.limits),
        maxBodyBytes: config.api.limits.bodyBytes,
        livePollMs: deps.livePollMs,
        containers: deps.containers,
        scrubber,
        engine: {
          lastSync: () => reconciler.last,
          runs: () => reconciler.runs,
          source: source.description,
          syncAuto: config.sync.auto,
        },
      },
      log,
    );
  const interrupted = await store.markInterruptedApplies(clock.now());
  if (interrupted) log.warn({ interrupted }, 'applies cut short by a crash were marked interrupted; reconciling converges');
  const server = await startHttpServer(config.api.listen, {
    version: deps.version,
    role: () => leadership.role,
    health: () => health.report(),
    lastSync: () => reconciler.last,
    webhookSecret: config.webhook?.secret,
    apiToken: config.api.token,
    sourceRef: source.ref,
    onPush: () => source.poke(),
    onSync: () => void reconcile('api-sync'),
    onMonitorPush: (name, token, report) => monitors.push(name, token, report),
    onJobRun: (name) => requestJobRun(name, { role: () => leadership.role, runNow: (n) => scheduler.runNow(n) }),
    api,
    metrics,
    webRoot: deps.webRoot ?? findWebRoot(),
    settings: config.api,
    deliveries: deliveryLog(clock),
    log,
  });
  log.info({ listen: config.api.listen, source: source.description }, 'ploy serve started');
  const insecure = exposureWarning(config.api);
  if (insecure) log.warn(insecure);
  await source.start((why) => void reconcile(why));
  const healEvery = typeof config.sync.selfHeal === 'string' ? parseDuration(config.sync.selfHeal) : undefined;
  const heal = healEvery ? setInterval(() => void reconcile('self-heal'), healEvery) : undefined;
  // Until elected this instance follows: no apply and no checks. Each election reconciles at
  // once, then the monitors check (from the states the previous leader stored).
  monitors.follow();
  let term = Promise.resolve();
  let firstElection: () => void = () => {};
  const elected = new Promise<void>((r) => (firstElection = r));
  const onTerm = (work: () => Promise<void>) => {
    term = term.then(work).catch((e: Error) => log.error({ err: e.message }, 'taking or leaving leadership failed'));
    return term;
  };
  let terms = 0;
  // Set when the lease was lost without another instance being seen to take it.
  let unleased = false;
  leadership.view().start({
    onElected: (epoch) =>
      void onTerm(async () => {
        unleased = false;
        health.clear('lease');
        log.info({ epoch }, 'leading: this instance reconciles, checks monitors and schedules jobs');
        await reconcile(terms++ === 0 ? 'startup' : 'elected');
        await monitors.lead(latest);
      }).then(firstElection),
    onDeposed: (reason) =>
      void onTerm(async () => {
        // Leadership given up because this instance stops is not news; losing it while running is.
        if (reason === 'stopping') {
          log.info('leadership released: stopping');
          monitors.follow();
          return;
        }
        // Lost, but not known to be taken: when the store is away no one may lead. Monitoring
        // must not go blind exactly then, so checks go on here until another instance is seen
        // leading (a duplicate check then is harmless; a gap is not). Jobs and applies stop.
        log.warn({ reason }, 'lease lost: jobs and applies stop; monitors are still checked here until another instance leads');
        unleased = true;
        health.set('lease', `lease lost (${reason}); monitors are checked here until another instance leads`);
      }).then(firstElection),
    onFollowing: () => {
      if (!unleased) return;
      unleased = false;
      void onTerm(async () => {
        log.warn('following: another instance reconciles, checks monitors and schedules jobs');
        health.clear('lease');
        monitors.follow();
      });
    },
  });
  // The embedded store's single instance always leads: keep its start-up order (reconcile, then
  // monitors and jobs). With a shared store this instance may follow for as long as another lives.
  if (!deps.leadership) await elected;
  await refreshRouting();
  await monitors.start(latest);
  await notifications.resume();
  await scheduler.start();
  started = true;
  return {
    reconciler,
    scheduler,
    server,
    monitors,
    notifications,
    api,
    role: () => leadership.role,
    health,
    async stop() {
      clearInterval(heal);
      clearInterval(healthTick);
      runtimeRetry.stop();
      await scheduler.stop();
      await source.stop();
      await reconciler.stop();
      await monitors.stop();
      await events.stop();
      await notifications.stop();
      // Last: the lock is held until nothing here acts on it any more; then a follower takes over.
      await leadership.stop();
      await term;
      const closed = new Promise<void>((r) => server.close(() => r()));
      // Open subscription streams (SSE) would hold close() forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
