import { resolveArrayConnection, resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Page } from '../ports/read-model.js';
import { DEFAULT_PAGE, MAX_PAGE } from './builder.js';

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

// Cursors are opaque to clients (base64url of the row id) so the ordering key may change.
const toCursor = (id: number) => Buffer.from(`id:${id}`).toString('base64url');
function fromCursor(cursor: string): number {
  const m = /^id:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new GraphQLError(`"${cursor}" is not a cursor of this connection`, { extensions: { code: 'BAD_CURSOR' } });
  return Number(m[1]);
}

function checkSize(args: ConnectionArgs) {
  for (const n of [args.first, args.last])
    if (n != null && (n < 0 || n > MAX_PAGE))
      throw new GraphQLError(`a page holds 0 to ${MAX_PAGE} rows`, { extensions: { code: 'BAD_PAGE_SIZE' } });
}

/**
 * A Relay connection over rows keyed by a growing id, newest first: `first`/`after` walk to
 * older rows, `last`/`before` to newer ones. `read` gets a keyset page (see ReadModel.Page).
 */
export function keysetConnection<T extends { id: number }>(args: ConnectionArgs, read: (page: Page) => Promise<T[]>) {
  checkSize(args);
  return resolveCursorConnection<Promise<T[]>>(
    { args, toCursor: (r: T) => toCursor(r.id), defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE },
    ({ before, after, limit, inverted }) =>
      read({
        limit,
        inverted,
        ...(after ? { after: fromCursor(after) } : {}),
        ...(before ? { before: fromCursor(before) } : {}),
      }),
  );
}

/** A Relay connection over a list already in memory (applied resources: a few thousand at most). */
export function arrayConnection<T>(args: ConnectionArgs, items: readonly T[]) {
  checkSize(args);
  return resolveArrayConnection({ args, defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE }, items);
}
