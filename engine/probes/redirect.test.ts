import { describe, expect, it } from 'vitest';
import { type Hop, redirected } from './redirect.js';

const post: Hop = {
  url: new URL('https://api.example.com/v1/run?x=1'),
  method: 'POST',
  headers: {
    Authorization: 'Bearer t',
    'X-Api-Key': 'k',
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'User-Agent': 'ploy-monitor',
  },
  body: '{"a":1}',
};

describe('redirected', () => {
  it('keeps everything, the same headers object included, on a same-origin 307', () => {
    const next = redirected(post, 307, '/v2/run') as Hop;
    expect(next.url.href).toBe('https://api.example.com/v2/run');
    expect(next.method).toBe('POST');
    expect(next.body).toBe('{"a":1}');
    expect(next.headers).toBe(post.headers);
  });

  it('turns a 303, and a 301 or 302 after a POST, into a GET without the body and its Content-Type', () => {
    for (const status of [301, 302, 303]) {
      const next = redirected(post, status, '/done') as Hop;
      expect(next).toMatchObject({ method: 'GET', body: undefined });
      expect(next.headers).toEqual({
        Authorization: 'Bearer t',
        'X-Api-Key': 'k',
        Accept: 'application/json',
        'User-Agent': 'ploy-monitor',
      });
    }
  });

  it('keeps a PUT on a 301 or 302, and a GET or HEAD on a 303', () => {
    expect(redirected({ ...post, method: 'PUT' }, 302, '/x')).toMatchObject({ method: 'PUT', body: '{"a":1}' });
    expect(redirected({ ...post, method: 'HEAD', body: undefined }, 303, '/x')).toMatchObject({ method: 'HEAD' });
  });

  it('drops credentials and user headers on another host, port or scheme, whatever their case', () => {
    const lower = { ...post, headers: { authorization: 'x', cookie: 'c', 'proxy-authorization': 'p', accept: '*/*' } };
    for (const location of ['https://evil.example.com/', 'https://api.example.com:8443/', 'http://api.example.com/v1/run']) {
      expect(redirected(lower, 307, location)).toMatchObject({ headers: { accept: '*/*' } });
      expect((redirected(post, 307, location) as Hop).headers).toEqual({
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'User-Agent': 'ploy-monitor',
      });
    }
  });

  it('keeps the body on a cross-origin 308, and drops its Content-Type with it on a cross-origin 303', () => {
    expect(redirected(post, 308, 'https://other.example.com/')).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect((redirected(post, 303, 'https://other.example.com/') as Hop).headers).toEqual({
      Accept: 'application/json',
      'User-Agent': 'ploy-monitor',
    });
  });

  it('refuses a location that is not an http(s) URL', () => {
    expect(redirected(post, 302, 'file:///etc/passwd')).toBe('redirected to an unsupported scheme file:');
    expect(redirected(post, 302, 'http://[::1')).toBe('redirected to an invalid location');
  });
});
