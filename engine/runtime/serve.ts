import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { registryCredentials } from '../config/registries.js';
import type { EngineConfig } from '../config/types.js';
import { secretsDirValues } from '../config/known-secrets.js';
import { KINDS, type Resource } from '../model/resource.js';
import { parseDuration } from '../model/units.js';
import { SecretScrubber } from '../load/secret-scrubber.js';
import { sensitiveValues } from '../model/sensitive.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { Proxy } from '../ports/proxy.js';
import type { Leadership } from '../ports/leadership.js';
import type { Store } from '../ports/store.js';
import type { SourceDriver } from '../source/source-driver.js';
import { hasErrors } from '../model/diagnostic.js';
import { liveSpecs } from './live-specs.js';
import { rdapDomainExpiry } from './monitors/domain-expiry.js';
import { MonitorRuntime } from './monitors/monitor-runtime.js';
import { type MonitorScheduler, timerScheduler } from './monitors/scheduler.js';
import { routingFrom } from './notifications/channels.js';
import { type DeliveringEvents, deliveringEvents } from './notifications/delivering-events.js';
import { NotificationDispatcher, type RetryPolicy } from './notifications/dispatcher.js';
import { backoffRetry } from './backoff-retry.js';
import { EngineHealth } from './engine-health.js';
import { announceHealth } from './health-events.js';
import { healthReportingStore } from './health-reporting-store.js';
import { type ReconcileResult, Reconciler } from './reconciler.js';
import { Scheduler } from './scheduler/scheduler.js';
import { scrubbingStore } from './scrubbing-store.js';
import { singleInstanceLeadership } from './scheduler/single-instance.js';
import { type Role, SharedLeadership } from './shared-leadership.js';
import { leadershipTerms, type Terms } from './leadership-terms.js';

/** What the engine's runtime is built from (the composition root, engine/root/, gives the real ones). */
export interface RuntimeDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Where desired state comes from (the root picks the local or git driver). */
  source: SourceDriver;
  /** The Docker Engine: apps are deployed to it, docker monitors look at it; without one, app changes stay pending. */
  containers?: ContainerRuntime;
  /** The reverse proxy serving app routes (proxy.caddy). */
  proxy?: Proxy;
  /** Where monitor checks get their slots (default: timers); the seam for a shared scheduler. */
  monitorScheduler?: MonitorScheduler;
  /** Delivery retries (tests shorten them). */
  notificationRetry?: RetryPolicy;
  /**
   * Who leads among instances sharing a PostgreSQL store: the leader alone applies, checks
   * monitors and schedules jobs; default: this one alone (embedded store).
   */
  leadership?: Leadership;
  /**
   * Masks every known secret value in what the engine stores, sends and serves (the root makes
   * one per process, fed with the settings' secrets, and masks the log with it too). Each
   * revision read adds its secrets. Default: a new one.
   */
  scrubber?: SecretScrubber;
  /** Told of every finished reconcile pass and how long it took (the API's metrics). */
  observeReconcile?(result: ReconcileResult, seconds: number): void;
}

/** The engine without its HTTP side: built, with applies a crash cut short marked, not yet started. */
export interface EngineRuntime {
  /** The store everything writes through: the given one, behind the scrubber. */
  store: Store;
  scrubber: SecretScrubber;
  reconciler: Reconciler;
  scheduler: Scheduler;
  monitors: MonitorRuntime;
  notifications: NotificationDispatcher;
  /** Whether this instance leads now. */
  role(): Role;
  /** What /healthz says: ok, degraded or failing, with the reasons. */
  health: EngineHealth;
  /** The engine's own figures for /metrics (they are served during a store outage too). */
  engineStats(): { health: 'ok' | 'degraded' | 'failing'; storeErrors: number; eventsHeld: number };
  /** Asks for a reconcile (by the leader), then refreshes monitors, channels and jobs. */
  reconcile(why: string): Promise<void>;
  /** Follows the source, heals on schedule, campaigns, then starts monitors, deliveries and jobs. */
  start(): Promise<void>;
  /** Stops it all (an HTTP server in front of it is the caller's to close, after). */
  stop(): Promise<void>;
}

