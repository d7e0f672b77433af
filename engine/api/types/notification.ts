import { builder } from '../builder.js';
import { keysetConnection } from '../paging.js';
import { listOrUndefined, rangeOf, TimeRange } from './common.js';
import { DeliveryRef, EventRef, NotificationRef } from './refs.js';
import { resourceNodeOptions } from './resource.js';

const COMMON = new Set(['kind', 'name', 'labels', 'description', 'protect', 'events', 'default']);

DeliveryRef.implement({
  description: 'One event sent (or being sent) to a channel.',
  fields: (t) => ({
    status: t.exposeString('status'),
    attempts: t.exposeInt('attempts'),
    error: t.exposeString('error', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    event: t.field({
      type: EventRef,
      nullable: true,
      resolve: (d, _a, ctx) => (d.eventId === null ? null : ctx.loaders.event.load(d.eventId)),
    }),
  }),
});

builder.node(NotificationRef, {
  ...resourceNodeOptions('Notification'),
  description: 'A channel events are delivered to.',
  fields: (t) => ({
    provider: t.string({
      description: 'slack, webhook, email, ...',
      resolve: (n) => Object.keys(n.spec as object).find((k) => !COMMON.has(k)) ?? 'unknown',
    }),
    events: t.stringList({
      nullable: true,
      description: 'The events it takes; null means all.',
      resolve: (n) => (n.spec as { events?: string[] }).events ?? null,
    }),
    isDefault: t.boolean({ resolve: (n) => (n.spec as { default?: boolean }).default === true }),
    lastDelivery: t.field({
      type: DeliveryRef,
      nullable: true,
      resolve: (n, _a, ctx) => ctx.loaders.latestDelivery.load(n.name),
    }),
    deliveries: t.connection({
      type: DeliveryRef,
      args: { status: t.arg.stringList(), range: t.arg({ type: TimeRange }) },
      resolve: (n, args, ctx) =>
        keysetConnection(args, (page) =>
          ctx.deps.readModel.deliveries({
            ...page,
            ...rangeOf(args.range),
            notifications: [n.name],
            status: listOrUndefined(args.status),
          }),
        ),
    }),
  }),
});
