import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { parseName } from './names.js';
import { parseRdata, type DnsRecord, type RecordTypeName } from './record-types/index.js';
import { assertRecords, checkRecords, groupRRsets, rrsetTtl } from './rrset-rules.js';

const zone = 'example.org.';
const rules = { zone, minTtl: 60, maxTtl: 86400 };

/** A record from a short line: `host TYPE rdata` or `host TTL TYPE rdata`. */
function rr(line: string): DnsRecord {
  const [host = '', second = '', ...rest] = line.split(' ');
  const hasTtl = /^\d+$/.test(second);
  const type = (hasTtl ? rest.shift() : second) as RecordTypeName;
  const name = parseName(host, zone);
  return {
    name,
    ttl: hasTtl ? Number(second) : 300,
    type,
    data: parseRdata(type, rest.join(' '), { origin: zone }),
  } as DnsRecord;
}

const errorsOf = (lines: string[]): string[] =>
  checkRecords(lines.map(rr), rules)
    .filter((i) => i.level === 'error')
    .map((i) => i.message);
const warningsOf = (lines: string[]): string[] =>
  checkRecords(lines.map(rr), rules)
    .filter((i) => i.level === 'warning')
    .map((i) => i.message);

const base = ['@ NS ns1.example.net.', '@ NS ns2.example.net.', '@ A 192.0.2.1'];

