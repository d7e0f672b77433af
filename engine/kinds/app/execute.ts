import { dirname, resolve } from 'node:path';
import { reveal } from '../../model/sensitive.js';
import type { CreateChange, DeleteChange, LiveChange, ReplaceChange, UpdateChange } from '../../model/change.js';
import type { Clock } from '../../ports/clock.js';
import { PLOY_LABELS, type RegistryAuth, RuntimeUnavailableError } from '../../ports/container-runtime.js';
import type { DeploymentRecord } from '../../ports/deployment-store.js';
import type { ExecutePorts, ExecuteResult, RuntimeContext } from '../kind.js';
import type { Spec } from '../../model/resource.js';
import { appNetworks, namedVolumes } from './app-container.js';
import { containerHash } from './container-hash.js';
import { ensureImage, registryFor } from './image.js';
import { ensureNetworks, ensureVolumes, pruneNetworks } from './infrastructure.js';
import { listAppContainers } from './observe.js';
import { runPreDeploy } from './pre-deploy.js';
import { commandsByReference } from './secret-commands.js';
import { type CutoverHook, type RolloutResult, rollout, scale } from './rollout.js';
import { meshRefuses, meshWarning } from './mesh-check.js';
import { onRoutingMesh, putAppRoutes, RouteSwitch, removeAppRoutes, routedPorts } from './routing.js';
import { list } from '../shared.js';
import { rolloutOrder } from './strategy.js';
import { appService, appServiceSpec, deployService, rolloutTimeoutMs } from './swarm.js';

type Defaulted = (spec: Spec) => Spec;

/**
 * Carries out one App change on Docker and records it as a deployment: image (pull or
 * build), networks and volumes, the preDeploy hook, then the rollout. Every outcome is a
 * result: a failed rollout is rolled back (or paused), recorded with the failing container's
 * last lines, announced as `deploy.failed`, and its spec remembered so the reconciler does not
 * push it again until the source changes.
 */
