import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { ds } from './ds.js';
import {
  formatRdata,
  parseRdata,
  rdataFromWire,
  rdataToWire,
  recordFromJson,
  recordToJson,
  validateRecord,
  type DnsRecord,
} from './index.js';

const zone = 'example.org.';
const ctx = { origin: zone };
const sha256 = '2bb183af5f22588179a53b0a98631fad1a292118b4b2d8e5b4c7d1f1e9b0c3a1';
const at = (name: string, text: string): DnsRecord<'DS'> => ({
  name,
  ttl: 3600,
  type: 'DS',
  data: parseRdata('DS', text, ctx),
});
const problems = (r: DnsRecord): string[] =>
  validateRecord(r, zone).map((i) => `${i.level}: ${i.message}`);

describe('DS presentation and wire form (RFC 4034 §5)', () => {
  it('reads upper-case hex split over fields and prints it lower case on one', () => {
    const data = parseRdata(
      'DS',
      `60485 13 2 ${sha256.slice(0, 30).toUpperCase()} ${sha256.slice(30)}`,
      ctx,
    );
    expect(data).toEqual({ keyTag: 60485, algorithm: 13, digestType: 2, digest: sha256 });
    expect(ds.format(data)).toBe(`60485 13 2 ${sha256}`);
  });

  it('writes key tag, algorithm, digest type and digest octets, and reads them back', () => {
    const r = at('child.example.org.', `60485 13 2 ${sha256}`);
    const wire = rdataToWire(r);
    expect(Buffer.from(wire).toString('hex')).toBe(`ec450d02${sha256}`);
    expect(rdataFromWire('DS', wire)).toEqual(r.data);
    expect(formatRdata(r)).toBe(`60485 13 2 ${sha256}`);
  });

  it.each([
    ['60485 13 2', /expected key tag, algorithm, digest type and hex digest/],
    ['70000 13 2 abcd', /key tag must be a whole number from 0 to 65535/],
    ['1 13 2 abc', /digest must be an even number of hexadecimal digits/],
    ['1 13 2 zz', /digest must be an even number/],
  ])('refuses %j', (text, message) => {
    expect(() => parseRdata('DS', text, ctx)).toThrow(message);
    expect(() => parseRdata('DS', text, ctx)).toThrow(ValidationError);
  });

  it('refuses a wire DS without a digest', () => {
    expect(() => rdataFromWire('DS', Uint8Array.from([0xec, 0x45, 13, 2]))).toThrow(/empty/);
  });
});

describe('DS in the API JSON shape', () => {
  it('takes the digest as data and the numbers as ds_* fields, and stores the hex lower case', () => {
    const r = recordFromJson(
      {
        host: 'child',
        type: 'DS',
        ttl: 3600,
        data: sha256.toUpperCase(),
        ds_key_tag: '60485',
        ds_algorithm: 13,
        ds_digest_type: 2,
      },
      zone,
    );
    expect(r).toEqual(at('child.example.org.', `60485 13 2 ${sha256}`));
    expect(recordToJson(r, zone)).toEqual({
      host: 'child',
      ttl: 3600,
      type: 'DS',
      data: sha256,
      ds_key_tag: 60485,
      ds_algorithm: 13,
      ds_digest_type: 2,
    });
  });

  it('names the missing field', () => {
    expect(() =>
      recordFromJson(
        { host: 'child', type: 'DS', ttl: 60, data: sha256, ds_algorithm: 13, ds_digest_type: 2 },
        zone,
      ),
    ).toThrow("DS: 'ds_key_tag' is required");
  });
});

describe('DS validation', () => {
  it.each([
    [`1 13 2 ${sha256}`, []],
    [`1 8 4 ${'ab'.repeat(48)}`, []],
    ['1 13 2 abcd', /error: DS digest type 2 needs a 64-digit digest, got 4/],
    [`1 13 4 ${sha256}`, /error: DS digest type 4 needs a 96-digit digest, got 64/],
    [`1 13 1 ${sha256}`, /error: DS digest type 1 needs a 40-digit digest/],
    [`1 13 1 ${'ab'.repeat(20)}`, /warning: DS digest type 1 \(SHA-1\) is deprecated/],
    [`1 13 0 ${sha256}`, /error: DS digest type 0 is reserved/],
    [`1 13 9 ${sha256}`, /warning: DS digest type 9 is not 1/],
    [`1 0 2 ${sha256}`, /error: DS algorithm 0 is reserved/],
    [`1 1 2 ${sha256}`, /warning: DS algorithm 1 \(RSA\/MD5\) is no longer validated/],
    [`1 200 2 ${sha256}`, /warning: DS algorithm 200 is not one resolvers/],
  ] as const)('%s', (text, expected) => {
    const found = problems(at('child.example.org.', text));
    if (Array.isArray(expected)) expect(found).toEqual(expected);
    else expect(found.join('\n')).toMatch(expected as RegExp);
  });

  it('refuses a DS at the apex and says where it goes instead', () => {
    expect(problems(at(zone, `1 13 2 ${sha256}`)).join('\n')).toMatch(
      /error: DS is not allowed at the zone apex example\.org\.: the DS of this zone goes to its parent/,
    );
  });
});
