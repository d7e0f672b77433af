import type { IncomingMessage, ServerResponse } from 'node:http';
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
    plugins: [auth],
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
