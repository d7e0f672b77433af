import { builder } from '../builder.js';
import { serial } from './common.js';
import { EventRef } from './refs.js';

builder.node(EventRef, {
  description: 'Something the engine reported: deploy.failed, sync.failed, monitor.down, ...',
  id: { resolve: (e) => String(e.id) },
  loadOne: (id, ctx) => (serial(id) === undefined ? null : ctx.loaders.event.load(serial(id)!)),
  fields: (t) => ({
    number: t.exposeInt('id'),
    type: t.exposeString('type'),
    resource: t.string({
      nullable: true,
      description: '`Kind/name` when it is about one resource.',
      resolve: (e) => e.resource ?? null,
    }),
    message: t.exposeString('message'),
    data: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.data ?? null }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});