export async function executeApp(change: LiveChange, ports: ExecutePorts, withDefaults: Defaulted): Promise<ExecuteResult> {
  const ctx = ports.runtime!;
  // A daemon that is not there is a fault of the machine, not of this spec: the change waits as
  // pending (and is applied once Docker answers) instead of being recorded as a failed deploy,
  // whose spec would then be held back at this revision.
  try {
    await ctx.containers.ping(ctx.signal);
  } catch (e) {
    if (!(e instanceof RuntimeUnavailableError)) throw e;
    const what = change.action === 'delete' ? 'removed' : 'deployed';
    return { status: 'pending', message: `not ${what} yet: ${e.message}; it is ${what} once Docker answers` };
  }
  if (change.action === 'delete') return deleteApp(change, ctx, ports);
  const resource = ctx.desired.get(change.key);
  if (!resource) {
    return { status: 'failed', message: 'the desired spec of this app is not available to apply (plan from another source?)' };
  }
  // Secrets revealed only here, on their way into Docker; `after` (redacted) is what is recorded.
  // Commands get references to them instead, the values going into the containers' env.
  const byReference = commandsByReference(withDefaults(resource.spec));
  if ('error' in byReference) return { status: 'failed', message: byReference.error };
  const spec = reveal(byReference.value) as Spec;
  const hash = containerHash(change.after);
  // An update scales the running version (no rollout order); a create or replace rolls out.
  const order = change.action === 'update' ? undefined : (change.strategy ?? rolloutOrder(spec));
  const deployment = await ports.store.startDeployment({
    app: change.name,
    revisionId: ctx.revisionId,
    applyId: ports.applyId ?? null,
    revision: ctx.revision,
    specHash: change.afterHash,
    spec: change.after,
    image: String(spec.image ?? `ploy/${change.name}:${hash.slice(0, 12)}`),
    strategy: !order ? 'scale' : change.action === 'create' ? 'create' : order.order,
    startedAt: ports.clock.now(),
  });
  const fail = (error: string, logTail: string[] = [], rolledBack = false, imageDigest?: string) =>
    failed(change, ports, ctx, deployment, { error, logTail, rolledBack, imageDigest });

  const registries = revealRegistries(ctx.registries);
  let image: Awaited<ReturnType<typeof ensureImage>>;
  try {
    await ensureNetworks(ctx.containers, appNetworks(spec), ctx.mode === 'swarm');
    await ensureVolumes(ctx.containers, change.name, namedVolumes(spec));
    image = await ensureImage(spec, {
      runtime: ctx.containers,
      app: change.name,
      hash,
      sourceRoot: ctx.sourceRoot,
      file: resource.pos.file,
      registries,
      signal: ctx.signal,
    });
  } catch (e) {
    const log = (e as { log?: string[] }).log;
    return fail((e as Error).message, log?.slice(-50));
  }
  const baseDir = resolve(ctx.sourceRoot ?? '/', dirname(resource.pos.file));
  const common = {
    app: change.name,
    spec,
    hash,
    image: image.ref,
    revision: ctx.revision,
    baseDir,
    signal: ctx.signal,
    clock: ports.clock,
  };
  let result: RolloutResult;
  let meshProblem: string | undefined;
  try {
    if (change.action !== 'update') {
      const hook = await runPreDeploy(ctx.containers, common);
      if (hook && !hook.ok) return fail(hook.message, hook.logTail, false, image.digest);
    }
    if (ctx.mode === 'swarm') {
      const existing = await appService(ctx.containers, change.name);
      const svc = appServiceSpec({ ...common, order: order?.order ?? 'start-first', auth: registryFor(image.ref, registries) });
      result = await deployService(ctx.containers, svc, existing, {
        signal: ctx.signal,
        timeoutMs: rolloutTimeoutMs(spec),
        clock: ports.clock,
      });
      // A service that never came up has nothing to roll back to: it goes, as failed containers do.
      if (!result.ok && !existing) await ctx.containers.removeService(change.name).catch(() => undefined);
      // The mesh port stays the same across updates, so routes change only when they are new or
      // edited; the cutover itself is Swarm's (start-first tasks, healthy before old ones stop).
      if (result.ok) meshProblem = await meshRouting(ctx, ports, change.name, spec, change.before);
    } else {
      const old = (await listAppContainers(ctx.containers)).get(change.name) ?? [];
      const serving = old.filter((c) => c.state === 'running').map((c) => c.id);
      const onCutover = await routing(ctx, ports.clock, change.name, spec, serving, change.before);
      const input = { ...common, runtime: ctx.containers, old, order: order?.order ?? 'start-first', onCutover };
      result = change.action === 'update' ? await scale(input) : await rollout(input);
    }
  } catch (e) {
    return fail((e as Error).message, [], false, image.digest);
  }
  if (!result.ok) return fail(result.error ?? 'the rollout failed', result.logTail, result.rolledBack, image.digest);

  await ports.store.finishDeployment(deployment.id, {
    status: 'succeeded',
    finishedAt: ports.clock.now(),
    imageDigest: image.digest,
    containers: result.containers,
  });
  await ports.store.forgetDeployFailure(change.name, change.afterHash);
  // Only a replacement has a rollout order worth naming; a create has nothing to stop.
  const how = order && change.action === 'replace' ? ` (${order.order})` : '';
  await ports.events.emit({
    type: 'deploy.succeeded',
    resource: change.key,
    message: `${change.name} deployed${how}: ${result.containers.join(', ') || 'no containers (0 replicas)'}`,
    data: {
      deployment: deployment.id,
      revision: ctx.revision,
      image: image.ref,
      digest: image.digest,
      containers: result.containers,
    },
  });
  return {
    status: 'succeeded',
    message: `${result.containers.length} container(s) ready${how}${meshProblem ? `; but ${meshProblem}` : ''}`,
    detail: {
      deployment: deployment.id,
      image: image.ref,
      digest: image.digest,
      containers: result.containers,
      ...(image.buildLog ? { buildLog: image.buildLog.slice(-200) } : {}),
    },
  };
}

