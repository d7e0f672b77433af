import { app } from './app/index.js';
import { job } from './job/index.js';
import type { KindHandler } from './kind.js';
import { monitor } from './monitor/index.js';
import { notification } from './notification/index.js';
import type { Kind } from '../model/resource.js';

/** Every kind's handler; `satisfies` makes the compiler prove that no kind is missing. */
export const kinds = {
  App: app,
  Monitor: monitor,
  Job: job,
  Notification: notification,
} satisfies Record<Kind, KindHandler>;

export const handlerOf = (kind: Kind): KindHandler => kinds[kind];
