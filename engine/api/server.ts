import type { IncomingMessage, ServerResponse } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { type DocumentNode, Kind, type OperationTypeNode } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { type ApiContext, createContext } from './context.js';
import { type ApiDeps, DEFAULT_LIMITS } from './deps.js';
import { createLiveFeeds, type LiveFeeds } from './live-feeds.js';
import { useQueryLimits } from './query-limits.js';
import { apiSchema } from './schema.js';
import { useScrubbedResults } from './scrubbed-results.js';
import { checkBearer } from './webhooks.js';

/** The GraphQL API: handles `/graphql` (queries, SSE subscriptions, GraphiQL). */
export interface Api {
  yoga: YogaServerInstance<Record<string, never>, ApiContext>;
  live: LiveFeeds;
  /** Node's request handler, for the engine's HTTP server. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** `Authorization: Bearer <api.token>` present and right, or no token configured. */
  authorized(headers: Record<string, string | undefined>): boolean;
}

export interface ApiLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The largest `/graphql` request body by default (`api.limits.body`). */
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024;

/** The type of the operation a request runs: the named one, or the document's only one. */
function operationOf(document: DocumentNode, name: string | null | undefined): OperationTypeNode | undefined {
  for (const d of document.definitions)
    if (d.kind === Kind.OPERATION_DEFINITION && (!name || d.name?.value === name)) return d.operation;
  return undefined;
}

/**
 * Builds the API. Read-only: the schema has no mutations. With `token` set, every request
 * needs it (GraphiQL's page is served by the HTTP server, not here: it holds no data). CORS is
 * off: browsers on other origins get no access. A body over `maxBodyBytes` is refused (413) on
 * its Content-Length or as soon as that many bytes arrived; a query over the limits is refused
 * before graphql-js validates it (query-limits.ts). Errors not raised on purpose reach clients
 * as "Unexpected error." (yoga's masking) and are logged here with their cause.
 */
export function createApi(deps: ApiDeps, log: ApiLog): Api {
  const live = createLiveFeeds(deps, (err) => log.warn({ err: String(err) }, 'a live feed poll failed; retrying'));
  const authorized = (headers: Record<string, string | undefined>) =>
    deps.token === undefined || checkBearer(headers, deps.token);
  const auth: Plugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      if (authorized(Object.fromEntries(request.headers))) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({ errors: [{ message: 'a valid Authorization: Bearer <api.token> is required' }] }),
          {
            status: 401,
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
          },
        ),
      );
    },
  };
  const yoga = createYoga<Record<string, never>, ApiContext>({
    schema: apiSchema(),
    graphqlEndpoint: '/graphql',
    context: () => createContext(deps, live),
    cors: false,
    maskedErrors: true,
    batching: false,
    // Yoga's GraphiQL loads its scripts from a public CDN; http-server.ts serves a bundled one.
    graphiql: false,
    landingPage: false,
    maxRequestBodySize: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    // Queries compiled once per document (graphql-jit; yoga keeps parsed documents, so the
    // compiled form is reused): a 1,000-monitor dashboard spent most of its time, and most of
    // its garbage, in graphql-js's general-purpose executor. Subscriptions stay on graphql-js:
    // graphql-jit's subscribe passed no variables to the event filter's arguments.
    plugins: [
      auth,
      // Before the compiled-query plugin: a query over the limits is never validated or compiled.
      useQueryLimits({ ...DEFAULT_LIMITS, ...deps.limits }),
      useGraphQlJit({}, { enableIf: ({ document, operationName }) => operationOf(document, operationName) === 'query' }),
      ...(deps.scrubber ? [useScrubbedResults((text) => deps.scrubber!.scrub(text))] : []),
    ],
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...args: unknown[]) => log.warn({ detail: args.map(String) }, 'graphql'),
      error: (...args: unknown[]) => log.error({ detail: args.map(String) }, 'graphql request failed'),
    },
  });
  return {
    yoga,
    live,
    authorized,
    handle: (req, res) => void yoga.handle(req, res),
  };
}
