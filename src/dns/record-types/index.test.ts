import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import {
  codecOf,
  describeRecord,
  formatRdata,
  parseRdata,
  parseTypeName,
  rdataFromWire,
  rdataToWire,
  recordFromJson,
  recordKey,
  recordTarget,
  recordToJson,
  recordTypeNames,
  typeByCode,
  typeCode,
  validateRecord,
  type DnsRecord,
  type RecordTypeName,
} from './index.js';

const zone = 'example.org.';
const ctx = { origin: zone };
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** type, presentation input, canonical presentation output, wire hex. */
const cases: [RecordTypeName, string, string, string][] = [
  ['A', '192.0.2.1', '192.0.2.1', 'c0000201'],
  ['AAAA', '2001:DB8:0:0:0:0:0:1', '2001:db8::1', '20010db8000000000000000000000001'],
  ['AAAA', '::ffff:192.0.2.1', '::ffff:c000:201', '00000000000000000000ffffc0000201'],
  ['CNAME', 'www', 'www.example.org.', '03777777076578616d706c65036f726700'],
  ['NS', 'ns1.example.net.', 'ns1.example.net.', '036e7331076578616d706c65036e657400'],
  ['PTR', 'host.example.org.', 'host.example.org.', '04686f7374076578616d706c65036f726700'],
  ['DNAME', 'example.net.', 'example.net.', '076578616d706c65036e657400'],
  ['ANAME', 'lb.example.net.', 'lb.example.net.', '026c62076578616d706c65036e657400'],
  ['MX', '10 mail', '10 mail.example.org.', '000a046d61696c076578616d706c65036f726700'],
  ['MX', '0 .', '0 .', '000000'],
  ['TXT', '"hello world"', '"hello world"', '0b68656c6c6f20776f726c64'],
  ['TXT', 'a "b c"', '"a" "b c"', '016103622063'],
  ['TXT', '"say \\"hi\\" \\\\ \\010"', '"say \\"hi\\" \\\\ \\010"', '0c7361792022686922205c200a'],
  [
    'SRV',
    '10 20 443 host',
    '10 20 443 host.example.org.',
    '000a001401bb04686f7374076578616d706c65036f726700',
  ],
  [
    'CAA',
    '0 issue "letsencrypt.org"',
    '0 issue "letsencrypt.org"',
    '00056973737565' + hex(Buffer.from('letsencrypt.org')),
  ],
  ['CAA', '128 ISSUE ";"', '128 issue ";"', '80056973737565' + '3b'],
  [
    'SSHFP',
    '4 2 ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789',
    '4 2 abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
    '0402abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
  ],
  [
    'SSHFP',
    '1 1 0123456789 abcdef0123456789ABCDEF01234567',
    '1 1 0123456789abcdef0123456789abcdef01234567',
    '01010123456789abcdef0123456789abcdef01234567',
  ],
  [
    'TLSA',
    '3 1 1 ( 0123456789abcdef0123456789abcdef\n 0123456789abcdef0123456789abcdef )',
    '3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    '0301010123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  ],
  [
    'SOA',
    'ns1 hostmaster 2026112701 1h 15m 1w 300',
    'ns1.example.org. hostmaster.example.org. 2026112701 3600 900 604800 300',
    '',
  ],
];

describe('the record-type registry', () => {
  it('has the standard IANA codes and a private-use code for ANAME', () => {
    expect(Object.fromEntries(recordTypeNames.map((t) => [t, typeCode(t)]))).toEqual({
      A: 1,
      AAAA: 28,
      ANAME: 65401,
      CAA: 257,
      CNAME: 5,
      DNAME: 39,
      DS: 43,
      MX: 15,
      NS: 2,
      PTR: 12,
      SOA: 6,
      SRV: 33,
      SSHFP: 44,
      TLSA: 52,
      TXT: 16,
    });
    expect(typeByCode(257)).toBe('CAA');
    expect(typeByCode(99)).toBeUndefined();
  });

  it('reads type names in any case and refuses unsupported ones', () => {
    expect(parseTypeName('aaaa')).toBe('AAAA');
    expect(() => parseTypeName('HINFO')).toThrow(ValidationError);
  });
});

describe.each(cases)('%s %s', (type, input, printed, wire) => {
  const record = { name: zone, ttl: 300, type, data: parseRdata(type, input, ctx) } as DnsRecord;

  it('prints canonical presentation form', () => {
    expect(formatRdata(record)).toBe(printed);
  });

  it('encodes the expected wire octets and decodes them back', () => {
    const bytes = rdataToWire(record);
    if (wire) expect(hex(bytes)).toBe(wire);
    expect(rdataFromWire(type, bytes)).toEqual(record.data);
  });

  it('survives printing and parsing again', () => {
    expect(parseRdata(type, printed, ctx)).toEqual(record.data);
  });

  it('survives the API JSON shape (TXT strings are joined there)', () => {
    const json = recordToJson(record, zone);
    const back = recordFromJson(json, zone);
    if (type === 'TXT') expect(recordToJson(back, zone)).toEqual(json);
    else expect(recordKey(back)).toBe(recordKey(record));
  });
});

