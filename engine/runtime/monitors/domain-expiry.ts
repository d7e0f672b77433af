/** Where RDAP queries go by default: rdap.org redirects each domain to its registry's server. */
export const DEFAULT_RDAP_URL = 'https://rdap.org';
/** An expiry date changes about once a year: one lookup per domain and half a day is plenty. */
const FOUND_TTL_MS = 12 * 3_600_000;
/** A failed lookup is retried sooner, but not on every check of every monitor. */
const FAILED_TTL_MS = 10 * 60_000;

type Found = { at: number } | { error: string };

export interface DomainExpiryLookup {
  /** When the registration of the domain behind `host` expires (ms since epoch), or why it is unknown. */
  expiresAt(host: string, signal: AbortSignal): Promise<Found>;
}

/**
 * [DOMAIN_EXPIRATION] through RDAP (RFC 9083: the `expiration` event of a domain), cached per
 * domain, and asked only when a condition reads it, for the host's registered domain (see
 * registeredDomains).
 */
export function rdapDomainExpiry(opts: { baseUrl?: string; now: () => number; fetch?: typeof fetch }): DomainExpiryLookup {
  const base = (opts.baseUrl ?? DEFAULT_RDAP_URL).replace(/\/+$/, '');
  const get = opts.fetch ?? fetch;
  /** Per queried domain, so every host under one domain shares one lookup. */
  const cache = new Map<string, { until: number; value: Promise<Found | 'unknown'> }>();

  async function ask(domain: string, signal: AbortSignal): Promise<Found | 'unknown'> {
    const res = await get(`${base}/domain/${encodeURIComponent(domain)}`, {
      headers: { accept: 'application/rdap+json, application/json' },
      signal,
    });
    if (res.status === 404) return 'unknown';
    if (!res.ok) return { error: `RDAP answered ${res.status} for ${domain}` };
    const doc = (await res.json()) as { events?: Array<{ eventAction?: string; eventDate?: string }> };
    const date = doc.events?.find((e) => e.eventAction === 'expiration')?.eventDate;
    const at = date ? Date.parse(date) : NaN;
    return Number.isFinite(at) ? { at } : { error: `RDAP gives no expiration date for ${domain}` };
  }

  function lookup(domain: string, signal: AbortSignal): Promise<Found | 'unknown'> {
    const now = opts.now();
    const hit = cache.get(domain);
    if (hit && hit.until > now) return hit.value;
    const value = ask(domain, signal).catch((err: Error) => ({ error: `RDAP lookup failed: ${err.message}` }));
    cache.set(domain, { until: now + FAILED_TTL_MS, value });
    // A found date is kept longer; failures and unknown domains are asked again sooner.
    void value.then((v) => typeof v === 'object' && 'at' in v && cache.set(domain, { until: now + FOUND_TTL_MS, value }));
    return value;
  }

  async function resolve(host: string, signal: AbortSignal): Promise<Found> {
    const domains = await registeredDomains(host);
    if (domains.length === 0) return { error: `${host} is not a registered domain` };
    for (const domain of domains) {
      const r = await lookup(domain, signal);
      if (r !== 'unknown') return r;
    }
    return { error: `RDAP does not know the domain of ${host}` };
  }

  return { expiresAt: resolve };
}

// tldts carries the whole Public Suffix List (~50 ms to load): loaded on the first lookup, not
// when `ploy serve` starts.
let suffixList: Promise<typeof import('tldts')> | undefined;

/**
 * The domains to ask RDAP about for `host`, in turn. Under a suffix in the ICANN section of the
 * Public Suffix List, the one registered domain it implies: `foo.bar.co.uk` → `bar.co.uk`,
 * `a.b.example.com` → `example.com`, and `x.github.io` → `github.io` (the private section's
 * `github.io` is not a registry: the registration that expires is github.io's). Under a suffix
 * the list does not know (a test or private TLD, one newer than the list), the last two labels,
 * then the last three. None for an IP address, a single label or a public suffix itself.
 */
export async function registeredDomains(host: string): Promise<string[]> {
  const { parse } = await (suffixList ??= import('tldts'));
  const found = parse(host, { allowPrivateDomains: false });
  if (found.isIp) return [];
  if (found.isIcann) return found.domain ? [found.domain] : [];
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  return [2, 3].filter((n) => labels.length >= n).map((n) => labels.slice(-n).join('.'));
}
