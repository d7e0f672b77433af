import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../load/secret-scrubber.js';
import { useScrubbedResults } from './scrubbed-results.js';

const SECRET = 'pl0y-api-secret-"quoted"\nline';

function api() {
  const scrubber = new SecretScrubber([SECRET]);
  return createYoga({
    schema: createSchema({
      typeDefs: 'type Query { output: String, fails: String } type Subscription { ticks: String }',
      resolvers: {
        Query: {
          output: () => `printed ${SECRET} and ${Buffer.from(SECRET).toString('base64')}`,
          fails: () => {
            throw new GraphQLError(`cannot read ${SECRET}`);
          },
        },
        Subscription: {
          ticks: {
            subscribe: async function* () {
              yield { ticks: `tick ${SECRET}` };
            },
          },
        },
      },
    }),
    plugins: [useGraphQlJit(), useScrubbedResults((t) => scrubber.scrub(t))],
  });
}

const post = (query: string, accept = 'application/json') =>
  api().fetch('http://api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query }),
  });

describe('useScrubbedResults', () => {
  it('masks a secret in data (compiled queries included) and keeps the answer valid JSON', async () => {
    const res = await post('{ output }');
    const text = await res.text();
    expect(text).not.toContain('pl0y-api-secret');
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 20));
    expect(JSON.parse(text).data.output).toMatch(/^printed \(sensitive\) and \(sensitive\)/);
  });

  it('masks a secret in an error message', async () => {
    const body = await (await post('{ fails }')).json();
    expect(body.errors[0].message).toBe('cannot read (sensitive)');
  });

  it('masks a secret in each event of a subscription', async () => {
    const text = await (await post('subscription { ticks }', 'text/event-stream')).text();
    expect(text).toContain('tick (sensitive)');
    expect(text).not.toContain('pl0y-api-secret');
  });
});
