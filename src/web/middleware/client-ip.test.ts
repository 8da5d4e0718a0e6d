import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-ip.js';

describe('client address', () => {
  it('ignores X-Forwarded-For from anyone but a trusted proxy', () => {
    expect(clientAddress('198.51.100.7', '127.0.0.1', [])).toBe('198.51.100.7');
    expect(clientAddress('198.51.100.7', '127.0.0.1', ['10.0.0.0/8'])).toBe('198.51.100.7');
  });

  it('takes the nearest untrusted hop behind trusted proxies', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.9, 10.0.0.5', ['10.0.0.0/8'])).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.9', ['10.0.0.0/8'])).toBe('203.0.113.9');
  });

  it('understands IPv6 and IPv4-mapped peers', () => {
    expect(clientAddress('::ffff:127.0.0.1', undefined, [])).toBe('127.0.0.1');
    expect(clientAddress('::1', '2001:db8::1', ['::1'])).toBe('2001:db8::1');
  });
});
