import dgram from 'node:dgram';
import net, { isIP } from 'node:net';
import dnsPacket from 'dns-packet';

export type DnsResponse = ReturnType<typeof dnsPacket.decode>;

/** The TC flag: the answer did not fit in a UDP datagram and must be asked again over TCP (RFC 1035 4.2.1, RFC 7766). */
export const isTruncated = (r: DnsResponse): boolean => ((r.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE) !== 0;

/** One query over UDP; resolves with the datagram that answers `id` (stray ones are ignored). */
export async function queryUdp(query: Buffer, id: number, host: string, port: number, signal: AbortSignal): Promise<DnsResponse> {
  const socket = dgram.createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  try {
    return await new Promise<DnsResponse>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      socket.on('error', reject);
      socket.on('message', (msg) => {
        try {
          const decoded = dnsPacket.decode(msg);
          if (decoded.id === id) resolve(decoded);
        } catch {
          /* not DNS: keep waiting until the timeout */
        }
      });
      socket.send(query, port, host, (err) => err && reject(err));
    });
  } finally {
    socket.close();
  }
}

/** One query over TCP: two-byte length prefix each way, one connection per query. */
export async function queryTcp(query: Buffer, id: number, host: string, port: number, signal: AbortSignal): Promise<DnsResponse> {
  const socket = net.connect({ host, port, signal });
  try {
    return await new Promise<DnsResponse>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      socket.on('error', reject);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.on('connect', () => socket.write(Buffer.concat([length, query])));
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
        try {
          const decoded = dnsPacket.streamDecode(buf) as DnsResponse;
          if (decoded.id === id) resolve(decoded);
          else reject(new Error(`the TCP answer is for another query (id ${decoded.id})`));
        } catch (err) {
          reject(err);
        }
      });
      socket.on('end', () => reject(new Error('the server closed the TCP connection without an answer')));
    });
  } finally {
    socket.destroy();
  }
}
