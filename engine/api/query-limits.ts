import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  parse,
  type ParseOptions,
  type SelectionSetNode,
  type Source,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { QueryLimits } from './deps.js';

/** The size of a query as the limits see it; fragments counted once per spread, as execution would. */
export interface QueryShape {
  /** Deepest field nesting of any operation, not counting inside `__schema` and `__type`. */
  depth: number;
  /** Fields selected in the largest operation, fragments expanded. */
  fields: number;
  /** Aliases written in the document. */
  aliases: number;
  /** Directives written in the document. */
  directives: number;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

const tooComplex = (kind: string, message: string, status = 400) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', kind, http: { status } } });

/**
 * Measures a parsed query in one pass over each selection set: every fragment is measured once
 * (memoised), so a chain of fragments that spread each other twice costs linear time here
 * although its expansion is exponential. A cycle of fragments counts as nothing: graphql-js's
 * NoFragmentCycles rule reports it.
 */
export function measureQuery(document: DocumentNode): QueryShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let aliases = 0;
  let directives = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    if ('directives' in d) directives += d.directives?.length ?? 0;
  }
  const memo = new Map<string, { depth: number; fields: number }>();
  const active = new Set<string>();

  function selectionSet(set: SelectionSetNode): { depth: number; fields: number } {
    let depth = 0;
    let fields = 0;
    for (const s of set.selections) {
      // Every node is visited once (fragments are memoised), so aliases and directives count as written.
      directives += s.directives?.length ?? 0;
      if (s.kind === Kind.FIELD) {
        if (s.alias) aliases++;
        const sub = s.selectionSet ? selectionSet(s.selectionSet) : { depth: 0, fields: 0 };
        // Introspection nests deeper than any data query (GraphiQL's own: 15); graphql-js's
        // MaxIntrospectionDepthRule bounds the part of it that costs (fields, interfaces, ...).
        depth = Math.max(depth, INTROSPECTION_ROOTS.has(s.name.value) ? 1 : 1 + sub.depth);
        fields += 1 + sub.fields;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const sub = selectionSet(s.selectionSet);
        depth = Math.max(depth, sub.depth);
        fields += sub.fields;
      } else {
        const sub = fragment(s.name.value);
        depth = Math.max(depth, sub.depth);
        fields += sub.fields;
      }
      // Past any sensible limit the exact figure does not matter; stop the numbers growing without bound.
      if (fields > Number.MAX_SAFE_INTEGER / 4) fields = Number.MAX_SAFE_INTEGER / 4;
    }
    return { depth, fields };
  }

  function fragment(name: string): { depth: number; fields: number } {
    const known = memo.get(name);
    if (known) return known;
    const def = fragments.get(name);
    if (!def || active.has(name)) return { depth: 0, fields: 0 };
    active.add(name);
    const result = selectionSet(def.selectionSet);
    active.delete(name);
    memo.set(name, result);
    return result;
  }

  let depth = 0;
  let fields = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) {
      const op = selectionSet(d.selectionSet);
      depth = Math.max(depth, op.depth);
      fields = Math.max(fields, op.fields);
    }
  }
  // Fragments no operation spreads are still written text: their aliases and directives count.
  for (const name of fragments.keys()) fragment(name);
  return { depth, fields, aliases, directives };
}

/** The limits a measured query exceeds, as GraphQL errors (empty: within every limit). */
export function checkQuery(document: DocumentNode, limits: QueryLimits): GraphQLError[] {
  const shape = measureQuery(document);
  const over: Array<[string, keyof QueryShape, number]> = [
    ['Depth', 'depth', limits.depth],
    ['Breadth', 'fields', limits.breadth],
    ['Aliases', 'aliases', limits.aliases],
    ['Directives', 'directives', limits.directives],
  ];
  const errors: GraphQLError[] = [];
  for (const [kind, key, max] of over) {
    if (shape[key] <= max) continue;
    const what = key === 'fields' ? 'breadth' : key;
    errors.push(tooComplex(kind, `query ${what} ${shape[key]} exceeds the limit of ${max}`));
  }
  return errors;
}

/**
 * Enforces {@link QueryLimits} before graphql-js validates a query, before it is compiled and
 * before it runs: the parser stops after `tokens` tokens (so a huge query is never turned into
 * a tree), and a query over the depth, breadth, alias or directive limit is answered with that
 * error alone: graphql-js's own rules (OverlappingFieldsCanBeMerged is quadratic in fields)
 * never see it. Cost, which needs argument values, stays with the schema's complexity plugin,
 * which runs on a query already known to be small.
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  const limitedParse = (source: string | Source, options?: ParseOptions) => {
    try {
      return parse(source, { ...options, maxTokens: limits.tokens });
    } catch (e) {
      // graphql-js 16 words it "more that N tokens"; either spelling.
      if (e instanceof GraphQLError && /contains more tha[nt] \d+ tokens/.test(e.message))
        throw tooComplex('Tokens', `query has more than ${limits.tokens} tokens, the limit`);
      throw e;
    }
  };
  return {
    onParse({ setParseFn }) {
      setParseFn(limitedParse);
    },
    onValidate({ params, setResult }) {
      const errors = checkQuery(params.documentAST, limits);
      if (errors.length > 0) setResult(errors);
    },
  };
}
