import { describe, expect, it } from 'vitest';
import { lazyPort } from './lazy-port.js';

interface Port {
  get(id: string): Promise<string>;
  watch(id: string): AsyncIterable<string>;
}

/** A port whose implementation is loaded on demand, counting the loads. */
function counted(fail?: Error) {
  const loads: string[] = [];
  const real: Port = {
    get: async (id) => `got ${id}`,
    async *watch(id) {
      yield `${id} 1`;
      yield `${id} 2`;
    },
  };
  const port = lazyPort<Port>(
    async (method, args) => {
      loads.push(`${method}(${args.join(', ')})`);
      if (fail) throw fail;
      return real;
    },
    { watch: true },
  );
  return { port, loads };
}

describe('lazyPort', () => {
  it('loads nothing until a method is called, then makes the same call on what it loaded', async () => {
    const { port, loads } = counted();
    expect(loads).toEqual([]);
    expect(await port.get('a')).toBe('got a');
    expect(loads).toEqual(['get(a)']);
  });

  it('returns a stream at once and reads it from what it loads', async () => {
    const { port, loads } = counted();
    const stream = port.watch('w');
    expect(loads).toEqual([]);
    const seen: string[] = [];
    for await (const line of stream) seen.push(line);
    expect(seen).toEqual(['w 1', 'w 2']);
  });

  it('fails a call, and a stream, with the error the loader gives', async () => {
    const { port } = counted(new Error('not here'));
    await expect(port.get('a')).rejects.toThrow('not here');
    await expect(port.watch('w')[Symbol.asyncIterator]().next()).rejects.toThrow('not here');
  });

  it('can be returned from an async function without being taken for a promise', async () => {
    const { port, loads } = counted();
    const made = await (async () => port)();
    expect(made).toBe(port);
    expect(loads).toEqual([]);
  });

  it('is checked by the compiler against the port and its streams', () => {
    const load = async (): Promise<Port> => counted().port;
    // @ts-expect-error -- `watch` returns a stream: leaving it out does not compile.
    lazyPort<Port>(load, {});
    // @ts-expect-error -- `get` returns a promise, not a stream.
    lazyPort<Port>(load, { watch: true, get: true });
    // @ts-expect-error -- a port with a synchronous method cannot be loaded lazily.
    lazyPort<{ now(): number }>(async () => ({ now: () => 1 }), {});
  });
});
