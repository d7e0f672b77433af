import type { IncomingMessage, ServerResponse } from 'node:http';

/** Caps on open subscription streams: per client address, and in all. */
export interface StreamCaps {
  perClient: number;
  total: number;
}

/** Whether a `/graphql` request asks for a stream (SSE), as yoga decides it: by its Accept header. */
export const wantsStream = (req: IncomingMessage) => /\btext\/event-stream\b/i.test(String(req.headers.accept ?? ''));

/**
 * Counts open server-sent-event streams by the client's address and in total. `admit` either
 * takes a slot, released when the response closes (the client went away or the server ended
 * it), or returns why not. Behind a proxy every client shares the proxy's address: size
 * `perClient` for that.
 */
export function streamCounter(caps: StreamCaps) {
  const byClient = new Map<string, number>();
  let open = 0;
  return {
    admit(req: IncomingMessage, res: ServerResponse): 'ok' | 'client-full' | 'server-full' {
      const client = req.socket.remoteAddress ?? 'unknown';
      const mine = byClient.get(client) ?? 0;
      if (open >= caps.total) return 'server-full';
      if (mine >= caps.perClient) return 'client-full';
      open++;
      byClient.set(client, mine + 1);
      res.once('close', () => {
        open--;
        const left = (byClient.get(client) ?? 1) - 1;
        if (left > 0) byClient.set(client, left);
        else byClient.delete(client);
      });
      return 'ok';
    },
    /** Streams open now (for tests and metrics). */
    get open() {
      return open;
    },
  };
}
