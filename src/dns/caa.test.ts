import { describe, expect, it } from 'vitest';
import { evaluateCaa, policyFromRecords, type CaaLookup } from './caa.js';
import { caaLookupFromRecords, caaRecordsForPolicy, wellKnownCas } from './caa-records.js';
import { parseZoneFile } from './zonefile.js';

const zone = 'example.org.';

function setup(zoneText: string, zones: string[] = [zone]): CaaLookup {
  const records = zones.flatMap((z) =>
    parseZoneFile(zoneText, { zone: z, defaultTtl: 300 }).filter((r) => r.name.endsWith(z)),
  );
  return caaLookupFromRecords(records, zones);
}

const caa = (flags: number, tag: string, value: string) => ({ flags, tag, value });

describe('policyFromRecords (RFC 8659 §4)', () => {
  it.each([
    [
      'lets anyone issue without issue properties',
      [caa(0, 'iodef', 'mailto:a@b.example')],
      'anyone',
      'anyone',
    ],
    [
      'limits to the named issuers',
      [caa(0, 'issue', 'letsencrypt.org'), caa(0, 'issue', 'pki.goog')],
      'issuers',
      'issuers',
    ],
    ['lets nobody issue for a bare ;', [caa(0, 'issue', ';')], 'nobody', 'nobody'],
    ['treats a malformed value as nobody', [caa(0, 'issue', 'not a domain!')], 'nobody', 'nobody'],
    [
      'lets issuewild override issue for wildcards',
      [caa(0, 'issue', 'letsencrypt.org'), caa(0, 'issuewild', ';')],
      'issuers',
      'nobody',
    ],
    [
      'ignores issuewild for normal certificates',
      [caa(0, 'issuewild', 'digicert.com')],
      'anyone',
      'issuers',
    ],
    [
      'stops everything for a critical unknown tag',
      [caa(0, 'issue', 'letsencrypt.org'), caa(128, 'tbs', 'x')],
      'nobody',
      'nobody',
    ],
    [
      'ignores a non-critical unknown tag',
      [caa(0, 'issue', 'letsencrypt.org'), caa(0, 'tbs', 'x')],
      'issuers',
      'issuers',
    ],
    [
      'honours the critical bit on known tags',
      [caa(128, 'issue', 'letsencrypt.org')],
      'issuers',
      'issuers',
    ],
  ])('%s', (_, records, normal, wildcard) => {
    expect(policyFromRecords(records, false).kind).toBe(normal);
    expect(policyFromRecords(records, true).kind).toBe(wildcard);
  });

  it('lists issuers with their parameters', () => {
    const policy = policyFromRecords(
      [
        caa(
          0,
          'issue',
          'letsencrypt.org; accounturi=https://acme.example/acct/1; validationmethods=dns-01',
        ),
      ],
      false,
    );
    expect(policy).toEqual({
      kind: 'issuers',
      reason: 'only letsencrypt.org (issue)',
      issuers: [
        {
          domain: 'letsencrypt.org',
          parameters: [
            { key: 'accounturi', value: 'https://acme.example/acct/1' },
            { key: 'validationmethods', value: 'dns-01' },
          ],
        },
      ],
    });
  });
});

