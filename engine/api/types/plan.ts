import type { PlanDocument } from '../../plan/types.js';
import { builder } from '../builder.js';
import { ActionEnum, KindEnum, serial } from './common.js';
import { PlanChangeRef, PlanRef, RevisionRef } from './refs.js';

const doc = (p: { plan: unknown }) => p.plan as PlanDocument;

const PlanSummary = builder.objectRef<PlanDocument['summary']>('PlanSummary').implement({
  fields: (t) => ({
    create: t.exposeInt('create'),
    update: t.exposeInt('update'),
    replace: t.exposeInt('replace'),
    delete: t.exposeInt('delete'),
  }),
});

const FieldDiff = builder.objectRef<PlanDocument['changes'][number]['diffs'][number]>('FieldDiff').implement({
  description: 'One field that differs. A secret shows as "(sensitive)"; `sensitive` says it changed.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Dotted, with list indexes in brackets: `env.TOKEN`, `ports[0]`.' }),
    before: t.field({ type: 'JSON', nullable: true, resolve: (d) => d.before ?? null }),
    after: t.field({ type: 'JSON', nullable: true, resolve: (d) => d.after ?? null }),
    sensitive: t.boolean({ resolve: (d) => d.sensitive === true }),
  }),
});

const TouchedObject = builder
  .objectRef<NonNullable<PlanDocument['changes'][number]['objects']>[number]>('TouchedObject')
  .implement({
    description: 'A Docker object an app change touches.',
    fields: (t) => ({
      type: t.exposeString('type', { description: 'container, network or volume.' }),
      name: t.exposeString('name'),
      action: t.exposeString('action', { description: 'create, replace, delete, keep, start or stop.' }),
    }),
  });

const Strategy = builder.objectRef<NonNullable<PlanDocument['changes'][number]['strategy']>>('RolloutStrategy').implement({
  fields: (t) => ({
    order: t.exposeString('order', { description: 'start-first or stop-first.' }),
    why: t.exposeString('why'),
  }),
});

PlanChangeRef.implement({
  description: 'One change of a plan, as the versioned JSON form records it.',
  fields: (t) => ({
    action: t.field({ type: ActionEnum, resolve: (c) => c.action }),
    kind: t.field({ type: KindEnum, resolve: (c) => c.kind }),
    name: t.exposeString('name'),
    order: t.exposeInt('order', { description: 'Position in execution order.' }),
    before: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.before ?? null }),
    after: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.after ?? null }),
    afterHash: t.string({ nullable: true, resolve: (c) => c.afterHash ?? null }),
    diffs: t.field({ type: [FieldDiff], resolve: (c) => c.diffs ?? [] }),
    reason: t.string({ nullable: true, description: 'For people; apply never reads it.', resolve: (c) => c.reason ?? null }),
    strategy: t.field({ type: Strategy, nullable: true, resolve: (c) => c.strategy ?? null }),
    objects: t.field({ type: [TouchedObject], resolve: (c) => c.objects ?? [] }),
    file: t.string({ nullable: true, resolve: (c) => c.file ?? null }),
    line: t.int({ nullable: true, resolve: (c) => c.line ?? null }),
  }),
});

builder.node(PlanRef, {
  description: 'A plan: what the engine computed to bring the world in line with a revision.',
  id: { resolve: (p) => String(p.id) },
  loadOne: (id, ctx) => (serial(id) === undefined ? null : ctx.loaders.plan.load(serial(id)!)),
  fields: (t) => ({
    number: t.exposeInt('id'),
    revision: t.field({
      type: RevisionRef,
      nullable: true,
      resolve: (p, _a, ctx) => (p.revisionId === null ? null : ctx.loaders.revision.load(p.revisionId)),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    actualHash: t.exposeString('actualHash', { description: 'Hash of the actual state the plan was computed from.' }),
    summary: t.field({ type: PlanSummary, resolve: (p) => p.summary }),
    document: t.field({
      type: 'JSON',
      description: 'The versioned JSON form (`formatVersion: 1`), as `ploy plan --format json` prints it.',
      resolve: (p) => p.plan,
    }),
    changes: t.field({ type: [PlanChangeRef], resolve: (p) => doc(p).changes ?? [] }),
    kept: t.field({
      type: 'JSON',
      description: 'Resources left alone on purpose, and why.',
      resolve: (p) => doc(p).kept ?? [],
    }),
    diagnostics: t.field({ type: 'JSON', resolve: (p) => doc(p).diagnostics ?? [] }),
  }),
});
