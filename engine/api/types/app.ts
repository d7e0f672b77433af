import { builder } from '../builder.js';
import { keysetConnection } from '../paging.js';
import { listOrUndefined, rangeOf, tail, TimeRange } from './common.js';
import { app as appKind } from '../../kinds/app/index.js';
import { replicaOf } from '../../kinds/app/replica.js';
import { liveDrift } from '../../kinds/app/observe.js';
import type { Spec } from '../../model/resource.js';
import { AppRef, ApplyRef, ContainerRef, DeploymentRef, RevisionRef } from './refs.js';
import { resourceNodeOptions } from './resource.js';

DeploymentRef.implement({
  description: 'One rollout of an app.',
  fields: (t) => ({
    number: t.exposeInt('id'),
    app: t.exposeString('app'),
    specHash: t.exposeString('specHash'),
    strategy: t.exposeString('strategy', { nullable: true }),
    status: t.exposeString('status'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    logTail: t.string({
      nullable: true,
      description: 'The last lines of the rollout’s log.',
      args: { lines: t.arg.int({ defaultValue: 50, required: true }) },
      resolve: (d, a) => tail(d.logTail, a.lines),
    }),
    revision: t.field({
      type: RevisionRef,
      nullable: true,
      resolve: (d, _a, ctx) => (d.revisionId === null ? null : ctx.loaders.revision.load(d.revisionId)),
    }),
    apply: t.field({
      type: ApplyRef,
      nullable: true,
      resolve: (d, _a, ctx) => (d.applyId === null ? null : ctx.loaders.apply.load(d.applyId)),
    }),
  }),
});

ContainerRef.implement({
  description: 'A container of an app, as Docker reports it now.',
  fields: (t) => ({
    name: t.exposeString('name'),
    replica: t.int({ resolve: (c) => replicaOf(c) }),
    image: t.exposeString('image'),
    state: t.exposeString('state', { description: 'created, running, restarting, exited, …' }),
    health: t.exposeString('health', { description: 'healthy, unhealthy, starting, or none (no health check)' }),
    status: t.exposeString('status', { description: 'Docker’s own words, e.g. "Up 3 minutes (healthy)".' }),
    createdAt: t.expose('created', { type: 'DateTime' }),
  }),
});

builder.node(AppRef, {
  ...resourceNodeOptions('App'),
  description: 'A Docker-deployed service.',
  fields: (t) => ({
    image: t.string({ nullable: true, resolve: (a) => ((a.spec as { image?: string }).image ?? null) as string | null }),
    replicas: t.int({ resolve: (a) => (a.spec as { replicas?: number }).replicas ?? 1 }),
    containers: t.field({
      type: [ContainerRef],
      nullable: true,
      description: 'Its containers now (one Docker listing per request); null when Docker is not connected or does not answer.',
      resolve: async (a, _x, ctx) => {
        const live = await ctx.loaders.liveContainers();
        return live ? (live.get(a.name) ?? []) : null;
      },
    }),
    drift: t.string({
      nullable: true,
      description:
        'How its containers differ from what was applied (stopped, removed, unhealthy, changed by hand); null when they match or Docker was not observed.',
      resolve: async (a, _x, ctx) => {
        const live = await ctx.loaders.liveContainers();
        return live ? (liveDrift(appKind.withDefaults(a.spec as Spec), live.get(a.name) ?? []) ?? null) : null;
      },
    }),
    latestDeployment: t.field({
      type: DeploymentRef,
      nullable: true,
      resolve: (a, _x, ctx) => ctx.loaders.latestDeployment.load(a.name),
    }),
    deployments: t.connection({
      type: DeploymentRef,
      args: { status: t.arg.stringList(), range: t.arg({ type: TimeRange }) },
      resolve: (a, args, ctx) =>
        keysetConnection(args, (page) =>
          ctx.deps.readModel.deployments({
            ...page,
            ...rangeOf(args.range),
            apps: [a.name],
            status: listOrUndefined(args.status),
          }),
        ),
    }),
  }),
});
