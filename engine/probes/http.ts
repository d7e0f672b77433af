import { appAddress } from './app-address.js';
import { type HttpExchange, type HttpRequest, viaNode, viaUndici } from './http-transport.js';
import { isRedirect, redirected } from './redirect.js';
import { isPem, NOT_PEM } from './trust.js';
import { describeError, ms, type Probe, type ProbeOutcome } from './types.js';

export interface HttpProbeSpec {
  url?: string;
  app?: string;
  port?: number;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  followRedirects?: boolean;
  insecureSkipVerify?: boolean;
  /** PEM of the CAs to trust instead of the public roots. */
  ca?: string;
}

const MAX_REDIRECTS = 10;
/** A body read for conditions is capped: a monitor must not buffer an endless download. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Probe: an HTTP(S) request; passes below status 400 unless conditions say otherwise. TLS is
 * verified unless `insecureSkipVerify`. The body is read only when a condition reads [BODY];
 * the socket (node:http) only when one reads [IP] or [CERTIFICATE_EXPIRATION], else undici.
 */
export const httpProbe: Probe<HttpProbeSpec> = async (spec, ctx) => {
  let url: URL;
  if (spec.app) {
    if (!ctx.runtime) return failed('no container runtime is connected, so app targets cannot be reached');
    const ip = await appAddress(ctx.runtime, spec.app).catch(() => undefined);
    if (!ip) return failed(`app ${spec.app} has no running container with an address`);
    url = new URL(`http://${ip}:${spec.port}${spec.path ?? '/'}`);
  } else {
    url = new URL(spec.url ?? '');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return failed(`unsupported scheme ${url.protocol}`);
  if (spec.ca !== undefined && !isPem(spec.ca)) return { ...failed(NOT_PEM), fatal: true };
  const transport = ctx.needs.has('IP') || ctx.needs.has('CERTIFICATE_EXPIRATION') ? viaNode : viaUndici;
  const started = process.hrtime.bigint();
  let req: HttpRequest = {
    url,
    method: spec.method ?? 'GET',
    headers: { 'user-agent': 'ploy-monitor', ...spec.headers },
    body: spec.body,
    verifyTls: spec.insecureSkipVerify !== true,
    ca: spec.ca,
    signal: ctx.signal,
  };
  try {
    let res: HttpExchange = await transport(req);
    for (let hops = 0; spec.followRedirects !== false && isRedirect(res.status) && res.location; hops++) {
      res.discard();
      if (hops >= MAX_REDIRECTS) return failed(`more than ${MAX_REDIRECTS} redirects`, ms(started));
      // Credentials and the spec's own headers do not follow to another origin (redirect.ts).
      const next = redirected(req, res.status, res.location);
      if (typeof next === 'string') return failed(next, ms(started));
      req = next;
      res = await transport(req);
    }
    let body: string | undefined;
    if (ctx.needs.has('BODY')) body = await res.text(MAX_BODY_BYTES);
    else res.discard();
    const status = res.status;
    const values: ProbeOutcome['values'] = { status, responseTimeMs: ms(started), connected: true, ip: res.ip, body };
    if (res.certificateExpiresAt !== undefined) values.certificateExpirationMs = res.certificateExpiresAt - ctx.now().getTime();
    return { values, passed: status < 400, status: String(status), error: status < 400 ? undefined : `HTTP ${status}` };
  } catch (err) {
    return failed(describeError(err), ms(started));
  }
};

function failed(error: string, responseTimeMs?: number): ProbeOutcome {
  return { values: { connected: false, responseTimeMs }, passed: false, error };
}
