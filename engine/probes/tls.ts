import tls, { type PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';
import { isPem, NOT_PEM } from './trust.js';
import { describeError, ms, type Probe } from './types.js';

export interface TlsProbeSpec {
  host: string;
  port?: number;
  servername?: string;
  /** PEM of the CAs to trust instead of the public roots. */
  ca?: string;
}

/**
 * Probe: a TLS handshake. The certificate's expiry is read even when the chain is invalid (so
 * history shows it), but an invalid chain or an expired certificate fails the check whatever
 * the conditions: that is what this probe is for. [CERTIFICATE_EXPIRATION] is the time left.
 */
export const tlsProbe: Probe<TlsProbeSpec> = (spec, ctx) =>
  new Promise((resolve) => {
    const started = process.hrtime.bigint();
    if (spec.ca !== undefined && !isPem(spec.ca)) {
      return resolve({ values: { connected: false }, passed: false, fatal: true, error: NOT_PEM });
    }
    const servername = spec.servername ?? (isIP(spec.host) ? undefined : spec.host);
    const socket = tls.connect({
      host: spec.host,
      port: spec.port ?? 443,
      servername,
      ...(spec.ca ? { ca: spec.ca } : {}),
      // Verified below from `authorized`, so that an invalid certificate can still be described.
      rejectUnauthorized: false,
    });
    // tls.connect takes no signal: the attempt's timeout ends the socket instead.
    const abort = () => socket.destroy(new Error('timed out'));
    ctx.signal.addEventListener('abort', abort, { once: true });
    socket.once('close', () => ctx.signal.removeEventListener('abort', abort));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(true);
      socket.end();
      const expiresAt = cert.valid_to ? Date.parse(cert.valid_to) : NaN;
      const left = expiresAt - ctx.now().getTime();
      const problem = !socket.authorized
        ? `invalid certificate: ${String(socket.authorizationError)}`
        : !(left > 0)
          ? 'the certificate has expired'
          : undefined;
      resolve({
        values: {
          connected: true,
          ip: socket.remoteAddress,
          responseTimeMs: ms(started),
          certificateExpirationMs: Number.isFinite(left) ? left : undefined,
        },
        passed: !problem,
        fatal: problem !== undefined,
        status: `${chain(cert)}; expires ${Number.isFinite(expiresAt) ? new Date(expiresAt).toISOString() : 'unknown'}`,
        error: problem,
      });
    });
    socket.once('error', (err) =>
      resolve({ values: { connected: false, responseTimeMs: ms(started) }, passed: false, error: describeError(err) }),
    );
  });

/** The chain's subjects, leaf first (`CN=api.example.com < CN=R3 < CN=ISRG Root X1`). */
function chain(leaf: PeerCertificate): string {
  const names: string[] = [];
  let cert: tls.DetailedPeerCertificate | undefined = leaf as tls.DetailedPeerCertificate;
  const seen = new Set<string>();
  while (cert && cert.fingerprint256 && !seen.has(cert.fingerprint256) && names.length < 6) {
    seen.add(cert.fingerprint256);
    names.push(`CN=${cert.subject?.CN ?? '?'}`);
    cert = cert.issuerCertificate;
  }
  return names.join(' < ');
}