describe('evaluateCaa (RFC 8659 §3)', () => {
  const text = [
    '@ CAA 0 issue "letsencrypt.org"',
    '@ CAA 0 iodef "mailto:security@example.org"',
    'www A 192.0.2.1',
    'shop CAA 0 issue "digicert.com"',
    'shop CAA 0 issuewild ";"',
    'alias CNAME shop',
    'blog CNAME blog.example.net.',
    'cdn CNAME nocaa',
    'nocaa A 192.0.2.2',
    'loop1 CNAME loop2',
    'loop2 CNAME loop1',
    '*.wild CAA 0 issue "pki.goog"',
    'old DNAME shop.example.org.',
    'sub.shop CAA 0 issue "ssl.com"',
  ].join('\n');
  const lookup = setup(text);

  it('climbs to the closest CAA RRset', async () => {
    const result = await evaluateCaa('deep.www.example.org.', lookup);
    expect(result.relevantName).toBe('example.org.');
    expect(result.foundAt).toBe('example.org.');
    expect(result.normal).toMatchObject({
      kind: 'issuers',
      issuers: [{ domain: 'letsencrypt.org' }],
    });
    expect(result.wildcard.kind).toBe('issuers');
    expect(result.iodef).toEqual(['mailto:security@example.org']);
    expect(result.steps).toEqual([
      'no CAA records at deep.www.example.org.',
      'no CAA records at www.example.org.',
      'the relevant CAA records are at example.org.',
    ]);
  });

  it('uses the CAA RRset at the name itself before any parent', async () => {
    const result = await evaluateCaa('shop.example.org.', lookup);
    expect(result.normal).toMatchObject({ kind: 'issuers', issuers: [{ domain: 'digicert.com' }] });
    expect(result.wildcard.kind).toBe('nobody');
  });

  it('follows a CNAME to the target CAA RRset', async () => {
    const result = await evaluateCaa('alias.example.org.', lookup);
    expect(result).toMatchObject({
      relevantName: 'alias.example.org.',
      foundAt: 'shop.example.org.',
      aliases: ['shop.example.org.'],
    });
    expect(result.normal).toMatchObject({ issuers: [{ domain: 'digicert.com' }] });
  });

  it("climbs from the alias's parent, not the target's, when the target has no CAA", async () => {
    const result = await evaluateCaa('cdn.example.org.', lookup);
    expect(result.relevantName).toBe('example.org.');
    expect(result.steps[0]).toBe(
      'cdn.example.org. is an alias for nocaa.example.org.; following it',
    );
  });

  it('says it cannot tell when an alias leaves our zones', async () => {
    const result = await evaluateCaa('blog.example.org.', lookup);
    expect(result.normal.kind).toBe('unknown');
    expect(result.normal).toMatchObject({
      reason: expect.stringContaining('blog.example.net.') as string,
    });
  });

  it('survives alias loops', async () => {
    expect((await evaluateCaa('loop1.example.org.', lookup)).normal.kind).toBe('unknown');
  });

  it('answers from a wildcard for names that do not exist', async () => {
    const result = await evaluateCaa('anything.wild.example.org.', lookup);
    expect(result.normal).toMatchObject({ issuers: [{ domain: 'pki.goog' }] });
  });

  it('follows a DNAME-synthesised alias', async () => {
    const result = await evaluateCaa('sub.old.example.org.', lookup);
    expect(result).toMatchObject({
      relevantName: 'sub.old.example.org.',
      foundAt: 'sub.shop.example.org.',
    });
    expect(result.normal).toMatchObject({ issuers: [{ domain: 'ssl.com' }] });
    const miss = await evaluateCaa('x.old.example.org.', lookup);
    expect(miss.steps[0]).toBe(
      'x.old.example.org. is an alias for x.shop.example.org.; following it',
    );
    expect(miss.relevantName).toBe('example.org.');
  });

  it('lets anyone issue when no CAA applies, assuming none at the TLD', async () => {
    const bare = setup('www A 192.0.2.1');
    const result = await evaluateCaa('www.example.org.', bare);
    expect(result.normal.kind).toBe('anyone');
    expect(result.wildcard.kind).toBe('anyone');
    expect(result.steps.at(-1)).toBe('org. is a top-level domain, assumed to have no CAA records');
  });

  it('says it cannot tell when a parent zone is hosted elsewhere', async () => {
    const sub = setup('@ A 192.0.2.1', ['sub.example.org.']);
    const result = await evaluateCaa('sub.example.org.', sub);
    expect(result.normal.kind).toBe('unknown');
    expect(result.relevantName).toBe('example.org.');
  });

  it('treats a critical unknown tag as nobody for both kinds', async () => {
    const strict = setup('@ CAA 128 future "x"\n@ CAA 0 issue "letsencrypt.org"');
    const result = await evaluateCaa('example.org.', strict);
    expect(result.normal.kind).toBe('nobody');
    expect(result.wildcard.kind).toBe('nobody');
  });

  it('works with an asynchronous lookup', async () => {
    const asyncLookup: CaaLookup = async (name) => lookup(name);
    expect((await evaluateCaa('shop.example.org.', asyncLookup)).normal.kind).toBe('issuers');
  });
});

describe('caaRecordsForPolicy', () => {
  it('publishes one issue record per CA, a wildcard policy and a report address', () => {
    expect(
      caaRecordsForPolicy({
        issuers: ['letsencrypt.org', 'pki.goog'],
        wildcard: 'none',
        iodef: 'mailto:a@example.org',
      }),
    ).toEqual([
      caa(0, 'issue', 'letsencrypt.org'),
      caa(0, 'issue', 'pki.goog'),
      caa(0, 'issuewild', ';'),
      caa(0, 'iodef', 'mailto:a@example.org'),
    ]);
  });

  it('publishes issue ";" when no CA may issue, and no issuewild when wildcards follow issue', () => {
    expect(caaRecordsForPolicy({ issuers: [], wildcard: 'same' })).toEqual([caa(0, 'issue', ';')]);
  });

  it('gives wildcards their own CAs', () => {
    expect(
      caaRecordsForPolicy({ issuers: ['letsencrypt.org'], wildcard: ['digicert.com'] }),
    ).toEqual([caa(0, 'issue', 'letsencrypt.org'), caa(0, 'issuewild', 'digicert.com')]);
  });

  it('round-trips through evaluation', () => {
    const records = caaRecordsForPolicy({ issuers: ['sectigo.com'], wildcard: 'none' });
    expect(policyFromRecords(records, false)).toMatchObject({
      issuers: [{ domain: 'sectigo.com' }],
    });
    expect(policyFromRecords(records, true).kind).toBe('nobody');
  });

  it('offers the usual CAs', () => {
    expect(wellKnownCas.map((c) => c.domain)).toContain('letsencrypt.org');
  });
});
