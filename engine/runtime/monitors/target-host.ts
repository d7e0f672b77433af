import { createHash } from 'node:crypto';
import { isSensitive, reveal } from '../../model/sensitive.js';
import type { ProbeKind } from '../../probes/index.js';

/** The host a check talks to: the key of its concurrency limit, and how /metrics names it. */
export interface TargetHost {
  key: string;
  /** The host itself, or a digest when it came from a secret (metrics must not show it). */
  label: string;
}

/** The field of each probe that names the host it connects to; docker and push talk to no host. */
const HOST_FIELD: Partial<Record<ProbeKind, string>> = { tcp: 'host', tls: 'host', ping: 'host', dns: 'server' };

/**
 * Where a monitor's checks go. Hosts compare case-insensitively and without port: two services
 * on one machine share its slots, which is the point when that machine is the slow one.
 */
export function targetHost(probe: ProbeKind, config: Record<string, unknown>): TargetHost | undefined {
  let raw: unknown;
  let host: string | undefined;
  if (probe === 'http') {
    // An app target resolves to a container address at check time; the app is the host.
    if (typeof config.app === 'string') return { key: `app:${config.app}`, label: `app:${config.app}` };
    raw = config.url;
    try {
      host = new URL(String(reveal(raw))).hostname;
    } catch {
      return undefined;
    }
  } else {
    const field = HOST_FIELD[probe];
    if (!field) return undefined;
    raw = config[field];
    if (raw === undefined) return undefined;
    host = hostOf(String(reveal(raw)), probe === 'dns');
  }
  if (!host) return undefined;
  const key = host.toLowerCase().replace(/^\[|\]$/g, '');
  const label = isSensitive(raw) ? `secret:${createHash('sha256').update(key).digest('hex').slice(0, 12)}` : key;
  return { key, label };
}

/** A dns `server` may carry a port (`host:53`, `[v6]:53`); a bare IPv6 address has none. */
function hostOf(value: string, mayHavePort: boolean): string {
  if (!mayHavePort) return value;
  const v6 = /^\[([^\]]+)\]/.exec(value);
  if (v6) return v6[1];
  return value.split(':').length === 2 ? value.split(':')[0] : value;
}
