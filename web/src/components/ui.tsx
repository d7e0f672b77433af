import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, setToken } from '../api.js';
import { absolute, relative } from '../format.js';

const BAD = new Set(['down', 'failed', 'invalid', 'error', 'partial', 'interrupted', 'rolled-back', 'unhealthy', 'drifted']);
const OK = new Set(['up', 'succeeded', 'applied', 'delivered', 'in-sync', 'ok', 'running', 'healthy', 'active']);

/** How bad a status is, for ordering (failing first) and colour. */
export const tone = (status: string | null | undefined): 'bad' | 'ok' | 'warn' =>
  !status ? 'warn' : BAD.has(status) ? 'bad' : OK.has(status) ? 'ok' : 'warn';
export const isFailingEvent = (type: string) => /\.(failed|down|error)$/.test(type) || type.endsWith('.invalid');

export function Status({ value }: { value: string | null | undefined }) {
  return <span class={`status ${tone(value)}`}>{value ?? 'unknown'}</span>;
}

// One timer for every relative time on the page, so "2 minutes ago" keeps counting.
const clockListeners = new Set<() => void>();
setInterval(() => clockListeners.forEach((l) => l()), 30_000);

/** A date: relative, with the full date in the viewer's timezone on hover and for screen readers. */
export function Time({ at }: { at: string | null | undefined }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    clockListeners.add(l);
    return () => void clockListeners.delete(l);
  }, []);
  if (!at) return <span class="muted">—</span>;
  return (
    <time dateTime={at} title={absolute(at)}>
      {relative(at)}
    </time>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export const Empty = ({ children }: { children: ComponentChildren }) => <p class="empty">{children}</p>;

export function Loading() {
  return (
    <p class="muted" role="status">
      Loading…
    </p>
  );
}

/** The login field, shown when the API needs a token or refused the one given. */
export function Login({ refused }: { refused: boolean }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="card login"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value.trim() || null);
      }}
    >
      <h2>{refused ? 'API token invalid' : 'API token missing'}</h2>
      <p>
        {refused
          ? 'The engine refused the token. Enter the value of api.token from ploy.config.yaml.'
          : 'This engine requires a token (api.token in ploy.config.yaml). It is kept only for this browser tab.'}
      </p>
      <label>
        API token{' '}
        <input
          type="password"
          autoComplete="current-password"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          required
        />
      </label>{' '}
      <button type="submit">Sign in</button>
    </form>
  );
}

/** What went wrong, in words: token missing or refused, engine unreachable, or the API's message. */
export function ErrorState({ error }: { error: ApiError }) {
  if (error.kind === 'unauthorized') return <Login refused={error.message.includes('refused')} />;
  if (error.kind === 'unreachable')
    return (
      <div class="card error" role="alert">
        <h2>API unreachable</h2>
        <p>{error.message} Is `ploy serve` running? The page retries when the connection returns.</p>
        <button type="button" onClick={() => location.reload()}>
          Retry now
        </button>
      </div>
    );
  return (
    <div class="card error" role="alert">
      <h2>The API returned an error</h2>
      <p>{error.message}</p>
    </div>
  );
}

/** Shows loading, error or the page. */
export function Page<T>({
  q,
  children,
}: {
  q: { data?: T; error?: ApiError; loading: boolean };
  children: (data: T) => ComponentChildren;
}) {
  if (q.error && (!q.data || q.error.kind === 'unauthorized')) return <ErrorState error={q.error} />;
  if (!q.data) return <Loading />;
  return (
    <>
      {q.error && (
        <p class="banner" role="alert">
          Showing older data: {q.error.message}
        </p>
      )}
      {children(q.data)}
    </>
  );
}

export function Labels({ labels }: { labels: { key: string; value: string }[] }) {
  if (!labels.length) return null;
  return (
    <ul class="labels" aria-label="labels">
      {labels.map((l) => (
        <li key={l.key}>
          {l.key}={l.value}
        </li>
      ))}
    </ul>
  );
}

export function Pre({ text, label }: { text: string | null | undefined; label: string }) {
  if (!text) return <span class="muted">no output</span>;
  return (
    <pre class="output" tabIndex={0} aria-label={label}>
      {text}
    </pre>
  );
}

/** A JSON value (spec, conditions) as indented text; secrets are already "(sensitive)" from the API. */
export const Json = ({ value, label }: { value: unknown; label: string }) => (
  <Pre text={JSON.stringify(value, null, 2)} label={label} />
);
