import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import { getNullableType, GraphQLError, isListType, Kind as AstKind } from 'graphql';
import type { ApiContext } from './context.js';
import { DEFAULT_LIMITS } from './deps.js';
import { maskSecrets } from './mask.js';

/** Largest page a connection returns; also the multiplier cap of the cost limit. */
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 50;

/**
 * The one schema builder. Each GraphQL type registers itself on it in its own file under
 * types/; schema.ts imports them all and builds the schema.
 */
export const builder = new SchemaBuilder<{
  Context: ApiContext;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Node ids are opaque to clients; inside they are `Type:key` (Revision:12, Monitor:api).
    nodeQueryOptions: {},
    nodesQueryOptions: false,
  },
  complexity: {
    // A connection's selection costs once per row it may return: `first: 1000` of a type
    // with 5 fields costs 5,000, so the limit bounds rows × fields, not just the query's size.
    // Its `edges` list is already counted by that; other lists (changes, labels) count 10.
    fieldComplexity: (args, _ctx, field) => {
      if (args.first != null || args.last != null) {
        const rows = Number(args.first ?? args.last);
        return { field: 1, multiplier: Math.min(Math.max(rows, 1), MAX_PAGE) };
      }
      if (field.name === 'edges') return { field: 1, multiplier: 1 };
      if (field.type.toString().endsWith('Connection!')) return { field: 1, multiplier: DEFAULT_PAGE };
      return { field: 1, multiplier: isListType(getNullableType(field.type)) ? 10 : 1 };
    },
    limit: (ctx) => ({ ...DEFAULT_LIMITS, ...ctx.deps.limits }),
    complexityError: (kind, result) => {
      const key = kind.toLowerCase() as 'depth' | 'breadth' | 'complexity';
      const max = { depth: result.maxDepth, breadth: result.maxBreadth, complexity: result.maxComplexity }[key];
      return new GraphQLError(`query ${key} ${result[key]} exceeds the limit of ${max}`, {
        extensions: { code: 'QUERY_TOO_COMPLEX', kind },
      });
    },
  },
});

builder.queryType({});
builder.subscriptionType({});

builder.scalarType('DateTime', {
  description: 'An instant, as an RFC 3339 string in UTC.',
  serialize: (d) => (d instanceof Date ? d.toISOString() : new Date(d as string).toISOString()),
  parseValue: (v) => {
    const d = new Date(String(v));
    if (Number.isNaN(d.getTime())) throw new GraphQLError(`"${String(v)}" is not an RFC 3339 date-time`);
    return d;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== AstKind.STRING) throw new GraphQLError('a DateTime is written as a string');
    const d = new Date(ast.value);
    if (Number.isNaN(d.getTime())) throw new GraphQLError(`"${ast.value}" is not an RFC 3339 date-time`);
    return d;
  },
});

builder.scalarType('JSON', {
  description: 'A JSON value. Secrets inside it are always shown as "(sensitive)".',
  serialize: (v) => maskSecrets(v),
  parseValue: (v) => v,
});
