import { parseListen } from '../../api/http-server.js';
import { pushToken } from '../../runtime/monitors/push-token.js';
import type { CliDeps } from '../deps.js';
import { printDiagnostics } from '../output.js';
import { type CommonFlags, configFrom } from '../prepare.js';

export interface PushUrlFlags extends CommonFlags {
  /** Where callers reach the engine, e.g. https://ploy.example.com (default: api.listen). */
  baseUrl?: string;
}

/**
 * `ploy monitors push-urls`: the URL of every applied push monitor, token included. The only
 * place a push token is shown; it is derived from the store's secret key, so nothing is stored.
 */
export async function pushUrlsCommand(deps: CliDeps, flags: PushUrlFlags): Promise<number> {
  const { config, diagnostics } = configFrom(deps, flags);
  if (!config) {
    printDiagnostics(deps.stderr, diagnostics, !!deps.stderr.isTTY);
    return 1;
  }
  const store = await deps.openStore(config);
  try {
    const [key, applied] = await Promise.all([store.secretKey(), store.listApplied()]);
    const push = applied.filter((a) => a.kind === 'Monitor' && (a.spec as Record<string, unknown>).push !== undefined);
    if (push.length === 0) {
      deps.stderr.write('No push monitors are applied.\n');
      return 0;
    }
    const { host, port } = parseListen(config.api.listen);
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    const base = (flags.baseUrl ?? `http://${shownHost}:${port}`).replace(/\/+$/, '');
    const width = Math.max(...push.map((p) => p.name.length));
    for (const p of push) deps.stdout.write(`${p.name.padEnd(width)}  ${base}/push/${p.name}?token=${pushToken(key, p.name)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
