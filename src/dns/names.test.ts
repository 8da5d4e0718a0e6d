import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import {
  checkNameSyntax,
  compareCanonical,
  hostOf,
  isAddressLiteral,
  isAbsoluteText,
  isBelow,
  isInZone,
  isWildcard,
  labelsOf,
  nameToUnicode,
  namesEqual,
  normalizeName,
  parentOf,
  parseName,
  resolveHost,
  resolveTarget,
} from './names.js';

const zone = 'example.org.';

describe('parseName', () => {
  it.each([
    ['www', 'www.example.org.'],
    ['@', 'example.org.'],
    ['WWW.Example.ORG.', 'www.example.org.'],
    ['_acme-challenge.www', '_acme-challenge.www.example.org.'],
    ['*.dev', '*.dev.example.org.'],
    ['.', '.'],
    ['a\\.b', 'a\\.b.example.org.'],
    ['\\065bc.', 'abc.'],
    ['a\\032b.', 'a\\032b.'],
    ['bücher.de.', 'xn--bcher-kva.de.'],
    ['BÜCHER.de.', 'xn--bcher-kva.de.'],
    ['例え。テスト.', 'xn--r8jz45g.xn--zckzah.'],
  ])('reads %s as %s', (text, expected) => {
    expect(parseName(text, zone)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['a..b.', 'empty label'],
    ['.a.', 'empty label'],
    ['a\\', 'lone backslash'],
    ['a\\300.', 'above'],
    ['a\\12.', 'three digits'],
    [`${'a'.repeat(64)}.`, 'limit is 63'],
    [`${Array(64).fill('abc').join('.')}.`, 'limit is 255'],
  ])('rejects %j (%s)', (text, why) => {
    expect(() => parseName(text, zone)).toThrow(ValidationError);
    expect(() => parseName(text, zone)).toThrow(why);
  });

  it('accepts a name of exactly 255 octets on the wire', () => {
    const name = `${Array(4).fill('a'.repeat(62)).join('.')}.`; // 4*63 + 1 = 253
    expect(parseName(`a.${name}`)).toHaveLength(254);
  });

  it('refuses a relative name without an origin', () => {
    expect(() => parseName('www')).toThrow('no origin');
  });
});

describe('resolveHost', () => {
  it.each([
    ['@', 'example.org.'],
    ['', 'example.org.'],
    ['www', 'www.example.org.'],
    ['_acme-challenge.www', '_acme-challenge.www.example.org.'],
    ['www.example.org', 'www.example.org.'],
    ['WWW.EXAMPLE.ORG', 'www.example.org.'],
    ['example.org', 'example.org.'],
    ['www.example.org.', 'www.example.org.'],
    ['example.org.', 'example.org.'],
    ['org', 'org.example.org.'],
    ['www.example', 'www.example.example.org.'],
    [' mail ', 'mail.example.org.'],
  ])('turns host %j into %s', (host, expected) => {
    expect(resolveHost(host, zone)).toBe(expected);
  });

  it('rejects an absolute host outside the zone', () => {
    expect(() => resolveHost('www.example.com.', zone)).toThrow('not inside the zone');
  });

  it('never produces www.example.org.example.org', () => {
    expect(resolveHost('www.example.org', zone)).not.toContain('example.org.example.org');
  });
});

describe('resolveTarget', () => {
  it.each([
    ['@', 'example.org.'],
    ['mail', 'mail.example.org.'],
    ['mail.example.org', 'mail.example.org.'],
    ['ghs.googlehosted.com', 'ghs.googlehosted.com.'],
    ['mx.mythic-beasts.com.', 'mx.mythic-beasts.com.'],
  ])('turns target %j into %s', (text, expected) => {
    expect(resolveTarget(text, zone)).toBe(expected);
  });
});

describe('hostOf', () => {
  it.each([
    ['example.org.', '@'],
    ['www.example.org.', 'www'],
    ['_imap._tcp.example.org.', '_imap._tcp'],
    ['a\\.b.example.org.', 'a\\.b'],
  ])('shows %s as %s', (name, host) => {
    expect(hostOf(name, zone)).toBe(host);
    expect(resolveHost(host, zone)).toBe(name);
  });

  it('rejects a name outside the zone', () => {
    expect(() => hostOf('www.example.com.', zone)).toThrow(ValidationError);
  });

  it('does not mistake an escaped dot for a label boundary', () => {
    expect(isInZone('a\\.example.org.', 'example.org.')).toBe(false);
  });
});

describe('comparisons', () => {
  it('compares names case-insensitively', () => {
    expect(namesEqual('WWW.Example.org', 'www.example.ORG.')).toBe(true);
    expect(namesEqual('www.example.org', 'ww.example.org')).toBe(false);
  });

  it('orders names as RFC 4034 §6.1 does', () => {
    const ordered = [
      'example.',
      'a.example.',
      'yljkjljk.a.example.',
      'z.a.example.',
      'zabc.a.example.',
      'z.example.',
      '\\001.z.example.',
      '*.z.example.',
      '\\200.z.example.',
    ];
    const shuffled = [...ordered].reverse().sort(compareCanonical);
    expect(shuffled).toEqual(ordered);
  });

  it('knows parents, zones, and wildcards', () => {
    expect(parentOf('a.b.c.')).toBe('b.c.');
    expect(parentOf('c.')).toBe('.');
    expect(parentOf('.')).toBeNull();
    expect(isBelow('a.example.org.', zone)).toBe(true);
    expect(isBelow(zone, zone)).toBe(false);
    expect(isInZone('notexample.org.', zone)).toBe(false);
    expect(isWildcard('*.example.org.')).toBe(true);
    expect(isWildcard('a.*.example.org.')).toBe(false);
    expect(labelsOf('.')).toEqual([]);
    expect(isAbsoluteText('a\\.')).toBe(false);
    expect(isAbsoluteText('a.')).toBe(true);
  });
});

describe('checkNameSyntax', () => {
  it.each([
    ['www.example.org.', 'owner', 0],
    ['_acme-challenge.example.org.', 'owner', 0],
    ['*.example.org.', 'owner', 0],
    ['a.*.example.org.', 'owner', 1],
    ['-bad.example.org.', 'owner', 1],
    ['bad-.example.org.', 'owner', 1],
    ['a\\032b.example.org.', 'owner', 1],
    ['mail.example.org.', 'host', 0],
    ['xn--bcher-kva.de.', 'host', 0],
    ['_mail.example.org.', 'host', 1],
    ['*.example.org.', 'host', 1],
  ] as const)('%s as %s has %i problem(s)', (name, kind, count) => {
    expect(checkNameSyntax(name, kind)).toHaveLength(count);
  });
});

describe('helpers', () => {
  it('spots address literals', () => {
    expect(isAddressLiteral('192.0.2.1')).toBe(true);
    expect(isAddressLiteral('192.0.2.1.')).toBe(true);
    expect(isAddressLiteral('2001:db8::1')).toBe(true);
    expect(isAddressLiteral('mail.example.org')).toBe(false);
  });

  it('normalises names typed without a trailing dot', () => {
    expect(normalizeName(' Example.ORG ')).toBe('example.org.');
  });

  it('shows A-labels as Unicode for display', () => {
    expect(nameToUnicode('xn--bcher-kva.de.')).toBe('bücher.de.');
  });
});
