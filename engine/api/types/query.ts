import type { Kind } from '../../model/resource.js';
import type { AppliedResource } from '../../ports/store.js';
import { builder } from '../builder.js';
import type { ApiContext } from '../context.js';
import { parseLabelSelector } from '../label-selector.js';
import { arrayConnection, keysetConnection } from '../paging.js';
import { KindEnum, listOrUndefined, rangeOf, TimeRange } from './common.js';
import { AppRef, ApplyRef, DeploymentRef, EventRef, JobRef, MonitorRef, NotificationRef, PlanRef, RevisionRef } from './refs.js';
import { appliedOne, labelsOf, ResourceRef, statusOf } from './resource.js';

interface ResourceFilter {
  kinds?: readonly Kind[];
  labelSelector?: string | null;
  status?: readonly string[] | null;
  names?: readonly string[] | null;
}

/** Applied resources matching a filter, in kind/name order. Status is batched per kind. */
async function filtered(ctx: ApiContext, f: ResourceFilter): Promise<AppliedResource[]> {
  const select = f.labelSelector ? parseLabelSelector(f.labelSelector) : undefined;
  const names = f.names?.length ? new Set(f.names) : undefined;
  let rows = (await ctx.loaders.applied()).filter(
    (r) => (!f.kinds?.length || f.kinds.includes(r.kind)) && (!names || names.has(r.name)) && (!select || select(labelsOf(r))),
  );
  if (f.status?.length) {
    const statuses = await Promise.all(rows.map((r) => statusOf(r, ctx)));
    rows = rows.filter((_, i) => f.status!.includes(statuses[i]));
  }
  return rows;
}

builder.queryFields((t) => ({
  revisions: t.connection({
    type: RevisionRef,
    description: 'Revisions, newest first.',
    args: { status: t.arg.stringList(), range: t.arg({ type: TimeRange }) },
    resolve: (_r, args, ctx) =>
      keysetConnection(args, (page) =>
        ctx.deps.readModel.revisions({ ...page, ...rangeOf(args.range), status: listOrUndefined(args.status) }),
      ),
  }),
  plans: t.connection({
    type: PlanRef,
    description: 'Plans, newest first.',
    args: {
      revision: t.arg.int({ description: 'Only the plans of this revision (its number).' }),
      range: t.arg({ type: TimeRange }),
    },
    resolve: (_r, args, ctx) =>
      keysetConnection(args, (page) =>
        ctx.deps.readModel.plans({ ...page, ...rangeOf(args.range), revisionId: args.revision ?? undefined }),
      ),
  }),
  applies: t.connection({
    type: ApplyRef,
    description: 'Applies, newest first.',
    args: { status: t.arg.stringList(), range: t.arg({ type: TimeRange }) },
    resolve: (_r, args, ctx) =>
      keysetConnection(args, (page) =>
        ctx.deps.readModel.applies({ ...page, ...rangeOf(args.range), status: listOrUndefined(args.status) }),
      ),
  }),
  events: t.connection({
    type: EventRef,
    description: 'The events feed, newest first.',
    args: {
      types: t.arg.stringList({ description: 'e.g. ["deploy.failed", "monitor.down"]' }),
      resource: t.arg.string({ description: '`Kind/name`' }),
      range: t.arg({ type: TimeRange }),
    },
    resolve: (_r, args, ctx) =>
      keysetConnection(args, (page) =>
        ctx.deps.readModel.events({
          ...page,
          ...rangeOf(args.range),
          types: listOrUndefined(args.types),
          resources: args.resource ? [args.resource] : undefined,
        }),
      ),
  }),
  deployments: t.connection({
    type: DeploymentRef,
    description: 'Deployments of all apps, newest first.',
    args: { apps: t.arg.stringList(), status: t.arg.stringList(), range: t.arg({ type: TimeRange }) },
    resolve: (_r, args, ctx) =>
      keysetConnection(args, (page) =>
        ctx.deps.readModel.deployments({
          ...page,
          ...rangeOf(args.range),
          apps: listOrUndefined(args.apps),
          status: listOrUndefined(args.status),
        }),
      ),
  }),
  resources: t.connection({
    type: ResourceRef,
    description: 'Applied resources of every kind, by kind then name.',
    args: {
      kind: t.arg({ type: [KindEnum] }),
      labelSelector: t.arg.string({ description: 'Kubernetes syntax: `env=prod,tier!=db,team,zone in (a,b)`.' }),
      status: t.arg.stringList(),
    },
    resolve: async (_r, args, ctx) =>
      arrayConnection(
        args,
        await filtered(ctx, { kinds: args.kind ?? undefined, labelSelector: args.labelSelector, status: args.status }),
      ),
  }),
}));

const KIND_REFS = [
  ['apps', 'app', 'App', AppRef],
  ['monitors', 'monitor', 'Monitor', MonitorRef],
  ['jobs', 'job', 'Job', JobRef],
  ['notifications', 'notification', 'Notification', NotificationRef],
] as const;

// One list and one lookup per kind: `monitors(labelSelector: "env=prod") {...}`, `monitor(name: "api")`.
for (const [plural, singular, kind, ref] of KIND_REFS) {
  builder.queryFields((t) => ({
    [plural]: t.connection({
      type: ref as typeof AppRef,
      description: `Applied ${kind}s by name.`,
      args: {
        labelSelector: t.arg.string({ description: 'Kubernetes syntax: `env=prod,tier!=db,team,zone in (a,b)`.' }),
        status: t.arg.stringList(),
        names: t.arg.stringList(),
      },
      resolve: async (_r, args, ctx) =>
        arrayConnection(
          args,
          (await filtered(ctx, {
            kinds: [kind],
            labelSelector: args.labelSelector,
            status: args.status,
            names: args.names,
          })) as never[],
        ),
    }),
    [singular]: t.field({
      type: ref as typeof AppRef,
      nullable: true,
      args: { name: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => appliedOne(ctx, kind, args.name) as never,
    }),
  }));
}