async function failed(
  change: CreateChange | UpdateChange | ReplaceChange,
  ports: ExecutePorts,
  ctx: RuntimeContext,
  deployment: DeploymentRecord,
  f: { error: string; logTail: string[]; rolledBack: boolean; imageDigest?: string },
): Promise<ExecuteResult> {
  const at = ports.clock.now();
  await ports.store.finishDeployment(deployment.id, {
    status: f.rolledBack ? 'rolled-back' : 'failed',
    finishedAt: at,
    error: f.error,
    logTail: f.logTail,
    imageDigest: f.imageDigest,
  });
  await ports.store.rememberDeployFailure({
    app: change.name,
    specHash: change.afterHash,
    revision: ctx.revision,
    deploymentId: deployment.id,
    failedAt: at,
  });
  const outcome =
    change.action === 'create' ? 'nothing left running' : f.rolledBack ? 'rolled back to the previous version' : 'left as it is';
  await ports.events.emit({
    type: 'deploy.failed',
    resource: change.key,
    message: `${change.name} failed to deploy (${outcome}): ${f.error}`,
    data: { deployment: deployment.id, revision: ctx.revision, error: f.error, logTail: f.logTail, rolledBack: f.rolledBack },
  });
  return {
    status: 'failed',
    message: `${f.error}; ${outcome}`,
    detail: { deployment: deployment.id, logTail: f.logTail, rolledBack: f.rolledBack },
  };
}

/** Stops and removes every container of the app, then the networks no declared app uses. Volumes stay. */
async function deleteApp(change: DeleteChange, ctx: RuntimeContext, ports: ExecutePorts): Promise<ExecuteResult> {
  if (ctx.mode === 'swarm') {
    const svc = await appService(ctx.containers, change.name);
    if (svc) await ctx.containers.removeService(svc.id);
  }
  if (ctx.proxy) await removeAppRoutes(ctx.proxy, change.name);
  const containers = await ctx.containers.listManaged({ [PLOY_LABELS.app]: change.name });
  for (const c of containers) await ctx.containers.remove(c.id, { force: true });
  const used = new Set<string>();
  for (const r of ctx.desired.values())
    if (r.kind === 'App' && r.name !== change.name) for (const n of appNetworks(r.spec)) used.add(n);
  await pruneNetworks(ctx.containers, appNetworks(change.before), used);
  await ports.store.forgetDeployFailure(change.name);
  const volumes = namedVolumes(change.before);
  return {
    status: 'succeeded',
    message: `removed ${containers.length} container(s)${volumes.length ? `; volumes kept: ${volumes.join(', ')}` : ''}`,
    detail: { containers: containers.map((c) => c.name), volumesKept: volumes },
  };
}

/**
 * The traffic switch of a rollout: with a proxy, the app's routes are put (serving the
 * containers running now) and each step moves them; an app that dropped its routes loses them.
 */
async function routing(
  ctx: RuntimeContext,
  clock: Clock,
  app: string,
  spec: Spec,
  serving: string[],
  before?: Spec,
): Promise<CutoverHook | undefined> {
  if (!ctx.proxy) return undefined;
  if (list(spec.routes).length === 0) {
    if (list(before?.routes).length > 0) await removeAppRoutes(ctx.proxy, app);
    return undefined;
  }
  const routes = await RouteSwitch.start(ctx.proxy, ctx.containers, app, spec, serving, clock);
  return (step) => routes.step(step);
}

/**
 * Swarm mode: the app's routes point at the ports its service publishes on the routing mesh.
 * Returns a warning when the mesh refuses those ports on this host (a kernel without IPVS).
 */
async function meshRouting(
  ctx: RuntimeContext,
  ports: ExecutePorts,
  app: string,
  spec: Spec,
  before?: Spec,
): Promise<string | undefined> {
  if (!ctx.proxy) return undefined;
  if (list(spec.routes).length === 0) {
    if (list(before?.routes).length > 0) await removeAppRoutes(ctx.proxy, app);
    return undefined;
  }
  const service = await appService(ctx.containers, app);
  await putAppRoutes(ctx.proxy, app, spec, onRoutingMesh(service), { activeChecks: false });
  const published = (service?.ports ?? []).filter((p) => routedPorts(spec).includes(p.target)).map((p) => p.published);
  const refused = await meshRefuses(published, (ms) => ports.clock.sleep(ms));
  return refused.length ? meshWarning(app, refused) : undefined;
}

const revealRegistries = (rs: RuntimeContext['registries']): RegistryAuth[] => rs.map((r) => reveal(r) as RegistryAuth);
