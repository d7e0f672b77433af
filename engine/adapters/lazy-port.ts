/** A port whose every method is asynchronous: it returns a promise, or an async iterable. */
type AsyncPort<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> | AsyncIterable<unknown> };

/** The names of a port's methods that return an async iterable (a stream) rather than a promise. */
export type StreamMethod<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => AsyncIterable<unknown> ? K : never;
}[keyof T];

type Method = (...args: unknown[]) => unknown;

/**
 * A stand-in for a port whose implementation is costly to load (a client library of 0.2 s):
 * each call awaits `load(method, args)` — which may fail it, or return the implementation,
 * loaded once by the caller's own cache — then makes the same call on what it returns.
 *
 * Only the port's methods are forwarded; the compiler checks the stand-in against the port, and
 * `streams` must name every method that returns an async iterable (its call cannot wait for
 * `load` before returning), so a stream added to the port fails to compile until it is named.
 * The stand-in is not a thenable, so an async function may return it.
 */
export function lazyPort<T extends AsyncPort<T>>(
  load: (method: string, args: readonly unknown[]) => Promise<T>,
  streams: { readonly [K in StreamMethod<T>]: true },
): T {
  const methods = new Map<string, Method>();
  const forward = (name: string): Method => {
    const call = (real: T, args: unknown[]): unknown => Reflect.apply(real[name as keyof T], real, args);
    if (Object.hasOwn(streams, name)) {
      return (...args) =>
        (async function* () {
          yield* (await call(await load(name, args), args)) as AsyncIterable<unknown>;
        })();
    }
    return (...args) => load(name, args).then((real) => call(real, args));
  };
  return new Proxy({} as T, {
    get(_target, name) {
      // Symbols (util.inspect's) and `then` (a returned stand-in is awaited) are not methods of a port.
      if (typeof name !== 'string' || name === 'then') return undefined;
      let method = methods.get(name);
      if (!method) methods.set(name, (method = forward(name)));
      return method;
    },
  });
}
