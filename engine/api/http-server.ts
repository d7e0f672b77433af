import { createServer, type Server } from 'node:http';
import type { ReconcileResult } from '../runtime/reconciler.js';

export interface HttpDeps {
  version: string;
  /** The last reconcile's result, for the health endpoint. */
  lastSync(): ReconcileResult | undefined;
}

/** `host:port` → its parts; a bare port listens on loopback. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[?([^\]]*)\]?:)?(\d+)$/.exec(listen);
  if (!m) throw new Error(`api.listen "${listen}" is not host:port`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/**
 * The engine's HTTP server. `GET /healthz` answers 200 while the engine runs (a monitor of the
 * engine itself points here), with the revision it last reconciled; the GraphQL API and the UI
 * mount on this server as they are built.
 */
export function startHttpServer(listen: string, deps: HttpDeps): Promise<Server> {
  const { host, port } = parseListen(listen);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      const last = deps.lastSync();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version: deps.version, revision: last?.revision ?? null, sync: last?.outcome ?? 'starting' }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
