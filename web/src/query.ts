import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, gql, onAuthChange } from './api.js';
import type { TypedDocument, ResultOf, VariablesOf } from './graphql.js';
import { useLive } from './live.js';

export interface QueryState<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
}

/**
 * Runs a query and re-runs it when its variables change, when the token changes, and (with
 * `live`) when a live event arrives — at most once per 500 ms, keeping the old data meanwhile.
 * With `skip` it waits (to order requests: a single-connection store answers them in turn).
 */
export function useQuery<D extends TypedDocument>(
  query: D,
  variables: VariablesOf<D>,
  opts: { live?: boolean; skip?: boolean } = {},
): QueryState<ResultOf<D>> {
  const [state, setState] = useState<QueryState<ResultOf<D>>>({ loading: true });
  const [auth, setAuth] = useState(0);
  const live = useLive();
  const [liveTick, setLiveTick] = useState(live.tick);
  const key = JSON.stringify(variables);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => onAuthChange(() => setAuth((n) => n + 1)), []);
  useEffect(() => {
    if (!opts.live || live.tick === liveTick) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setLiveTick(live.tick), 500);
  }, [live.tick, opts.live]);
  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    if (opts.skip) return;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    gql(query, variables, ctrl.signal).then(
      (data) => setState({ data, loading: false }),
      (error) => {
        if ((error as Error).name !== 'AbortError')
          setState((s) => ({
            data: s.data,
            error: error instanceof ApiError ? error : new ApiError('graphql', String(error)),
            loading: false,
          }));
      },
    );
    return () => ctrl.abort();
  }, [query, key, auth, liveTick, opts.skip]);
  return state;
}
