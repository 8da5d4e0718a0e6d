import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { parseIpv6 } from './aaaa.js';
import { parseIpv4 } from './a.js';

describe('IPv6 text (RFC 5952)', () => {
  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:DB8::AB', '2001:db8::ab'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::192.0.2.1', '::c000:201'],
  ])('writes %s as %s', (input, expected) => {
    expect(parseIpv6(input)).toBe(expected);
  });

  it.each(['2001:db8::1::1', '2001:db8::g', 'fe80::1%eth0', '192.0.2.1', ''])(
    'rejects %j',
    (input) => {
      expect(() => parseIpv6(input)).toThrow(ValidationError);
    },
  );
});

describe('IPv4 text', () => {
  it.each(['192.0.2.01', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.-4', ' '])(
    'rejects %j',
    (input) => {
      expect(() => parseIpv4(input)).toThrow(ValidationError);
    },
  );

  it('accepts 0.0.0.0 and 255.255.255.255', () => {
    expect(parseIpv4('0.0.0.0')).toBe('0.0.0.0');
    expect(parseIpv4('255.255.255.255')).toBe('255.255.255.255');
  });
});
