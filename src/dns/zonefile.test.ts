import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { parseName } from './names.js';
import { recordKey, type DnsRecord, type RecordTypeName } from './record-types/index.js';
import { formatZoneFile, parseZoneFile } from './zonefile.js';

const zone = 'example.org.';
const parse = (text: string, defaultTtl?: number) => parseZoneFile(text, { zone, defaultTtl });
const summary = (records: DnsRecord[]) => records.map((r) => `${r.name} ${r.ttl} ${r.type}`);

describe('parseZoneFile', () => {
  it('reads a classic zone with directives, parentheses, comments and omitted fields', () => {
    const text = [
      '$TTL 1h',
      '@   IN SOA ns1 hostmaster ( 2026112701 ; serial',
      '        3600 900 1209600 300 )',
      '    IN NS  ns1.example.net.',
      '        NS ns2.example.net.',
      'www 300 IN A 192.0.2.1',
      '    IN 600 AAAA 2001:db8::1 ; class before TTL',
      '$ORIGIN sub.example.org.',
      'host      A 192.0.2.2',
      '@         TXT "hello ; not a comment" "second"',
    ].join('\n');
    expect(summary(parse(text))).toEqual([
      'example.org. 3600 SOA',
      'example.org. 3600 NS',
      'example.org. 3600 NS',
      'www.example.org. 300 A',
      'www.example.org. 600 AAAA',
      'host.sub.example.org. 3600 A',
      'sub.example.org. 3600 TXT',
    ]);
  });

  it('reuses the last explicit TTL when there is no $TTL (RFC 1035 §5.1)', () => {
    expect(summary(parse('a 120 A 192.0.2.1\nb A 192.0.2.2', 999))).toEqual([
      'a.example.org. 120 A',
      'b.example.org. 120 A',
    ]);
  });

  it('ignores a byte-order mark and CRLF line ends', () => {
    expect(summary(parse('\uFEFFa 60 A 192.0.2.1\r\nb 60 A 192.0.2.2\r\n'))).toEqual([
      'a.example.org. 60 A',
      'b.example.org. 60 A',
    ]);
  });

  it('falls back to the zone default TTL', () => {
    expect(parse('host TXT "value"', 3600)[0]?.ttl).toBe(3600);
  });

  it('reads what dnscontrol sends: absolute owners, class and tabs', () => {
    const text =
      'testignore.example.org.\t300\tIN\tA\t1.1.1.1\nexample.org.\t300\tIN\tNS\tns1.mythic-beasts.com.\n';
    expect(summary(parse(text))).toEqual(['testignore.example.org. 300 A', 'example.org. 300 NS']);
  });

  it('treats a name without a trailing dot as relative, as RFC 1035 says', () => {
    expect(parse('www.example.org 60 A 192.0.2.1')[0]?.name).toBe('www.example.org.example.org.');
  });

  it.each([
    ['$INCLUDE other.zone', 'line 1: $INCLUDE is not supported'],
    ['$GENERATE 1-10 host$ A 10.0.0.$', 'line 1: unknown directive $GENERATE'],
    ['   A 192.0.2.1', 'line 1: the first record must name its owner'],
    ['a 60 CH A 192.0.2.1', 'line 1: class CH is not supported'],
    ['a 60 HINFO "x" "y"', "line 1: unsupported record type 'HINFO'"],
    [
      'www 60 A 192.0.2.1\nA 192.0.2.2',
      "line 2: unsupported record type '192.0.2.2' (a line that starts at the left margin begins with the owner name",
    ],
    ['a A 192.0.2.1', 'line 1: the record has no TTL'],
    [
      'www.example.com. 60 A 192.0.2.1',
      'line 1: www.example.com. is outside the zone example.org.',
    ],
    ['a 60 MX 10 192.0.2.1', 'line 1: MX: MX target must be a host name, not an IP address'],
    ['\n\na 60 TXT (\n "x"', 'line 3: parenthesis opened here is never closed'],
    ['a 60 A', 'line 1: A: expected an IPv4 address, got 0 field(s)'],
    ['a 60', 'line 1: the record has no type'],
    ['$TTL soon', "line 1: $TTL: 'soon' is not a number of seconds"],
  ])('reports %j', (text, message) => {
    expect(() => parse(text)).toThrow(ValidationError);
    expect(() => parse(text)).toThrow(message);
  });

  it('collects errors from several lines', () => {
    try {
      parse('a 60 A 1\nb 60 A 2\nc 60 A 192.0.2.3');
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).details).toHaveLength(2);
      expect((e as ValidationError).details[1]).toMatch(/^line 2: /);
    }
  });
});

