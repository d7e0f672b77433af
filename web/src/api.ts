// The UI's only way to the engine: GraphQL over HTTP (queries) and SSE (subscriptions) at
// /graphql on the same origin, with the bearer token from the login field when one is set.
import type { TypedDocument, ResultOf, VariablesOf } from './graphql.js';

const TOKEN_KEY = 'ploy.token';

/** Why a request failed, in the terms the UI shows: token missing/invalid, engine unreachable, or an API error. */
export class ApiError extends Error {
  constructor(
    readonly kind: 'unauthorized' | 'unreachable' | 'graphql',
    message: string,
  ) {
    super(message);
  }
}

// The token lives in sessionStorage: gone when the tab closes, never in a URL or a cookie.
export const getToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  authListeners.forEach((l) => l());
}
const authListeners = new Set<() => void>();
/** Called whenever the token changes (log in, log out). */
export function onAuthChange(listener: () => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

function headers(accept: string): Record<string, string> {
  const token = getToken();
  return { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

/** Runs one query; throws ApiError. Its data is typed by the document (see graphql.ts). */
export async function gql<D extends TypedDocument>(query: D, variables: VariablesOf<D>, signal?: AbortSignal): Promise<ResultOf<D>> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: headers('application/json'),
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('unreachable', 'The engine’s API cannot be reached.');
  }
  if (res.status === 401)
    throw new ApiError('unauthorized', getToken() ? 'The API token was refused.' : 'The API needs a token.');
  let body: { data?: ResultOf<D>; errors?: { message: string }[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError('unreachable', `The API answered HTTP ${res.status} without GraphQL.`);
  }
  if (body.errors?.length) throw new ApiError('graphql', body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new ApiError('unreachable', `The API answered HTTP ${res.status} without data.`);
  return body.data;
}

/**
 * Subscribes over SSE (POST with `Accept: text/event-stream`, so the token travels in a header,
 * which EventSource cannot send). Reconnects after a drop; returns the unsubscribe.
 */
export function subscribe<D extends TypedDocument>(
  query: D,
  variables: VariablesOf<D>,
  onData: (data: ResultOf<D>) => void,
  onState?: (connected: boolean) => void,
): () => void {
  let stopped = false;
  let ctrl: AbortController | undefined;
  const run = async () => {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: headers('text/event-stream'),
          body: JSON.stringify({ query, variables }),
          signal: ctrl.signal,
        });
        // Without a valid token retrying is pointless: a new token restarts the subscriptions.
        if (res.status === 401) return onState?.(false);
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onState?.(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const chunk = buf.slice(0, end);
            buf = buf.slice(end + 2);
            const data = chunk
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (!data) continue;
            try {
              const msg = JSON.parse(data) as { data?: ResultOf<D> };
              if (msg.data) onData(msg.data);
            } catch {
              // A keep-alive or a malformed frame: nothing to show.
            }
          }
        }
      } catch {
        // Dropped or refused: the pages show their own errors; retry quietly.
      }
      onState?.(false);
      if (!stopped) await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return () => {
    stopped = true;
    ctrl?.abort();
  };
}