/** The runtime's parts, wired to each other. */
interface Parts extends Omit<EngineRuntime, 'role' | 'reconcile' | 'start' | 'stop'> {
  leadership: SharedLeadership;
  events: DeliveringEvents;
  /** The last valid snapshot's resources: they hold the secret values the store keeps only as digests. */
  latest(): readonly Resource[] | undefined;
  refreshRouting(): Promise<void>;
}

function buildParts(config: EngineConfig, deps: RuntimeDeps): Parts {
  const { clock, log, source } = deps;
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
    observe: deps.observeReconcile,
  });
  const engineStats = () => ({ health: health.report().status, storeErrors, eventsHeld: events.pending });
  return {
    store,
    scrubber,
    leadership,
    events,
    health,
    engineStats,
    notifications,
    monitors,
    scheduler,
    reconciler,
    latest: () => latest,
    refreshRouting,
  };
}

/**
 * `ploy serve`'s runtime: reconcile at start, whenever the source changes (watch, poll or
 * webhook), when asked (`reconcile`), and every `sync.selfHeal` interval.
 *
 * Of several instances on one PostgreSQL, only the leader reconciles (plans and applies),
 * checks monitors and schedules jobs, all under one lock. Followers take monitor pushes into
 * the store, and re-read the applied state when they would have reconciled, so they are ready
 * to take over.
 */
export async function prepareRuntime(config: EngineConfig, deps: RuntimeDeps): Promise<EngineRuntime> {
  const { clock, log, source } = deps;
  const parts = buildParts(config, deps);
  const { store, scrubber, leadership, events, health, reconciler, scheduler, monitors, notifications, latest, refreshRouting } =
    parts;
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
        await monitors.refresh(latest());
        // The scheduler re-reads the applied jobs (it also polls, for applies made elsewhere).
        if (started) await scheduler.refresh();
      })
      .catch((e: Error) => log.error({ err: e.message }, 'monitors, notifications or jobs could not be refreshed'))
      .finally(() => {
        runtimeRetry.after(reconciler.waitingForRuntime);
        if (reconciler.waitingForRuntime) health.set('docker', 'Docker does not answer; app changes wait');
        else health.clear('docker');
      });
  const interrupted = await store.markInterruptedApplies(clock.now());
  if (interrupted) log.warn({ interrupted }, 'applies cut short by a crash were marked interrupted; reconciling converges');
  let heal: ReturnType<typeof setInterval> | undefined;
  // A problem that lasts becomes `failing` without any new call telling so.
  const healthTick = setInterval(() => health.tick(), 5_000);
  healthTick.unref();
  let terms: Terms | undefined;
  return {
    store,
    scrubber,
    reconciler,
    scheduler,
    monitors,
    notifications,
    role: () => leadership.role,
    health,
    engineStats: parts.engineStats,
    reconcile,
    async start() {
      await source.start((why) => void reconcile(why));
      const healEvery = typeof config.sync.selfHeal === 'string' ? parseDuration(config.sync.selfHeal) : undefined;
      heal = healEvery ? setInterval(() => void reconcile('self-heal'), healEvery) : undefined;
      // Until elected this instance follows: no apply and no checks.
      monitors.follow();
      terms = leadershipTerms(leadership, { log, monitors, reconcile, latest, health });
      // The embedded store's single instance always leads: keep its start-up order (reconcile, then
      // monitors and jobs). With a shared store this instance may follow for as long as another lives.
      if (!deps.leadership) await terms.firstElection;
      await refreshRouting();
      await monitors.start(latest());
      await notifications.resume();
      await scheduler.start();
      started = true;
    },
    async stop() {
      clearInterval(heal);
      clearInterval(healthTick);
      runtimeRetry.stop();
      // In order, each told in the log (debug), so a stop that hangs says where.
      const steps: Array<[string, () => Promise<unknown>]> = [
        ['scheduler', () => scheduler.stop()],
        ['source', () => source.stop()],
        ['reconciler', () => reconciler.stop()],
        ['monitors', () => monitors.stop()],
        ['events', () => events.stop()],
        ['notifications', () => notifications.stop()],
        // Last: the lock is held until nothing here acts on it any more; then a follower takes over.
        ['leadership', () => leadership.stop()],
        ['leadership terms', async () => terms?.settled()],
      ];
      for (const [part, stop] of steps) {
        log.debug({ part }, 'stopping');
        await stop();
      }
    },
  };
}
