import { Cron } from 'croner';
import { parseSchedule } from '../../kinds/schedule.js';
import { builder } from '../builder.js';
import { keysetConnection } from '../paging.js';
import { listOrUndefined, rangeOf, tail, TimeRange } from './common.js';
import { ExecutionRef, JobRef, MissedSlotRef } from './refs.js';
import { resourceNodeOptions } from './resource.js';

interface JobSpec {
  schedule?: string;
  timezone?: string;
  suspend?: boolean;
}

/** The next `count` slots after `from`, in the job's timezone; `@every` counts from `anchor`. */
export function nextRuns(spec: JobSpec, from: Date, count: number, anchor?: Date): Date[] {
  if (!spec.schedule || count <= 0) return [];
  const parsed = parseSchedule(spec.schedule, spec.timezone ?? 'UTC');
  if ('error' in parsed) return [];
  const s = parsed.schedule;
  if (s.type === 'every') {
    const base = (anchor ?? from).getTime();
    const k = Math.max(1, Math.ceil((from.getTime() - base) / s.ms + 1e-9));
    return Array.from({ length: count }, (_, i) => new Date(base + (k + i) * s.ms));
  }
  return new Cron(s.pattern, { timezone: spec.timezone ?? 'UTC', paused: true }).nextRuns(count, from);
}

ExecutionRef.implement({
  description: 'One run of a job (an occurrence that started).',
  fields: (t) => ({
    number: t.exposeInt('id'),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime' }),
    status: t.exposeString('status'),
    trigger: t.exposeString('trigger', { description: 'schedule, manual, chain, ...' }),
    triggeredBy: t.exposeString('triggeredBy', { nullable: true }),
    attempt: t.exposeInt('attempt'),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    durationMs: t.int({
      nullable: true,
      resolve: (o) => (o.startedAt && o.finishedAt ? o.finishedAt.getTime() - o.startedAt.getTime() : null),
    }),
    lagMs: t.int({
      nullable: true,
      description: 'How late it started after its scheduled time.',
      resolve: (o) => (o.startedAt ? o.startedAt.getTime() - o.scheduledAt.getTime() : null),
    }),
    exitCode: t.exposeInt('exitCode', { nullable: true }),
    outputTail: t.string({
      nullable: true,
      description: 'The last lines of stdout and stderr, interleaved.',
      args: { lines: t.arg.int({ defaultValue: 50, required: true }) },
      resolve: (o, a) => tail(o.output, a.lines),
    }),
  }),
});

MissedSlotRef.implement({
  description: 'A scheduled slot that did not run, and why (overlap forbidden, missed while down, suspended).',
  fields: (t) => ({
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime' }),
    status: t.exposeString('status'),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

builder.node(JobRef, {
  ...resourceNodeOptions('Job'),
  description: 'A scheduled task.',
  fields: (t) => ({
    schedule: t.string({ resolve: (j) => (j.spec as JobSpec).schedule ?? '' }),
    timezone: t.string({ resolve: (j) => (j.spec as JobSpec).timezone ?? 'UTC' }),
    suspended: t.boolean({ resolve: (j) => (j.spec as JobSpec).suspend === true }),
    nextRuns: t.field({
      type: ['DateTime'],
      description: 'The next scheduled times (none while suspended).',
      args: { count: t.arg.int({ defaultValue: 3, required: true }) },
      resolve: async (j, a, ctx) => {
        const spec = j.spec as JobSpec;
        if (spec.suspend) return [];
        const last = await ctx.loaders.latestExecution.load(j.name);
        return nextRuns(spec, ctx.now, Math.min(a.count, 50), last?.scheduledAt ?? j.appliedAt);
      },
    }),
    lastExecution: t.field({
      type: ExecutionRef,
      nullable: true,
      resolve: (j, _a, ctx) => ctx.loaders.latestExecution.load(j.name),
    }),
    executions: t.connection({
      type: ExecutionRef,
      args: { status: t.arg.stringList(), range: t.arg({ type: TimeRange }) },
      resolve: (j, args, ctx) =>
        keysetConnection(args, (page) =>
          ctx.deps.readModel.occurrences({
            ...page,
            ...rangeOf(args.range),
            jobs: [j.name],
            ran: true,
            status: listOrUndefined(args.status),
          }),
        ),
    }),
    missedSlots: t.connection({
      type: MissedSlotRef,
      args: { range: t.arg({ type: TimeRange }) },
      resolve: (j, args, ctx) =>
        keysetConnection(args, (page) =>
          ctx.deps.readModel.occurrences({ ...page, ...rangeOf(args.range), jobs: [j.name], ran: false }),
        ),
    }),
  }),
});
