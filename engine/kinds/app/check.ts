import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { type Diagnostic, error, warning } from '../../model/diagnostic.js';
import type { CheckContext, ResourceOf } from '../kind.js';
import { text } from '../shared.js';
import type { AppSpec } from '../spec-types.generated.js';
import { describePort, parsePort, portsCollide, type PortBinding } from './ports.js';

/** Checks of one app that JSON Schema cannot express. */
export function checkApp(r: ResourceOf<AppSpec>, ctx: CheckContext): Diagnostic[] {
  const ds: Diagnostic[] = [];
  const context = text(r.spec.build?.context);
  if (context !== undefined) {
    // Relative to the file that declares the app, as in docker compose.
    const abs = resolve(ctx.sourceRoot, dirname(r.pos.file), context);
    const rel = relative(ctx.sourceRoot, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      ds.push(
        error(
          'path-escape',
          `Build context "${context}" is outside the source root; it must be a folder inside the repository.`,
          r.posOf(['build', 'context']),
          r.key,
        ),
      );
    }
  }
  const replicas = typeof r.spec.replicas === 'number' ? r.spec.replicas : 1;
  (r.spec.ports ?? []).forEach((p, i) => {
    const binding = parsePort(p);
    if (!binding) {
      ds.push(
        error(
          'invalid-field',
          `Port "${p}" is not valid: write [ip:]hostPort:containerPort[/tcp|udp] with ports 1-65535.`,
          r.posOf(['ports', i]),
          r.key,
        ),
      );
    } else if (binding.hostPort !== undefined && replicas > 1 && ctx.dockerMode === 'standalone') {
      ds.push(
        error(
          'replicas-fixed-port',
          `App ${r.name} has ${replicas} replicas and publishes fixed host port ${binding.hostPort}: only one container can bind it. Use routes, or swarm mode.`,
          r.posOf(['ports', i]),
          r.key,
        ),
      );
    }
  });
  if ((r.spec.routes ?? []).length > 0 && !ctx.proxyConfigured) {
    ds.push(
      warning(
        'no-proxy',
        `App ${r.name} declares routes but no proxy is configured (proxy.caddy in ploy.config.yaml): the routes will not be served.`,
        r.posOf(['routes']),
        r.key,
      ),
    );
  }
  if (r.spec.healthcheck?.http && ctx.dockerMode === 'swarm') {
    ds.push(
      warning(
        'invalid-field',
        `In swarm mode the http health check runs inside the container: the image of ${r.name} needs wget or curl.`,
        r.posOf(['healthcheck', 'http']),
        r.key,
      ),
    );
  }
  return ds;
}

/** Checks across apps: host ports and routes claimed twice. */
export function checkApps(apps: ResourceOf<AppSpec>[]): Diagnostic[] {
  const ds: Diagnostic[] = [];
  const seen: Array<{ app: ResourceOf<AppSpec>; binding: PortBinding; index: number }> = [];
  for (const app of apps) {
    (app.spec.ports ?? []).forEach((p, index) => {
      const binding = parsePort(p);
      if (!binding) return;
      const clash = seen.find((s) => s.app !== app && portsCollide(s.binding, binding));
      if (clash) {
        const other = clash.app.posOf(['ports', clash.index]);
        ds.push(
          error(
            'port-conflict',
            `Host port ${describePort(binding)} of app ${app.name} is already published by app ${clash.app.name} (${other.file}:${other.line}).`,
            app.posOf(['ports', index]),
            app.key,
          ),
        );
      }
      seen.push({ app, binding, index });
    });
  }
  const routes = new Map<string, { app: ResourceOf<AppSpec>; index: number }>();
  for (const app of apps) {
    (app.spec.routes ?? []).forEach((route, index) => {
      const host = String(text(route.host) ?? '').toLowerCase();
      const path = normalizePath(text(route.path));
      const id = `${host}${path}`;
      const prior = routes.get(id);
      if (prior && prior.app !== app) {
        const other = prior.app.posOf(['routes', prior.index]);
        ds.push(
          error(
            'route-conflict',
            `Route ${host}${path} of app ${app.name} is already routed to app ${prior.app.name} (${other.file}:${other.line}).`,
            app.posOf(['routes', index]),
            app.key,
          ),
        );
      } else if (!prior) {
        routes.set(id, { app, index });
      }
    });
  }
  return ds;
}

/** `/api/` and `/api` are the same prefix; no path is `/`. */
export const normalizePath = (p: string | undefined) => {
  const s = p && p !== '' ? (p.startsWith('/') ? p : `/${p}`) : '/';
  return s.length > 1 ? s.replace(/\/+$/, '') : s;
};
