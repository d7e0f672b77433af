import type { EventRecord } from '../../ports/store.js';
import { builder } from '../builder.js';
import type { PollingFeed } from '../live.js';
import { syncStatusOf, SyncStatusRef } from './engine.js';
import { DeploymentRef, EventRef, ExecutionRef } from './refs.js';

/**
 * The feed's items that pass `keep` (after `first`, when given). Not an async generator on
 * purpose: a generator's `return()` waits for its pending `next()`, so a client that leaves
 * a quiet feed would stay subscribed until the next item; this returns the feed's iterator
 * at once, which unsubscribes.
 */
function only<T, F = never>(feed: PollingFeed<T>, keep: (item: T) => boolean, first?: F): AsyncIterable<T | F> {
  return {
    [Symbol.asyncIterator]() {
      const inner = feed.subscribe()[Symbol.asyncIterator]();
      let pending = first !== undefined;
      return {
        async next(): Promise<IteratorResult<T | F>> {
          if (pending) {
            pending = false;
            return { done: false, value: first as F };
          }
          for (;;) {
            const r = await inner.next();
            if (r.done || keep(r.value)) return r;
          }
        },
        async return(): Promise<IteratorResult<T | F>> {
          await inner.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

const MonitorStateChangeRef = builder.objectRef<EventRecord>('MonitorStateChange').implement({
  description: 'A monitor went down or came back up.',
  fields: (t) => ({
    monitor: t.string({ resolve: (e) => (e.resource ?? '').replace(/^Monitor\//, '') }),
    state: t.string({ description: 'down or up.', resolve: (e) => e.type.replace(/^monitor\./, '') }),
    at: t.expose('at', { type: 'DateTime' }),
    message: t.exposeString('message'),
    event: t.field({ type: EventRef, resolve: (e) => e }),
  }),
});

const names = (list: readonly string[] | null | undefined) => (list?.length ? new Set(list) : undefined);

builder.subscriptionFields((t) => ({
  events: t.field({
    type: EventRef,
    description: 'Events as they are recorded (from the moment of subscribing).',
    args: { types: t.arg.stringList(), resource: t.arg.string({ description: '`Kind/name`' }) },
    subscribe: (_r, args, ctx) => {
      const types = names(args.types);
      return only(ctx.live.events, (e) => (!types || types.has(e.type)) && (!args.resource || e.resource === args.resource));
    },
    resolve: (e) => e,
  }),
  monitorStateChanged: t.field({
    type: MonitorStateChangeRef,
    args: { monitors: t.arg.stringList({ description: 'Names; all monitors when left out.' }) },
    subscribe: (_r, args, ctx) => {
      const wanted = names(args.monitors);
      return only(
        ctx.live.events,
        (e) =>
          (e.type === 'monitor.down' || e.type === 'monitor.up') &&
          (!wanted || wanted.has((e.resource ?? '').replace(/^Monitor\//, ''))),
      );
    },
    resolve: (e) => e,
  }),
  syncStatus: t.field({
    type: SyncStatusRef,
    description: 'The current sync status at once, then every reconcile that ends.',
    subscribe: (_r, _a, ctx) => only(ctx.live.sync, () => true, 'now'),
    resolve: (_p, _a, ctx) => syncStatusOf(ctx, ctx.deps.clock.now()),
  }),
  deploymentProgress: t.field({
    type: DeploymentRef,
    description: 'Deployments as they start, change status and finish.',
    args: { apps: t.arg.stringList() },
    subscribe: (_r, args, ctx) => {
      const wanted = names(args.apps);
      return only(ctx.live.deployments, (d) => !wanted || wanted.has(d.app));
    },
    resolve: (d) => d,
  }),
  executionProgress: t.field({
    type: ExecutionRef,
    description: 'Job executions as they start, retry and finish.',
    args: { jobs: t.arg.stringList() },
    subscribe: (_r, args, ctx) => {
      const wanted = names(args.jobs);
      return only(ctx.live.executions, (o) => !wanted || wanted.has(o.job));
    },
    resolve: (o) => o,
  }),
}));
