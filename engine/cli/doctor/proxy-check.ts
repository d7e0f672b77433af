import { request } from 'undici';
import { type Check, type CheckOutcome, fail, ok, warn } from './check.js';

/**
 * Caddy's admin API, when `proxy` is configured: it answers GET /config/. A managed Caddy
 * (`manage: true`) that is not running yet is only a warning: ploy serve starts it.
 */
export const proxyCheck: Check = async ({ config, signal }): Promise<CheckOutcome> => {
  if (!config.proxy) return { lines: [ok('proxy', "not configured (apps' routes are not served)")] };
  const { admin, manage } = config.proxy.caddy;
  const url = new URL('/config/', admin);
  let problem: string;
  try {
    // undici's request, not fetch: fetch refuses some ports outright (the Fetch standard's "bad ports").
    const res = await request(url, { signal });
    await res.body.dump();
    if (res.statusCode === 200) return { lines: [ok('proxy', `Caddy admin API at ${admin} answers`)] };
    problem = `Caddy admin API at ${admin} answered HTTP ${res.statusCode} to GET /config/`;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    problem = `Caddy admin API at ${admin} is not reachable (${e.code ?? e.message})`;
  }
  if (manage)
    return {
      lines: [
        warn(
          'proxy',
          `${problem}; Ploy runs this Caddy itself (manage: true)`,
          'ploy serve starts it; if it stays down, see docker logs ploy-caddy.',
        ),
      ],
    };
  return {
    lines: [
      fail(
        'proxy',
        problem,
        `Start Caddy with its admin API on ${admin} (caddy run), or correct proxy.caddy.admin; or set proxy.caddy.manage: true to let Ploy run it.`,
      ),
    ],
  };
};
