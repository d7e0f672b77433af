import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { code, GENERATED, page, table } from './markdown.js';

/** `name(a: Int, b: String!): Type` for a field, arguments included. */
function signature(f: GraphQLField<unknown, unknown>): string {
  const args = f.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ');
  return `${f.name}${args ? `(${args})` : ''}: ${String(f.type)}`;
}

function rootSection(title: string, type: GraphQLObjectType | null | undefined): string {
  if (!type) return '';
  const fields = Object.values(type.getFields()).sort((a, b) => a.name.localeCompare(b.name));
  return [
    `## ${title}`,
    table(
      ['Field', 'Description'],
      fields.map((f) => [code(signature(f)), f.description ?? '']),
    ),
  ].join('\n\n');
}

/** The example queries in examples/graphql/: file name, its leading comment, its text. */
export function exampleQueries(root: string): Array<{ file: string; about: string; text: string }> {
  const dir = join(root, 'examples/graphql');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8').trimEnd();
      const about = text
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .map((l) => l.replace(/^#\s?/, ''))
        .join(' ');
      return { file, about, text };
    });
}

/** docs/reference/graphql.md: the API's entry points, a link to the whole schema, and the example queries. */
export function graphqlPage(root: string): string {
  const schema = buildSchema(readFileSync(join(root, 'schema/schema.graphql'), 'utf8'));
  return page([
    GENERATED,
    '# GraphQL API',
    '`ploy serve` answers GraphQL at `POST /graphql` on `api.listen` (with `Authorization: Bearer <api.token>` when a token is set), and subscriptions over server-sent events on the same path. The whole schema, with every type and field described, is [schema/schema.graphql](../../schema/schema.graphql) (`npm run schema:graphql` writes it from the code; a test fails when it is stale). Below: the entry points, generated from that file, and the example queries of [examples/graphql/](../../examples/graphql/).',
    rootSection('Queries', schema.getQueryType()),
    rootSection('Mutations', schema.getMutationType()),
    rootSection('Subscriptions', schema.getSubscriptionType()),
    '## Example queries',
    ...exampleQueries(root).map((q) =>
      [`### [${q.file}](../../examples/graphql/${q.file})`, q.about, `\`\`\`graphql\n${q.text}\n\`\`\``].join('\n\n'),
    ),
  ]);
}
