import net from 'node:net';
import { describeError, ms, type Probe } from './types.js';

export interface TcpProbeSpec {
  host: string;
  port: number;
  send?: string;
  expect?: string;
}

/** A reply read for `expect` or `[BODY]` is capped. */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * Probe: a TCP connection, optionally sending a line and waiting for the reply to contain
 * `expect`. [CONNECTED], [IP], [RESPONSE_TIME] and [BODY] (the reply) are available to conditions.
 */
export const tcpProbe: Probe<TcpProbeSpec> = (spec, ctx) =>
  new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const socket = net.connect({ host: spec.host, port: spec.port, signal: ctx.signal });
    let reply = '';
    let connected = false;
    const wantsReply = spec.expect !== undefined || ctx.needs.has('BODY');
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      const values = { connected, ip: socket.remoteAddress, responseTimeMs: ms(started), body: wantsReply ? reply : undefined };
      const expected = spec.expect === undefined || reply.includes(spec.expect);
      const passed = connected && expected && !error;
      resolve({
        values,
        passed,
        status: connected ? 'connected' : 'not connected',
        error: error ?? (connected && !expected ? `the reply does not contain "${spec.expect}"` : undefined),
      });
    };
    socket.once('connect', () => {
      connected = true;
      if (spec.send !== undefined) socket.write(spec.send);
      if (!wantsReply) finish();
    });
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      // Without `expect`, the first reply is what [BODY] reads; with it, read until it shows up.
      if (reply.length > MAX_REPLY_BYTES || spec.expect === undefined || reply.includes(spec.expect)) finish();
    });
    // The peer closing after its reply is the normal end of a send/expect exchange.
    socket.once('end', () => finish());
    socket.once('error', (err) =>
      finish(connected && ctx.signal.aborted ? 'timed out waiting for the reply' : describeError(err)),
    );
  });
