import { getServers } from 'node:dns';
import { isIP } from 'node:net';
import dnsPacket, { type Answer, type RecordType } from 'dns-packet';
import { isTruncated, queryTcp, queryUdp } from './dns-transport.js';
import { describeError, ms, type Probe } from './types.js';

export interface DnsProbeSpec {
  name: string;
  type?: RecordType;
  /** `host` or `host:port` (`[v6]:port`); default: the system's first resolver. */
  server?: string;
}

/**
 * Probe: one DNS query over UDP to a chosen server, with dns-packet (Node's resolver hides the
 * response code), asked again over TCP when the UDP answer is truncated. [DNS_RCODE] is the
 * code's name; [BODY] and [IP] the first answer's data. Passes on NOERROR with at least one
 * answer, unless conditions say otherwise.
 */
export const dnsProbe: Probe<DnsProbeSpec> = async (spec, ctx) => {
  const type = spec.type ?? 'A';
  const { host, port } = serverOf(spec.server ?? getServers()[0] ?? '127.0.0.1');
  const started = process.hrtime.bigint();
  const id = Math.floor(Math.random() * 65535);
  const query = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name: spec.name, class: 'IN' }],
  });
  try {
    let response = await queryUdp(query, id, host, port, ctx.signal);
    let transport = 'udp';
    // A truncated answer holds only part of the records (often none): ask again over TCP.
    if (isTruncated(response)) {
      response = await queryTcp(query, id, host, port, ctx.signal);
      transport = 'tcp';
    }
    // dns-packet decodes the response code into `rcode`; its typings leave it out.
    const rcode = (response as { rcode?: string }).rcode ?? 'NOERROR';
    const answers = (response.answers ?? []).filter((a) => a.type === type);
    const first = answers[0] ? answerText(answers[0]) : '';
    const passed = rcode === 'NOERROR' && answers.length > 0;
    return {
      values: { dnsRcode: rcode, body: first, ip: isIP(first) ? first : undefined, connected: true, responseTimeMs: ms(started) },
      passed,
      status: transport === 'tcp' ? `${rcode} (TCP)` : rcode,
      error: passed ? undefined : rcode === 'NOERROR' ? `no ${type} record for ${spec.name}` : `${rcode} for ${spec.name}`,
    };
  } catch (err) {
    return { values: { connected: false, responseTimeMs: ms(started) }, passed: false, error: describeError(err) };
  }
};

function serverOf(server: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  if (v6) return { host: v6[1], port: Number(v6[2] ?? 53) };
  if (isIP(server) === 6) return { host: server, port: 53 };
  const [host, port] = server.split(':');
  return { host, port: Number(port ?? 53) };
}

/** An answer's data as Gatus shows it: an address, a name, or the record's text. */
function answerText(a: Answer): string {
  const data = (a as { data?: unknown }).data;
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return data.map((d) => (Buffer.isBuffer(d) ? d.toString('utf8') : String(d))).join('');
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    if (typeof d.exchange === 'string') return d.exchange;
    if (typeof d.target === 'string') return d.target;
    if (typeof d.mname === 'string') return d.mname;
    return JSON.stringify(d);
  }
  return '';
}