describe('zone-wide record rules', () => {
  it('accepts an ordinary zone', () => {
    expect(
      errorsOf([
        ...base,
        'www CNAME @',
        '@ MX 10 mail',
        'mail A 192.0.2.2',
        '_acme-challenge TXT "token"',
        '_imap._tcp SRV 0 1 993 mail',
        '@ CAA 0 issue "letsencrypt.org"',
        '* A 192.0.2.3',
      ]),
    ).toEqual([]);
  });

  it.each([
    [
      'rejects a CNAME at the apex',
      ['@ CNAME www.example.net.'],
      /CNAME is not allowed at the zone apex/,
    ],
    [
      'rejects a CNAME beside other data',
      ['www CNAME @', 'www TXT "x"'],
      /www.example.org. has a CNAME, so it can have no other records \(found TXT\)/,
    ],
    [
      'rejects two CNAMEs at one name',
      ['www CNAME a.example.net.', 'www CNAME b.example.net.'],
      /more than one CNAME/,
    ],
    [
      'rejects a CNAME beside a DNAME',
      ['x CNAME a.example.net.', 'x DNAME example.net.'],
      /has a CNAME/,
    ],
    [
      'rejects two DNAMEs at one name',
      ['x DNAME a.example.net.', 'x DNAME b.example.net.'],
      /more than one DNAME/,
    ],
    [
      'rejects names under a DNAME',
      ['old DNAME example.net.', 'www.old A 192.0.2.9'],
      /hidden by the DNAME at old.example.org./,
    ],
    [
      'rejects an ANAME below the apex',
      ['www ANAME lb.example.net.'],
      /ANAME is only allowed at the zone apex/,
    ],
    ['rejects an ANAME beside A records', ['@ ANAME lb.example.net.'], /supplies its A\/AAAA/],
    [
      'rejects an SOA below the apex',
      ['www SOA ns1 host 1 2 3 4 5'],
      /SOA is only allowed at the zone apex/,
    ],
    [
      'rejects data under a delegation',
      ['sub NS ns.sub', 'ns.sub A 192.0.2.5', 'www.sub A 192.0.2.6'],
      /A at www.sub.example.org. is hidden by the delegation at sub.example.org./,
    ],
    [
      'rejects non-NS data at a delegation point',
      ['sub NS ns.example.net.', 'sub TXT "x"'],
      /sub.example.org. is delegated \(NS\), so it cannot have TXT/,
    ],
    [
      'rejects duplicates compared canonically',
      ['www A 192.0.2.7', 'WWW 600 A 192.0.2.7'],
      /^Duplicate record 'www 600 A 192.0.2.7'$/,
    ],
    [
      'rejects a TTL below the minimum',
      ['www 30 A 192.0.2.7'],
      /TTL 30 of A at www.example.org. is outside the allowed 60-86400 seconds/,
    ],
    ['rejects a TTL above the maximum', ['www 100000 A 192.0.2.7'], /outside the allowed/],
    ['rejects bad owner syntax', ['-x A 192.0.2.7'], /label '-x'/],
    [
      'rejects a wildcard label not first',
      ['a.*.b A 192.0.2.7'],
      /only allowed as the first label/,
    ],
    ['rejects per-record problems too', ['@ MX 10 _x.example.net.'], /MX target/],
  ])('%s', (_, lines, expected) => {
    expect(errorsOf([...base, ...lines]).join('\n')).toMatch(expected);
  });

  it('accepts glue addresses under a delegation', () => {
    expect(
      errorsOf([...base, 'sub NS ns1.sub', 'ns1.sub A 192.0.2.5', 'ns1.sub AAAA 2001:db8::5']),
    ).toEqual([]);
  });

  const dsLine = `sub DS 60485 13 2 ${'ab'.repeat(32)}`;
  it('accepts a DS beside the NS of a delegation', () => {
    expect(errorsOf([...base, 'sub NS ns1.example.net.', dsLine])).toEqual([]);
  });

  it('refuses a DS where nothing is delegated, and says it needs NS there', () => {
    expect(errorsOf([...base, dsLine])).toEqual([
      'DS at sub.example.org. needs NS records at the same name: a DS only belongs where a signed child zone is delegated',
    ]);
    expect(errorsOf([...base, 'sub A 192.0.2.9', dsLine]).join('\n')).toMatch(/needs NS records/);
  });

  it('refuses a DS at the apex even though the apex has NS', () => {
    expect(errorsOf([...base, `@ DS 60485 13 2 ${'ab'.repeat(32)}`]).join('\n')).toMatch(
      /DS is not allowed at the zone apex/,
    );
  });

  it('refuses a DS under a delegation, where it would be hidden', () => {
    expect(
      errorsOf([...base, 'sub NS ns1.example.net.', `x.sub DS 1 13 2 ${'ab'.repeat(32)}`]).join(
        '\n',
      ),
    ).toMatch(/hidden by the delegation at sub\.example\.org\./);
  });

  it('accepts a DNAME at the apex when nothing lies below it', () => {
    expect(errorsOf([...base, '@ DNAME example.net.'])).toEqual([]);
    expect(errorsOf([...base, '@ DNAME example.net.', 'www A 192.0.2.1'])).toHaveLength(1);
  });

  it('rejects records outside the zone', () => {
    const outside = { ...rr('www A 192.0.2.1'), name: 'www.example.com.' };
    expect(checkRecords([outside], rules).map((i) => i.message)).toEqual([
      'www.example.com. is outside the zone example.org.',
    ]);
  });

  it('warns about differing TTLs in one RRset and serves the lowest', () => {
    const lines = ['_acme-challenge 120 TXT "a"', '_acme-challenge 3600 TXT "b"'];
    expect(errorsOf(lines)).toEqual([]);
    expect(warningsOf(lines)).toEqual([
      'TXT records at _acme-challenge.example.org. have different TTLs (120, 3600); they are served with 120 (RFC 2181 §5.2)',
    ]);
    const [rrset] = groupRRsets(lines.map(rr)).values();
    expect(rrsetTtl(rrset ?? [])).toBe(120);
  });

  it('warns when MX, NS or SRV point at a CNAME', () => {
    expect(warningsOf(['@ MX 10 mail', 'mail CNAME host.example.net.'])).toEqual([
      'MX at example.org. points at mail.example.org., which is a CNAME (RFC 2181 §10.3)',
    ]);
  });

  it('carries critical unknown CAA tags as warnings, not errors', () => {
    const lines = ['@ CAA 128 future "x"'];
    expect(errorsOf(lines)).toEqual([]);
    expect(warningsOf(lines).join()).toMatch(/marked critical/);
  });
});

describe('assertRecords', () => {
  it('throws every error with the first as the message', () => {
    const records = ['@ CNAME x.example.net.', 'www 1 A 192.0.2.1'].map(rr);
    try {
      assertRecords(records, rules);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const err = e as ValidationError;
      expect(err.details.length).toBeGreaterThanOrEqual(2);
      expect(err.message).toMatch(/and \d+ more/);
    }
  });

  it('returns warnings when there are no errors', () => {
    expect(assertRecords(['@ 60 A 192.0.2.1', '@ 120 A 192.0.2.2'].map(rr), rules)).toHaveLength(1);
  });
});
