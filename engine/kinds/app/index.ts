import type { FieldDiff, TouchedObject } from '../../model/change.js';
import type { KindHandler, Reference } from '../kind.js';
import { defaults, text, topField } from '../shared.js';
import type { AppSpec } from '../spec-types.generated.js';
import { namedVolumes } from './app-container.js';
import { checkApp, checkApps, normalizePath } from './check.js';
import { IN_PLACE } from './container-hash.js';
import { rolloutOrder } from './strategy.js';

const REASONS: Record<string, string> = {
  image: 'image changed',
  build: 'build changed',
  command: 'command changed',
  env: 'env changed',
  ports: 'published ports changed',
  volumes: 'volumes changed',
  networks: 'networks changed',
  restart: 'restart policy changed',
  healthcheck: 'health check changed',
  resources: 'resource limits changed',
};

/** App: a Docker-deployed service. */
export const app: KindHandler<AppSpec> = {
  kind: 'App',

  withDefaults(spec) {
    const out = defaults(spec, { replicas: 1, restart: 'unless-stopped' });
    if (spec.image !== undefined) out.pull = spec.pull ?? 'missing';
    out.update = defaults(spec.update, {
      order: 'auto',
      onFailure: 'rollback',
      monitor: '10s',
      drainTimeout: '30s',
    });
    if (spec.healthcheck) {
      out.healthcheck = defaults(spec.healthcheck, { interval: '10s', timeout: '5s', retries: 3, startPeriod: '0s' });
    }
    if (spec.routes) {
      out.routes = spec.routes.map((r) => ({
        ...r,
        path: normalizePath(text(r.path)),
        tls: r.tls ?? 'auto',
      }));
    }
    if (typeof spec.command === 'string') out.command = spec.command;
    return out;
  },

  references(spec) {
    return (spec.dependsOn ?? []).map((name, i): Reference => ({
      kind: 'App',
      name,
      path: ['dependsOn', i],
      ordering: true,
      acyclic: true,
    }));
  },

  check: checkApp,
  checkAll: (apps) => checkApps(apps),

  replaceReason(diffs: FieldDiff[]) {
    const changed = new Set(diffs.map((d) => topField(d.path)).filter((f) => !IN_PLACE.has(f)));
    if (changed.size === 0) return undefined;
    // Most telling first: "image changed" before "env changed".
    const order = Object.keys(REASONS);
    const fields = [...changed].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
    return fields.map((f) => REASONS[f] ?? `${f} changed`).join(', ');
  },

  /** The containers, networks and named volumes a change touches, for the plan to list. */
  objects(action, before?: AppSpec, after?: AppSpec, name = '') {
    const out: TouchedObject[] = [];
    const replicas = (s?: AppSpec) => (typeof s?.replicas === 'number' ? s.replicas : s ? 1 : 0);
    const [was, will] = [replicas(before), replicas(after)];
    for (let i = 1; i <= Math.max(was, will); i++) {
      const id = `${name}-${i}`;
      if (i > will) out.push({ type: 'container', name: id, action: 'delete' });
      else if (i > was) out.push({ type: 'container', name: id, action: 'create' });
      else out.push({ type: 'container', name: id, action: action === 'replace' ? 'replace' : 'keep' });
    }
    const nets = (s?: AppSpec) => new Set(s?.networks);
    for (const n of nets(after)) if (!nets(before).has(n)) out.push({ type: 'network', name: n, action: 'create' });
    const vols = (s?: AppSpec) => new Set(namedVolumes({ volumes: (s?.volumes ?? []).map((v) => String(text(v))) }));
    for (const v of vols(after)) if (!vols(before).has(v)) out.push({ type: 'volume', name: v, action: 'create' });
    // Data outlives the app: a deleted app's volumes are listed as kept, never removed by a plan.
    if (action === 'delete') for (const v of vols(before)) out.push({ type: 'volume', name: v, action: 'keep' });
    return out;
  },

  strategy(action, after) {
    return action === 'replace' ? rolloutOrder(after) : undefined;
  },

  async execute(change, ports) {
    // Without a Docker runtime nothing can be deployed; say so instead of pretending.
    if (!ports.runtime) {
      return {
        status: 'pending',
        message: `not ${change.action === 'delete' ? 'removed' : 'deployed'}: no Docker runtime is connected (is docker.host reachable?)`,
      };
    }
    // The deploy machinery (rollout, routing, swarm, images) loads only for an apply: a plan
    // or a validate never runs it.
    const { executeApp } = await import('./execute.js');
    return executeApp(change, ports, app.withDefaults);
  },
};
