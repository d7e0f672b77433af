import { builder } from '../builder.js';
import { ActionEnum, KindEnum, serial } from './common.js';
import { ApplyRef, ChangeResultRef, PlanRef, RevisionRef } from './refs.js';

ChangeResultRef.implement({
  description: 'What happened to one change during an apply.',
  fields: (t) => ({
    kind: t.field({ type: KindEnum, resolve: (r) => r.kind }),
    name: t.exposeString('name'),
    action: t.field({ type: ActionEnum, resolve: (r) => r.action }),
    status: t.exposeString('status', { description: 'succeeded, failed, skipped or pending.' }),
    message: t.string({ nullable: true, resolve: (r) => r.message ?? null }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime' }),
    durationMs: t.int({ resolve: (r) => r.finishedAt.getTime() - r.startedAt.getTime() }),
    detail: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.detail ?? null }),
    apply: t.field({ type: ApplyRef, nullable: true, resolve: (r, _a, ctx) => ctx.loaders.apply.load(r.applyId) }),
  }),
});

builder.node(ApplyRef, {
  description: 'One run of a plan, with a result per change.',
  id: { resolve: (a) => String(a.id) },
  loadOne: (id, ctx) => (serial(id) === undefined ? null : ctx.loaders.apply.load(serial(id)!)),
  fields: (t) => ({
    number: t.exposeInt('id'),
    plan: t.field({ type: PlanRef, nullable: true, resolve: (a, _x, ctx) => ctx.loaders.plan.load(a.planId) }),
    revision: t.field({
      type: RevisionRef,
      nullable: true,
      resolve: (a, _x, ctx) => (a.revisionId === null ? null : ctx.loaders.revision.load(a.revisionId)),
    }),
    trigger: t.exposeString('trigger', { description: 'What started it: startup, file-change, webhook, self-heal, cli, ...' }),
    status: t.exposeString('status', { description: 'running, succeeded, failed, partial or interrupted.' }),
    reason: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Why it ran: the trigger, the commit, the files and fields that changed.',
      resolve: (a) => a.reason ?? null,
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    durationMs: t.int({
      nullable: true,
      resolve: (a) => (a.finishedAt ? a.finishedAt.getTime() - a.startedAt.getTime() : null),
    }),
    results: t.field({ type: [ChangeResultRef], resolve: (a, _x, ctx) => ctx.loaders.changeResults.load(a.id) }),
  }),
});
