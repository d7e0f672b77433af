import type { EventRecord } from '../../ports/store.js';
import { builder } from '../builder.js';
import type { PollingFeed } from '../live.js';
import { syncStatusOf, SyncStatusRef } from './engine.js';
import { DeploymentRef, EventRef, ExecutionRef } from './refs.js';

/** The feed's items that pass `keep`; leaving the loop returns the feed's iterator (unsubscribes). */
async function* only<T>(feed: PollingFeed<T>, keep: (item: T) => boolean): AsyncGenerator<T> {
  for await (const item of feed.subscribe()) if (keep(item)) yield item;
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
    subscribe: (_r, _a, ctx) =>
      (async function* () {
        yield 'now';
        yield* ctx.live.sync.subscribe();
      })(),
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
