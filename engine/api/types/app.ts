import { builder } from '../builder.js';
import { keysetConnection } from '../paging.js';
import { listOrUndefined, rangeOf, tail, TimeRange } from './common.js';
import { AppRef, ApplyRef, DeploymentRef, RevisionRef } from './refs.js';
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

builder.node(AppRef, {
  ...resourceNodeOptions('App'),
  description: 'A Docker-deployed service.',
  fields: (t) => ({
    image: t.string({ nullable: true, resolve: (a) => ((a.spec as { image?: string }).image ?? null) as string | null }),
    replicas: t.int({ resolve: (a) => (a.spec as { replicas?: number }).replicas ?? 1 }),
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
