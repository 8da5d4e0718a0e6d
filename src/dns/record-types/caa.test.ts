import { describe, expect, it } from 'vitest';
import { caa, parseIssueValue } from './caa.js';
import type { CaaData } from './types.js';

const ctx = { zone: 'example.org.', owner: 'example.org.' };
const check = (d: CaaData): string[] => caa.validate(d, ctx).map((i) => `${i.level}: ${i.message}`);

describe('CAA issue values (RFC 8659 §4.2)', () => {
  it.each([
    ['letsencrypt.org', { issuer: 'letsencrypt.org', parameters: [] }],
    [';', { issuer: null, parameters: [] }],
    ['', { issuer: null, parameters: [] }],
    [
      'letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1; validationmethods=dns-01',
      {
        issuer: 'letsencrypt.org',
        parameters: [
          { key: 'accounturi', value: 'https://acme-v02.api.letsencrypt.org/acme/acct/1' },
          { key: 'validationmethods', value: 'dns-01' },
        ],
      },
    ],
    ['  DigiCert.COM ;', { issuer: 'digicert.com', parameters: [] }],
  ])('reads %j', (value, expected) => {
    expect(parseIssueValue(value)).toEqual(expected);
  });

  it.each([
    'lets encrypt.org',
    'letsencrypt.org; key',
    'letsencrypt.org; a=b c',
    '-ca.example',
    'ca..example',
    'ca.example;;a=b',
  ])('finds %j malformed', (value) => {
    expect(parseIssueValue(value)).toHaveProperty('problem');
  });
});

describe('CAA record validation', () => {
  it.each([
    [{ flags: 0, tag: 'issue', value: 'letsencrypt.org' }, []],
    [{ flags: 0, tag: 'issuewild', value: ';' }, []],
    [{ flags: 0, tag: 'iodef', value: 'mailto:security@example.org' }, []],
    [{ flags: 0, tag: 'iodef', value: 'https://example.org/caa-report' }, []],
    [{ flags: 0, tag: 'issuemail', value: 'ca.example' }, []],
    [{ flags: 0, tag: 'iodef', value: 'http://example.org/report' }, ['error: iodef']],
    [{ flags: 0, tag: 'iodef', value: 'security@example.org' }, ['error: iodef']],
    [{ flags: 0, tag: 'issue', value: 'lets encrypt' }, ['error: CAA issue']],
    [
      { flags: 128, tag: 'tbs', value: 'x' },
      ["warning: CAA tag 'tbs' is unknown and marked critical"],
    ],
    [
      { flags: 0, tag: 'isue', value: 'x' },
      ["warning: CAA tag 'isue' is unknown; CAs will ignore it"],
    ],
    [{ flags: 1, tag: 'issue', value: 'ca.example' }, ['warning: CAA flags 1 set reserved bits']],
  ])('%j', (data, expected) => {
    const found = check(data);
    expect(found).toHaveLength(expected.length);
    expected.forEach((prefix, i) => expect(found[i]).toContain(prefix));
  });

  it('keeps unknown tags and their values through every codec', () => {
    const d = { flags: 128, tag: 'future', value: 'opaque value' };
    expect(caa.fromWire(caa.toWire(d))).toEqual(d);
    expect(caa.fromJson(caa.toJson(d), { origin: 'example.org.' })).toEqual(d);
  });

  it('lower-cases tags, which match case-insensitively', () => {
    expect(caa.fromJson({ caa_tag: 'IssueWild', data: ';' }, { origin: '.' }).tag).toBe(
      'issuewild',
    );
  });
});
