import type { PROBES as PROBE_FIELDS } from '../kinds/monitor/index.js';
import { dnsProbe } from './dns.js';
import { dockerProbe } from './docker.js';
import { httpProbe } from './http.js';
import { pingProbe } from './ping.js';
import { pushProbe } from './push.js';
import { tcpProbe } from './tcp.js';
import { tlsProbe } from './tls.js';
import type { Probe } from './types.js';

export type { Probe, ProbeContext, ProbeOutcome } from './types.js';

export type ProbeKind = (typeof PROBE_FIELDS)[number];

/** Every probe, by the field that selects it in a Monitor (FORMAT.md: exactly one); the compiler checks none is missing. */
const probes = {
  http: httpProbe,
  tcp: tcpProbe,
  dns: dnsProbe,
  tls: tlsProbe,
  docker: dockerProbe,
  push: pushProbe,
  ping: pingProbe,
} satisfies Record<ProbeKind, Probe<never>>;
export const PROBES = probes as unknown as Record<ProbeKind, Probe>;
export const PROBE_KINDS = Object.keys(probes) as ProbeKind[];

/** The probe a monitor spec selects, with its block; undefined when it has none. */
export function probeOf(spec: Record<string, unknown>): { kind: ProbeKind; config: Record<string, unknown> } | undefined {
  const kind = PROBE_KINDS.find((k) => spec[k] !== undefined && spec[k] !== null);
  return kind ? { kind, config: spec[kind] as Record<string, unknown> } : undefined;
}
