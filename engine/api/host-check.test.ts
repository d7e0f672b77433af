import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hostGuard } from './host-check.js';

const req = (host: string | undefined, origin?: string) =>
  ({ headers: { ...(host === undefined ? {} : { host }), ...(origin === undefined ? {} : { origin }) } }) as IncomingMessage;

describe('hostGuard', () => {
  const guard = hostGuard({ listen: '127.0.0.1:4000', hosts: ['ploy.example.com', 'admin.example.com:8443'] });

  it('answers loopback names, IP literals, the listen address and api.hosts', () => {
    for (const host of [
      'localhost:4000',
      '127.0.0.1:4000',
      '[::1]:4000',
      'LOCALHOST',
      '10.1.2.3:4000',
      'ploy.example.com',
      'admin.example.com:8443',
    ])
      expect(guard(req(host)), host).toBe('ok');
  });

  it('refuses any other name: a DNS-rebinding page runs on the attacker’s name', () => {
    for (const host of [
      'attacker.example:4000',
      'attacker.example',
      '127.0.0.1.nip.io:4000',
      'admin.example.com:443',
      'ploy.example.com.evil.test',
      '',
    ])
      expect(guard(req(host)), host).toBe('unknown-host');
    expect(guard(req(undefined))).toBe('unknown-host');
  });

  it('takes the same origin and listed hosts from a browser, and refuses other origins', () => {
    expect(guard(req('127.0.0.1:4000', 'http://127.0.0.1:4000'))).toBe('ok');
    expect(guard(req('127.0.0.1:4000', 'https://ploy.example.com'))).toBe('ok');
    expect(guard(req('127.0.0.1:4000', 'http://localhost:3000'))).toBe('foreign-origin');
    expect(guard(req('127.0.0.1:4000', 'https://attacker.example'))).toBe('foreign-origin');
    expect(guard(req('127.0.0.1:4000', 'null'))).toBe('foreign-origin');
  });

  it('answers a listen address that is a name', () => {
    expect(hostGuard({ listen: 'box.internal:4000', hosts: [] })(req('box.internal:4000'))).toBe('ok');
  });
});
