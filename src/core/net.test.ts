import { describe, expect, it } from 'vitest';
import { canonicalIp, cidrContains, networkOf, parseIp } from './net.js';

describe('net', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::', '2001:db8::'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['fe80::1%eth0', 'fe80::1'],
  ])('canonicalises %s as %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each(['', 'localhost', '1.2.3', '256.1.1.1', '1::2::3', '12345::'])('rejects %j', (bad) => {
    expect(parseIp(bad)).toBeNull();
  });

  it('binds IPv4 exactly and IPv6 by /64', () => {
    expect(networkOf('127.0.0.1', 32, 64)).toBe('127.0.0.1/32');
    expect(networkOf('2001:db8:1:2:3:4:5:6', 32, 64)).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8:1:2:ffff::9', 32, 64)).toBe(networkOf('2001:db8:1:2::1', 32, 64));
    expect(networkOf('2001:db8:1:3::1', 32, 64)).not.toBe(networkOf('2001:db8:1:2::1', 32, 64));
  });

  it('matches CIDR ranges of either family and never across families', () => {
    expect(cidrContains('127.0.0.0/8', '127.1.2.3')).toBe(true);
    expect(cidrContains('127.0.0.0/8', '128.0.0.1')).toBe(false);
    expect(cidrContains('::1', '::1')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '::1')).toBe(false);
    expect(cidrContains('10.0.0.1', '10.0.0.2')).toBe(false);
  });
});
