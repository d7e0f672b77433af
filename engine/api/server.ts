import type { IncomingMessage, ServerResponse } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { type DocumentNode, Kind, type OperationTypeNode } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { type ApiContext, createContext } from './context.js';
import type { ApiDeps } from './deps.js';
import { createLiveFeeds, type LiveFeeds } from './live-feeds.js';
import { apiSchema } from './schema.js';
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

const isGraphiqlPage = (request: Request) =>
  request.method === 'GET' &&
  (request.headers.get('accept') ?? '').includes('text/html') &&
  !new URL(request.url).searchParams.has('query');

/**
 * Builds the API. Read-only: the schema has no mutations. With `token` set, every request
 * needs it (the GraphiQL page itself loads without it — it holds no data — and its requests
 * carry the header you set in it). CORS is off: browsers on other origins get no access.
 * Errors not raised on purpose reach clients as "Unexpected error." (yoga's masking) and
 * are logged here with their cause.
 */
/** The type of the operation a request runs: the named one, or the document's only one. */
function operationOf(document: DocumentNode, name: string | null | undefined): OperationTypeNode | undefined {
  for (const d of document.definitions)
    if (d.kind === Kind.OPERATION_DEFINITION && (!name || d.name?.value === name)) return d.operation;
  return undefined;
}

export function createApi(deps: ApiDeps, log: ApiLog): Api {
  const live = createLiveFeeds(deps, (err) => log.warn({ err: String(err) }, 'a live feed poll failed; retrying'));
  const authorized = (headers: Record<string, string | undefined>) =>
    deps.token === undefined || checkBearer(headers, deps.token);
  const auth: Plugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      if (isGraphiqlPage(request) || authorized(Object.fromEntries(request.headers))) return;
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
    graphiql: { title: 'Ploy', subscriptionsProtocol: 'SSE' },
    landingPage: false,
    // Queries compiled once per document (graphql-jit; yoga keeps parsed documents, so the
    // compiled form is reused): a 1,000-monitor dashboard spent most of its time, and most of
    // its garbage, in graphql-js's general-purpose executor. Subscriptions stay on graphql-js:
    // graphql-jit's subscribe passed no variables to the event filter's arguments.
    plugins: [
      auth,
      useGraphQlJit({}, { enableIf: ({ document, operationName }) => operationOf(document, operationName) === 'query' }),
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
