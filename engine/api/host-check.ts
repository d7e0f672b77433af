import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { isLoopback, listenHost } from '../config/api-settings.js';

/** What a request's Host and Origin say: served, for a host this server is not (421), or from a foreign page (403). */
export type HostVerdict = 'ok' | 'unknown-host' | 'foreign-origin';

/** `host[:port]` → its lower-case name (brackets kept off an IPv6 literal) and port, or undefined. */
function splitHost(value: string): { name: string; port?: string } | undefined {
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s/]+))(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return undefined;
  return { name: (m[1] ?? m[2]).toLowerCase().replace(/\.$/, ''), port: m[3] };
}

/**
 * The DNS-rebinding and cross-origin guard. A rebinding page runs on the attacker's name (its
 * DNS answer later points at 127.0.0.1), so its requests carry `Host: attacker.example`: only
 * names this server is known by are answered — loopback names, IP address literals (a literal
 * cannot be rebound), the listen address and `api.hosts`. An entry of `api.hosts` with a port
 * matches that port only.
 *
 * Browsers add `Origin` to cross-origin requests and to same-origin POSTs; one is accepted when
 * it is this very origin (same host and port as `Host`) or a name of `api.hosts`. Clients that
 * are not browsers send no Origin and are not affected.
 */
export function hostGuard(opts: { listen: string; hosts: readonly string[] }): (req: IncomingMessage) => HostVerdict {
  const listen = listenHost(opts.listen).toLowerCase();
  const listed = opts.hosts.map((h) => splitHost(h)).filter((h) => h !== undefined);
  const isListed = (h: { name: string; port?: string }) =>
    listed.some((l) => l.name === h.name && (l.port === undefined || l.port === h.port));
  const known = (h: { name: string; port?: string }) =>
    isLoopback(h.name) || isIP(h.name) !== 0 || h.name === listen || isListed(h);

  return (req) => {
    const hostHeader = req.headers.host;
    const host = hostHeader === undefined ? undefined : splitHost(hostHeader);
    if (!host || !known(host)) return 'unknown-host';
    const origin = req.headers.origin;
    if (origin === undefined) return 'ok';
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return 'foreign-origin';
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) return 'foreign-origin';
    if (url.host.toLowerCase() === hostHeader!.trim().toLowerCase()) return 'ok';
    const from = splitHost(url.host);
    return from && isListed(from) ? 'ok' : 'foreign-origin';
  };
}