describe('JSON shape (apis.md §3.1)', () => {
  it.each([
    [{ host: 'mail', ttl: 3600, type: 'MX', data: 'mx.mythic-beasts.com.', mx_priority: 10 }],
    [
      {
        host: '_autodiscover._tcp',
        ttl: 300,
        type: 'SRV',
        data: 'caracal.autoconfig.mythic-beasts.com.',
        srv_port: 443,
        srv_priority: 50,
        srv_weight: 10,
      },
    ],
    [{ host: '_acme-challenge.test', ttl: 3600, type: 'TXT', data: 'challengetoken' }],
    [
      {
        host: '@',
        ttl: 3600,
        type: 'CAA',
        data: 'letsencrypt.org',
        caa_flags: 0,
        caa_tag: 'issue',
      },
    ],
    [
      {
        host: '@',
        ttl: 3600,
        type: 'SSHFP',
        data: 'bf6b6825d2977c511a475bbefb88aad54a92ac73',
        sshfp_algorithm: 1,
        sshfp_type: 1,
      },
    ],
    [
      {
        host: '_443._tcp',
        ttl: 3600,
        type: 'TLSA',
        data: 'ab'.repeat(32),
        tlsa_usage: 3,
        tlsa_selector: 1,
        tlsa_matching: 1,
      },
    ],
  ])('round-trips %j', (json) => {
    expect(recordToJson(recordFromJson(json, zone), zone)).toEqual(json);
  });

  it('accepts form-style string numbers and takes host/type/ttl from defaults', () => {
    const r = recordFromJson({ data: 'mail.example.org', mx_priority: '20' }, zone, {
      host: '@',
      type: 'MX',
      ttl: 300,
    });
    expect(r).toEqual({
      name: zone,
      ttl: 300,
      type: 'MX',
      data: { preference: 20, exchange: 'mail.example.org.' },
    });
  });

  it('defaults CAA flags to 0', () => {
    const r = recordFromJson(
      { host: '@', ttl: 60, type: 'CAA', caa_tag: 'issue', data: ';' },
      zone,
    );
    expect(r.data).toEqual({ flags: 0, tag: 'issue', value: ';' });
  });

  it.each([
    [{ host: '@', ttl: 60, type: 'MX', data: 'mail.example.org.' }, "'mx_priority' is required"],
    [{ host: '@', ttl: 60, type: 'MX', data: 'mail.', mx_priority: 70000 }, 'from 0 to 65535'],
    [{ host: '@', ttl: -1, type: 'A', data: '192.0.2.1' }, 'whole number of seconds'],
    [{ host: '@', type: 'A', data: '192.0.2.1' }, "needs a 'ttl'"],
    [{ host: '@', ttl: 60, data: '192.0.2.1' }, "needs a 'type'"],
    [{ host: '@', ttl: 60, type: 'A', data: 'www.example.org' }, 'not an IPv4 address'],
    [{ host: '@', ttl: 60, type: 'A', data: '192.0.2.01' }, 'not an IPv4 address'],
    [{ host: '@', ttl: 60, type: 'TXT', data: '' }, 'non-empty'],
    [{ host: '@', ttl: 60, type: 'MX', data: '192.0.2.1', mx_priority: 10 }, 'not an IP address'],
    [{ host: '@', ttl: 60, type: 'NS', data: '2001:db8::1' }, 'not an IP address'],
    [
      {
        host: '@',
        ttl: 60,
        type: 'SRV',
        data: '192.0.2.1.',
        srv_priority: 0,
        srv_weight: 0,
        srv_port: 1,
      },
      'not an IP address',
    ],
    [{ host: '@', ttl: 60, type: 'CNAME', data: '192.0.2.1' }, 'not an IP address'],
    [
      { host: '@', ttl: 60, type: 'SSHFP', data: 'xyz', sshfp_algorithm: 1, sshfp_type: 1 },
      'hexadecimal',
    ],
    [{ host: '@', ttl: 60, type: 'CAA', data: 'x', caa_tag: 'is-sue' }, '1 to 15 ASCII letters'],
    [{ host: '@', ttl: 60, type: 'LOC', data: 'x' }, 'Unsupported record type'],
  ])('rejects %j', (json, message) => {
    expect(() => recordFromJson(json, zone)).toThrow(ValidationError);
    expect(() => recordFromJson(json, zone)).toThrow(message);
  });
});

