import type { ReconcileResult } from '../../runtime/reconciler.js';
import { builder } from '../builder.js';
import type { ApiContext } from '../context.js';
import { PlanRef, RevisionRef } from './refs.js';

/** What the last reconcile did, with the moment the API saw it. */
export interface SyncStatus {
  result: ReconcileResult | undefined;
  runs: number;
  at: Date;
}

export const syncStatusOf = (ctx: Pick<ApiContext, 'deps'>, at: Date): SyncStatus => ({
  result: ctx.deps.engine.lastSync(),
  runs: ctx.deps.engine.runs(),
  at,
});

export const SyncStatusRef = builder.objectRef<SyncStatus>('SyncStatus').implement({
  description: 'The last reconcile’s result.',
  fields: (t) => ({
    outcome: t.string({
      description: 'starting (none yet), invalid, in-sync, planned (waiting: sync.auto off), applied, failed or error.',
      resolve: (s) => s.result?.outcome ?? 'starting',
    }),
    revision: t.string({ nullable: true, resolve: (s) => s.result?.revision || null }),
    changes: t.int({ resolve: (s) => s.result?.changes ?? 0 }),
    drift: t.boolean({ description: 'The changes came from the world, not from git.', resolve: (s) => s.result?.drift === true }),
    pending: t.boolean({
      description: 'A plan waits for approval (sync.auto off).',
      resolve: (s) => s.result?.outcome === 'planned' && !s.result.drift,
    }),
    message: t.string({ nullable: true, resolve: (s) => s.result?.message ?? null }),
    runs: t.int({ description: 'Reconcile passes finished since the engine started.', resolve: (s) => s.runs }),
    observedAt: t.expose('at', { type: 'DateTime' }),
  }),
});

const LeaderRef = builder.objectRef<{ epoch: number; holder: string | null; since: Date | null }>('Leader').implement({
  description: 'The engine instance that runs the reconciler and scheduler when several share one PostgreSQL.',
  fields: (t) => ({
    epoch: t.exposeInt('epoch', { description: 'Grows on every change of leader (the fencing token).' }),
    holder: t.exposeString('holder', { nullable: true }),
    since: t.expose('since', { type: 'DateTime', nullable: true }),
  }),
});

const EngineRef = builder.objectRef<object>('Engine').implement({
  description: 'The engine serving this API.',
  fields: (t) => ({
    version: t.string({ resolve: (_e, _a, ctx) => ctx.deps.version }),
    source: t.string({ description: 'Where desired state comes from.', resolve: (_e, _a, ctx) => ctx.deps.engine.source }),
    syncAuto: t.boolean({ resolve: (_e, _a, ctx) => ctx.deps.engine.syncAuto }),
    leader: t.field({ type: LeaderRef, nullable: true, resolve: (_e, _a, ctx) => ctx.deps.readModel.leader() }),
    currentRevision: t.field({
      type: RevisionRef,
      nullable: true,
      description: 'The newest applied revision: what runs now.',
      resolve: async (_e, _a, ctx) => (await ctx.deps.store.lastAppliedRevision()) ?? null,
    }),
    lastSync: t.field({ type: SyncStatusRef, resolve: (_e, _a, ctx) => syncStatusOf(ctx, ctx.now) }),
    pendingPlan: t.field({
      type: PlanRef,
      nullable: true,
      description: 'The plan waiting for approval when sync.auto is off.',
      resolve: async (_e, _a, ctx) => {
        if (ctx.deps.engine.lastSync()?.outcome !== 'planned') return null;
        const [plan] = await ctx.deps.readModel.plans({ limit: 1 });
        return plan ?? null;
      },
    }),
  }),
});

builder.queryField('engine', (t) => t.field({ type: EngineRef, resolve: () => ({}) }));