describe('formatZoneFile', () => {
  const records = parse(
    '@ 300 NS ns1.mythic-beasts.com.\n@ 300 NS ns2.mythic-beasts.com.\n_acme-challenge.www 3600 TXT "token"\n@ 3600 MX 10 mx.mythic-beasts.com.',
  );

  it('prints the reference text/dns layout exactly', () => {
    const text = formatZoneFile(records.slice(0, 2), zone);
    expect(text).toBe(
      '@                      300 NS    ns1.mythic-beasts.com.\n@                      300 NS    ns2.mythic-beasts.com.\n',
    );
    expect(Buffer.byteLength(text)).toBe(112); // the reference's Content-Length for these lines
  });

  it('prints relative hosts and quoted TXT', () => {
    expect(formatZoneFile(records.slice(2), zone)).toBe(
      '_acme-challenge.www    3600 TXT   "token"\n@                      3600 MX    10 mx.mythic-beasts.com.\n',
    );
  });

  it('prints a classic layout that parses back to the same records', () => {
    const soa = parse('@ 3600 SOA ns1 hostmaster 1 2 3 4 5');
    const text = formatZoneFile([...records, ...soa], zone, { style: 'classic' });
    expect(text.split('\n').slice(0, 2)).toEqual([
      '$ORIGIN example.org.',
      'example.org.\t3600\tIN\tSOA\tns1.example.org. hostmaster.example.org. 1 2 3 4 5',
    ]);
    expect(parse(text).map(recordKey).sort()).toEqual([...records, ...soa].map(recordKey).sort());
  });
});

/** A small seeded PRNG (mulberry32) so that generated zones are reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const rand = prng(seed);
  const int = (max: number) => Math.floor(rand() * (max + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length - 1)] as T;
  const label = () =>
    pick(['www', 'mail', '_acme-challenge', '_tcp', 'a-b', 'x1', 'Ünï', 'q\\.dot', 'sp\\032ace']);
  const host = () =>
    pick(['', ...Array.from({ length: 1 + int(2) }, label).map((_, i, a) => a.slice(i).join('.'))]);
  const name = () => {
    const h = host();
    return h === '' ? zone : parseName(h, zone);
  };
  const target = () => pick([name(), 'host.example.net.', 'mx.mythic-beasts.com.']);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(255));
  const hex = (n: number) => Buffer.from(bytes(n)).toString('hex');
  const data: { [K in RecordTypeName]: () => DnsRecord<K>['data'] } = {
    A: () => ({ address: [int(255), int(255), int(255), int(255)].join('.') }),
    AAAA: () => ({ address: pick(['2001:db8::1', '::', 'fe80::1:2', '2001:db8:0:1:1:1:1:1']) }),
    ANAME: () => ({ target: target() }),
    CAA: () => ({
      flags: pick([0, 128]),
      tag: pick(['issue', 'issuewild', 'iodef', 'x9']),
      value: pick([';', 'letsencrypt.org; validationmethods=dns-01', 'a "quoted" \\ value', 'é']),
    }),
    CNAME: () => ({ target: target() }),
    DNAME: () => ({ target: target() }),
    DS: () => ({
      keyTag: int(65535),
      algorithm: pick([8, 13, 15]),
      digestType: pick([1, 2, 4]),
      digest: hex(pick([20, 32, 48])),
    }),
    MX: () => ({ preference: int(65535), exchange: pick([target(), '.']) }),
    NS: () => ({ target: target() }),
    PTR: () => ({ target: target() }),
    SOA: () => ({
      mname: target(),
      rname: target(),
      serial: int(0xffffffff),
      refresh: int(99999),
      retry: int(9999),
      expire: int(9999999),
      minimum: int(86400),
    }),
    SRV: () => ({
      priority: int(65535),
      weight: int(65535),
      port: int(65535),
      target: pick([target(), '.']),
    }),
    SSHFP: () => ({ algorithm: int(6), fpType: pick([1, 2]), fingerprint: hex(pick([20, 32])) }),
    TLSA: () => ({ usage: int(3), selector: int(1), matchingType: int(2), data: hex(1 + int(64)) }),
    TXT: () => ({
      strings: Array.from({ length: 1 + int(3) }, () => bytes(int(300) > 260 ? 255 : int(40))),
    }),
  };
  const types = Object.keys(data) as RecordTypeName[];
  return (count: number): DnsRecord[] =>
    Array.from({ length: count }, () => {
      const type = pick(types);
      return { name: name(), ttl: int(86400), type, data: data[type]() } as DnsRecord;
    });
}

describe('export then import', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('gives the same zone (seed %i)', (seed) => {
    const records = generator(seed)(30);
    const keys = (rs: DnsRecord[]) => rs.map((r) => `${recordKey(r)} ${r.ttl}`);
    for (const style of ['api', 'classic'] as const) {
      const back = parseZoneFile(formatZoneFile(records, zone, { style }), { zone });
      // The classic layout moves SOA records first; otherwise the order is kept.
      if (style === 'api') expect(keys(back)).toEqual(keys(records));
      else expect(keys(back).sort()).toEqual(keys(records).sort());
      expect(formatZoneFile(back, zone, { style })).toBe(formatZoneFile(records, zone, { style }));
    }
  });
});