describe('presentation errors', () => {
  it.each([
    ['MX', '10', 'expected preference and exchange'],
    ['MX', 'ten mail.', 'preference must be a whole number'],
    ['MX', '10 192.0.2.1', 'not an IP address'],
    ['SRV', '1 2 70000 host.', 'port must be a whole number from 0 to 65535'],
    ['A', '192.0.2.256', 'not an IPv4 address'],
    ['AAAA', '2001:db8::g', 'not an IPv6 address'],
    ['CAA', '256 issue "x"', 'flags must be'],
    ['CAA', '0 issue', 'expected flags, tag'],
    ['TXT', '', 'at least one string'],
    ['TXT', '"a\\999"', 'above \\255'],
    ['SOA', 'a b 1 2 3 4', 'expected mname'],
    ['TLSA', '3 1 1 abc', 'even number'],
  ] as const)('%s %j fails with %s', (type, text, message) => {
    expect(() => parseRdata(type, text, ctx)).toThrow(ValidationError);
    expect(() => parseRdata(type, text, ctx)).toThrow(message);
  });
});

describe('validation', () => {
  const rec = (type: RecordTypeName, text: string, name = zone): DnsRecord =>
    ({ name, ttl: 300, type, data: parseRdata(type, text, ctx) }) as DnsRecord;
  const messages = (r: DnsRecord): string[] =>
    validateRecord(r, zone).map((i) => `${i.level}: ${i.message}`);

  it.each([
    [rec('MX', '10 mail.example.org.'), []],
    [
      {
        name: zone,
        ttl: 1,
        type: 'MX',
        data: { preference: 10, exchange: '1.2.3.4.example.org.' },
      },
      /error: MX target 1\.2\.3\.4\.example\.org\. looks like an IP address/,
    ],
    [rec('MX', '10 _mail.example.org.'), /error: MX target.*letters, digits and hyphens/],
    [rec('MX', '5 .'), /warning: a null MX/],
    [{ name: zone, ttl: 1, type: 'NS', data: { target: '10.0.0.1.' } }, /looks like an IP address/],
    [rec('CNAME', 'example.org.', 'www.example.org.'), []],
    [rec('CNAME', 'www.example.org.', 'www.example.org.'), /points at itself/],
    [rec('DNAME', 'x.sub.example.org.', 'sub.example.org.'), /own subtree/],
    [rec('SRV', '0 0 443 host.example.org.', 'www.example.org.'), /warning: SRV owner/],
    [rec('SRV', '0 0 0 .', '_x._tcp.example.org.'), []],
    [rec('SSHFP', '1 2 abcd'), /needs a 64-digit fingerprint/],
    [rec('TLSA', '3 1 1 abcd', '_443._tcp.example.org.'), /needs 64 hex digits/],
    [rec('TLSA', '4 1 0 abcd', 'www.example.org.'), /usage 4[\s\S]*_port._protocol/],
  ] as const)('%j', (record, expected) => {
    const found = messages(record);
    if (Array.isArray(expected)) expect(found).toEqual(expected);
    else expect(found.join('\n')).toMatch(expected as RegExp);
  });
});

describe('records', () => {
  it('points MX, SRV, NS, CNAME, PTR, DNAME and ANAME at their targets', () => {
    expect(
      recordTarget({
        name: zone,
        ttl: 1,
        type: 'MX',
        data: { preference: 1, exchange: 'm.example.org.' },
      }),
    ).toBe('m.example.org.');
    expect(
      recordTarget({ name: zone, ttl: 1, type: 'MX', data: { preference: 0, exchange: '.' } }),
    ).toBeNull();
    expect(
      recordTarget({ name: zone, ttl: 1, type: 'A', data: { address: '192.0.2.1' } }),
    ).toBeNull();
    expect(
      recordTarget({ name: zone, ttl: 1, type: 'ANAME', data: { target: 'lb.example.net.' } }),
    ).toBe('lb.example.net.');
  });

  it('describes a record the way the reference quotes duplicates', () => {
    const r = recordFromJson(
      { host: '_acme-challenge.noop', ttl: 3600, type: 'TXT', data: 'challengetoken' },
      zone,
    );
    expect(describeRecord(r, zone)).toBe('_acme-challenge.noop 3600 TXT "challengetoken"');
  });

  it('gives equal keys to records that differ only in letter case', () => {
    const x = recordFromJson(
      { host: 'WWW', ttl: 1, type: 'CNAME', data: 'Target.Example.NET.' },
      zone,
    );
    const y = recordFromJson(
      { host: 'www', ttl: 2, type: 'CNAME', data: 'target.example.net.' },
      zone,
    );
    expect(recordKey(x)).toBe(recordKey(y));
  });

  it('exposes each codec typed by name', () => {
    expect(codecOf('MX').jsonFields).toEqual(['mx_priority']);
  });
});
