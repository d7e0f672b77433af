import type { RollupRecord, UptimeRecord } from '../../ports/read-model.js';
import { builder } from '../builder.js';
import { keysetConnection } from '../paging.js';
import { parseWindow, rangeOf, TimeRange } from './common.js';
import { EventRef, HeartbeatRef, MonitorRef, MonitorStateRef } from './refs.js';
import { resourceNodeOptions } from './resource.js';

MonitorStateRef.implement({
  description: 'Where the monitor’s state machine stands (failure/success thresholds across checks).',
  fields: (t) => ({
    state: t.exposeString('state', { description: 'up, down, or what the monitor runtime records (paused, maintenance, ...).' }),
    since: t.expose('since', { type: 'DateTime' }),
    consecutiveFailures: t.exposeInt('consecutiveFailures'),
    consecutiveSuccesses: t.exposeInt('consecutiveSuccesses'),
    lastResult: t.field({ type: 'JSON', nullable: true, resolve: (s) => s.lastResult ?? null }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

HeartbeatRef.implement({
  description: 'One check’s result.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    ok: t.exposeBoolean('ok'),
    latencyMs: t.exposeFloat('latencyMs', { nullable: true }),
    status: t.exposeString('status', { nullable: true }),
    conditions: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Each condition with its resolved value.',
      resolve: (h) => h.conditions ?? null,
    }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

interface Uptime extends UptimeRecord {
  window: string;
  since: Date;
  until: Date;
}

const UptimeRef = builder.objectRef<Uptime>('Uptime').implement({
  description: 'Checks, successes and latency percentiles over a window, served from hourly and daily rollups.',
  fields: (t) => ({
    window: t.exposeString('window'),
    since: t.expose('since', { type: 'DateTime' }),
    until: t.expose('until', { type: 'DateTime' }),
    checks: t.exposeInt('checks'),
    successes: t.exposeInt('successes'),
    ratio: t.float({
      nullable: true,
      description: 'successes / checks, between 0 and 1; null without checks.',
      resolve: (u) => (u.checks > 0 ? u.successes / u.checks : null),
    }),
    latencyP50: t.exposeFloat('latencyP50', { nullable: true, description: 'Milliseconds.' }),
    latencyP95: t.exposeFloat('latencyP95', { nullable: true, description: 'Milliseconds.' }),
    latencyP99: t.exposeFloat('latencyP99', { nullable: true, description: 'Milliseconds.' }),
  }),
});

const RollupRef = builder.objectRef<RollupRecord>('Rollup').implement({
  description: 'One hourly or daily bucket of a monitor’s checks, as the rollup job recorded it.',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    checks: t.exposeInt('checks'),
    successes: t.exposeInt('successes'),
    ratio: t.float({
      nullable: true,
      description: 'successes / checks; null without checks.',
      resolve: (r) => (r.checks > 0 ? r.successes / r.checks : null),
    }),
    latencyP50: t.exposeFloat('latencyP50', { nullable: true, description: 'Milliseconds.' }),
    latencyP95: t.exposeFloat('latencyP95', { nullable: true, description: 'Milliseconds.' }),
    latencyP99: t.exposeFloat('latencyP99', { nullable: true, description: 'Milliseconds.' }),
  }),
});

const RollupBucketEnum = builder.enumType('RollupBucket', {
  values: { hour: { value: 'hour' }, day: { value: 'day' } } as const,
});

const HOUR = 3600_000;

builder.node(MonitorRef, {
  ...resourceNodeOptions('Monitor'),
  description: 'An uptime check.',
  fields: (t) => ({
    state: t.field({ type: MonitorStateRef, nullable: true, resolve: (m, _a, ctx) => ctx.loaders.monitorState.load(m.name) }),
    uptime: t.field({
      type: UptimeRef,
      description: 'Over the last `window` (e.g. "24h", "30d"), counted in whole hours.',
      args: { window: t.arg.string({ defaultValue: '24h', required: true }) },
      resolve: async (m, args, ctx) => {
        const ms = parseWindow(args.window);
        // Aligning the window's start to the hour lets every monitor in a page share one
        // statement and lets rollups answer whole buckets.
        const until = ctx.now;
        const since = new Date(Math.floor((until.getTime() - ms) / HOUR) * HOUR);
        const found = await ctx.loaders.uptime({ since, until }).load(m.name);
        const empty = { monitor: m.name, checks: 0, successes: 0, latencyP50: null, latencyP95: null, latencyP99: null };
        return { ...(found ?? empty), window: args.window, since, until };
      },
    }),
    rollups: t.field({
      type: [RollupRef],
      description:
        'Rollup buckets of one size over the last `window`, oldest first: uptime bars and latency charts of one monitor.',
      args: {
        bucket: t.arg({ type: RollupBucketEnum, required: true }),
        window: t.arg.string({ defaultValue: '24h', required: true }),
      },
      // One statement per monitor asked: meant for a monitor's own page, so it costs like a page of rows.
      complexity: { field: 50, multiplier: 1 },
      resolve: (m, args, ctx) =>
        ctx.deps.readModel.rollups({
          monitor: m.name,
          bucket: args.bucket,
          since: new Date(ctx.now.getTime() - parseWindow(args.window)),
          until: ctx.now,
        }),
    }),
    heartbeats: t.connection({
      type: HeartbeatRef,
      args: { ok: t.arg.boolean(), range: t.arg({ type: TimeRange }) },
      resolve: (m, args, ctx) =>
        keysetConnection(args, (page) =>
          ctx.deps.readModel.heartbeats({ ...page, ...rangeOf(args.range), monitor: m.name, ok: args.ok ?? undefined }),
        ),
    }),
    stateChanges: t.connection({
      type: EventRef,
      description: 'monitor.down and monitor.up events of this monitor, newest first.',
      args: { range: t.arg({ type: TimeRange }) },
      resolve: (m, args, ctx) =>
        keysetConnection(args, (page) =>
          ctx.deps.readModel.events({
            ...page,
            ...rangeOf(args.range),
            types: ['monitor.down', 'monitor.up'],
            resources: [`Monitor/${m.name}`],
          }),
        ),
    }),
  }),
});
