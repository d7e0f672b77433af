import { builder } from '../builder.js';
import { serial } from './common.js';
import { PlanRef, RevisionRef } from './refs.js';

builder.node(RevisionRef, {
  description: 'One snapshot of the source the engine read: a git commit, or a content hash of a directory.',
  id: { resolve: (r) => String(r.id) },
  loadOne: (id, ctx) => (serial(id) === undefined ? null : ctx.loaders.revision.load(serial(id)!)),
  fields: (t) => ({
    number: t.exposeInt('id', { description: 'The store’s sequence number of this revision.' }),
    commit: t.exposeString('commit', { description: 'Commit SHA for git sources; a content hash for a directory.' }),
    source: t.exposeString('source'),
    author: t.exposeString('author', { nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    committedAt: t.expose('committedAt', { type: 'DateTime', nullable: true }),
    status: t.exposeString('status', { description: 'pending, planned, applied, failed, invalid or superseded.' }),
    diagnostics: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Why the revision is invalid: diagnostics with file, line and column.',
      resolve: (r) => r.diagnostics ?? null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    plan: t.field({
      type: PlanRef,
      nullable: true,
      description: 'The newest plan computed for this revision (none when nothing needed to change).',
      resolve: (r, _a, ctx) => ctx.loaders.latestPlanOfRevision.load(r.id),
    }),
  }),
});
