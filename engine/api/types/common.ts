import { GraphQLError } from 'graphql';
import { KINDS } from '../../model/resource.js';
import { parseDuration } from '../../model/units.js';
import { builder } from '../builder.js';

/** The four kinds as a GraphQL enum (values as FORMAT.md spells them). */
export const KindEnum = builder.enumType('ResourceKind', {
  values: Object.fromEntries(KINDS.map((k) => [k, { value: k }])) as Record<
    (typeof KINDS)[number],
    { value: (typeof KINDS)[number] }
  >,
});

export const ActionEnum = builder.enumType('ChangeAction', {
  values: {
    create: { value: 'create' },
    update: { value: 'update' },
    replace: { value: 'replace' },
    delete: { value: 'delete' },
  } as const,
});

/** `since`/`until` arguments of every time-filtered connection: rows in [since, until). */
export const TimeRange = builder.inputType('TimeRange', {
  description: 'Rows at or after `since` and before `until`; either may be left out.',
  fields: (t) => ({
    since: t.field({ type: 'DateTime', required: false }),
    until: t.field({ type: 'DateTime', required: false }),
  }),
});

export const rangeOf = (r: { since?: Date | null; until?: Date | null } | null | undefined) => ({
  ...(r?.since ? { since: r.since } : {}),
  ...(r?.until ? { until: r.until } : {}),
});

/** A list filter argument: absent or empty means "any". */
export const listOrUndefined = <T>(v: readonly T[] | null | undefined): readonly T[] | undefined => (v?.length ? v : undefined);

/** The longest window a monitor's uptime may cover (rollups are kept for a year). */
const MAX_WINDOW_MS = 400 * 24 * 3600 * 1000;

/**
 * Windows already parsed: a dashboard asks the same two or three for every monitor on the page.
 * Bounded, since the strings come from clients.
 */
const parsedWindows = new Map<string, number>();

/** `"30d"`, `"24h"`, `"90m"` → milliseconds; refuses a window it cannot serve. */
export function parseWindow(window: string): number {
  const known = parsedWindows.get(window);
  if (known !== undefined) return known;
  const ms = parseDuration(window);
  if (ms === undefined || ms <= 0 || ms > MAX_WINDOW_MS)
    throw new GraphQLError(`window "${window}" must be a duration such as 24h, 7d or 30d, at most 400d`, {
      extensions: { code: 'BAD_WINDOW' },
    });
  if (parsedWindows.size < 64) parsedWindows.set(window, ms);
  return ms;
}

/** A store sequence number parsed from a node id; undefined for anything else. */
export function serial(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

/** The last `lines` lines of a text (job output, log tails); null stays null. */
export function tail(text: string | null, lines: number): string | null {
  if (text === null) return null;
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all.slice(-Math.max(0, lines)).join('\n');
}
