import type { Kind } from '../../model/resource.js';
import type { AppliedResource } from '../../ports/store.js';
import { builder } from '../builder.js';
import type { ApiContext } from '../context.js';
import { KindEnum } from './common.js';
import { AppRef, ChangeResultRef, JobRef, MonitorRef, NotificationRef, RevisionRef } from './refs.js';

/** A resource's labels (FORMAT.md: a string map under `labels`). */
export const labelsOf = (r: AppliedResource): Record<string, string> =>
  ((r.spec as { labels?: Record<string, string> }).labels ?? {}) as Record<string, string>;

/**
 * One status word per resource, from what its runtime recorded (batched: one statement per
 * kind for a whole page). Apps: the last deployment's status, else `applied`. Monitors: the
 * state machine's state, else `unknown`. Jobs: `suspended`, else the last execution's status,
 * else `scheduled`. Notifications: the last delivery's status, else `ready`.
 */
export async function statusOf(r: AppliedResource, ctx: Pick<ApiContext, 'loaders'>): Promise<string> {
  const l = ctx.loaders;
  switch (r.kind) {
    case 'App':
      return (await l.latestDeployment.load(r.name))?.status ?? 'applied';
    case 'Monitor':
      return (await l.monitorState.load(r.name))?.state ?? 'unknown';
    case 'Job':
      if ((r.spec as { suspend?: boolean }).suspend === true) return 'suspended';
      return (await l.latestExecution.load(r.name))?.status ?? 'scheduled';
    case 'Notification':
      return (await l.latestDelivery.load(r.name))?.status ?? 'ready';
  }
}

const Label = builder.objectRef<[string, string]>('Label').implement({
  fields: (t) => ({
    key: t.string({ resolve: ([k]) => k }),
    value: t.string({ resolve: ([, v]) => v }),
  }),
});

const REFS = { App: AppRef, Monitor: MonitorRef, Job: JobRef, Notification: NotificationRef } as const;

export const ResourceRef = builder.interfaceRef<AppliedResource>('Resource').implement({
  description: 'A resource as applied: its spec (secrets masked), labels, status, and the revision that last changed it.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (r) => REFS[r.kind].name,
  fields: (t) => ({
    kind: t.field({ type: KindEnum, resolve: (r) => r.kind }),
    name: t.exposeString('name'),
    labels: t.field({ type: [Label], resolve: (r) => Object.entries(labelsOf(r)) }),
    label: t.string({
      nullable: true,
      args: { key: t.arg.string({ required: true }) },
      resolve: (r, a) => labelsOf(r)[a.key] ?? null,
    }),
    description: t.string({ nullable: true, resolve: (r) => (r.spec as { description?: string }).description ?? null }),
    spec: t.field({
      type: 'JSON',
      description: 'The defaulted spec as applied; secrets show as "(sensitive)".',
      resolve: (r) => r.spec,
    }),
    specHash: t.exposeString('specHash'),
    protect: t.exposeBoolean('protect'),
    appliedAt: t.expose('appliedAt', { type: 'DateTime' }),
    status: t.string({ resolve: (r, _a, ctx) => statusOf(r, ctx) }),
    revision: t.field({
      type: RevisionRef,
      nullable: true,
      description: 'The revision whose apply last changed this resource.',
      resolve: (r, _a, ctx) => (r.revisionId === null ? null : ctx.loaders.revision.load(r.revisionId)),
    }),
    lastChange: t.field({
      type: ChangeResultRef,
      nullable: true,
      description: 'The newest recorded change of this resource.',
      resolve: (r, _a, ctx) => ctx.loaders.lastChange.load(`${r.kind}/${r.name}`),
    }),
  }),
});

/** Looks up one applied resource by kind and name (from the request's one read of applied state). */
export async function appliedOne<K extends Kind>(ctx: ApiContext, kind: K, name: string) {
  const all = await ctx.loaders.applied();
  return (all.find((r) => r.kind === kind && r.name === name) as AppliedResource & { kind: K }) ?? null;
}

/** The options every kind's Node shares: it implements Resource, and its node id is its name. */
export function resourceNodeOptions<K extends Kind>(kind: K) {
  return {
    interfaces: [ResourceRef],
    id: { resolve: (r: AppliedResource) => r.name },
    isTypeOf: (r: unknown) => (r as AppliedResource).kind === kind,
    loadOne: (name: string, ctx: ApiContext) => appliedOne(ctx, kind, name),
  };
}
