import { app } from './app/index.js';
import { job } from './job/index.js';
import type { KindHandler } from './kind.js';
import { monitor } from './monitor/index.js';
import { notification } from './notification/index.js';
import type { Kind } from '../model/resource.js';
import type { AppSpec, JobSpec, MonitorSpec, NotificationSpec } from './spec-types.generated.js';

/** Each kind's spec type, generated from its schema. */
export interface SpecByKind {
  App: AppSpec;
  Monitor: MonitorSpec;
  Job: JobSpec;
  Notification: NotificationSpec;
}

/** Every kind's handler, typed by its spec; `satisfies` makes the compiler prove that no kind is missing. */
export const typedKinds = {
  App: app,
  Monitor: monitor,
  Job: job,
  Notification: notification,
} satisfies { [K in Kind]: KindHandler<SpecByKind[K]> };

/**
 * Every kind's handler, taken for any spec: for code that knows a resource's kind only at run
 * time. Sound because a resource's spec is its kind's (validate/to-resources.ts checks it against
 * the kind's schema before it becomes a resource), and so are the applied and planned specs made
 * from it. TypeScript accepts the widening only because method parameters are bivariant; this
 * is the one place that relies on it.
 */
export const kinds: Record<Kind, KindHandler> = typedKinds;

export const handlerOf = (kind: Kind): KindHandler => kinds[kind];
