// Lookup semantics over a small zone: RFC 1034 §4.3.2, RFC 2308, RFC 4592, RFC 6672, RFC 8482.
import { describe, expect, it } from 'vitest';
import { Rcode, RRType } from '../wire/constants.js';
import { nameToWire, wireToName } from '../wire/name.js';
import type { Answer } from './answer.js';
import { resolve } from './lookup.js';
import { buildZone } from './testing/zone-builder.js';
import { createZoneTable } from './zone-table.js';

function setup() {
  const table = createZoneTable();
  table.replace(
    buildZone('example.org.', [
      ['@', 'NS', 'ns1.example.org.'],
      ['@', 'A', '192.0.2.1'],
      ['@', 'MX', 10, 'mail.example.org.'],
      ['@', 'CAA', 0, 'issue', 'letsencrypt.org'],
      ['ns1', 'A', '192.0.2.53'],
      ['mail', 'A', '192.0.2.25'],
      ['mail', 'AAAA', '2001:db8::25'],
      ['www', 'CNAME', 'example.org.'],
      ['alias', 'CNAME', 'www.example.org.'],
      ['dangling', 'CNAME', 'missing.example.org.'],
      ['out', 'CNAME', 'www.example.net.'],
      ['cross', 'CNAME', 'host.other.test.'],
      ['loop1', 'CNAME', 'loop2.example.org.'],
      ['loop2', 'CNAME', 'loop1.example.org.'],
      ['*.wild', 'TXT', 'wildcard'],
      ['*.wild', 'MX', 5, 'mail.example.org.'],
      ['fixed.wild', 'A', '192.0.2.8'],
      ['a.ent', 'A', '192.0.2.9'],
      ['*.cnwild', 'CNAME', 'www.example.org.'],
      ['sub', 'NS', 'ns.sub.example.org.'],
      ['sub', 'NS', 'ns.elsewhere.test.'],
      ['sub', 'DS', '12345'],
      ['ns.sub', 'A', '192.0.2.77'],
      ['old', 'DNAME', 'new.example.org.'],
      ['host.new', 'A', '192.0.2.99'],
      ['_sip._tcp', 'SRV', 1, 2, 5060, 'mail.example.org.'],
    ]),
  );
  table.replace(buildZone('other.test.', [['host', 'A', '198.51.100.1']]));
  return { table };
}

const q = (name: string, type: number, extra: { tcp?: boolean; dnssecOk?: boolean } = {}) => ({
  name,
  wire: nameToWire(name),
  type,
  dnssecOk: extra.dnssecOk ?? false,
  tcp: extra.tcp ?? false,
});
const owners = (s: Answer['answer']) =>
  s.map((e) => `${wireToName(e.owner, 0, true)} ${e.rrset.type}`);

describe('resolve', () => {
  const cases: [
    string,
    string,
    number,
    Partial<{
      rcode: number;
      aa: boolean;
      answer: string[];
      authority: string[];
      additional: string[];
      kind: string;
    }>,
    { tcp?: boolean; dnssecOk?: boolean }?,
  ][] = [
    [
      'an existing A record',
      'example.org.',
      RRType.A,
      { rcode: Rcode.NOERROR, aa: true, answer: ['example.org. 1'], authority: [] },
    ],
    [
      'NODATA with the SOA',
      'example.org.',
      RRType.AAAA,
      { rcode: Rcode.NOERROR, aa: true, answer: [], authority: ['example.org. 6'], kind: 'nodata' },
    ],
    [
      'NXDOMAIN with the SOA',
      'nope.example.org.',
      RRType.A,
      { rcode: Rcode.NXDOMAIN, aa: true, answer: [], authority: ['example.org. 6'] },
    ],
    [
      'an empty non-terminal as NODATA',
      'ent.example.org.',
      RRType.A,
      { rcode: Rcode.NOERROR, answer: [], authority: ['example.org. 6'] },
    ],
    [
      'a name outside our zones as REFUSED',
      'example.com.',
      RRType.A,
      { rcode: Rcode.REFUSED, aa: false, answer: [] },
    ],
    [
      'a CNAME chain inside the zone',
      'alias.example.org.',
      RRType.A,
      { answer: ['alias.example.org. 5', 'www.example.org. 5', 'example.org. 1'] },
    ],
    [
      'a CNAME query without following',
      'www.example.org.',
      RRType.CNAME,
      { answer: ['www.example.org. 5'] },
    ],
    [
      'a dangling CNAME as NXDOMAIN (RFC 6604)',
      'dangling.example.org.',
      RRType.A,
      { rcode: Rcode.NXDOMAIN, answer: ['dangling.example.org. 5'], authority: ['example.org. 6'] },
    ],
    [
      'a CNAME out of our zones',
      'out.example.org.',
      RRType.A,
      { rcode: Rcode.NOERROR, answer: ['out.example.org. 5'], authority: [] },
    ],
    [
      'a CNAME into another zone we serve',
      'cross.example.org.',
      RRType.A,
      { answer: ['cross.example.org. 5', 'host.other.test. 1'] },
    ],
    [
      'a CNAME loop, stopping',
      'loop1.example.org.',
      RRType.A,
      { rcode: Rcode.NOERROR, answer: ['loop1.example.org. 5', 'loop2.example.org. 5'] },
    ],
    [
      'a wildcard with the query name as owner',
      'x.wild.example.org.',
      RRType.TXT,
      { answer: ['x.wild.example.org. 16'], kind: 'wildcard' },
    ],
    [
      'a wildcard two labels down',
      'y.x.wild.example.org.',
      RRType.TXT,
      { answer: ['y.x.wild.example.org. 16'] },
    ],
    [
      'wildcard NODATA',
      'x.wild.example.org.',
      RRType.AAAA,
      { rcode: Rcode.NOERROR, answer: [], authority: ['example.org. 6'], kind: 'wildcard-nodata' },
    ],
    [
      'an existing name that the wildcard does not cover',
      'fixed.wild.example.org.',
      RRType.TXT,
      { rcode: Rcode.NOERROR, answer: [], kind: 'nodata' },
    ],
    [
      'a name below an existing one, not matching the parent wildcard',
      'z.fixed.wild.example.org.',
      RRType.TXT,
      { rcode: Rcode.NXDOMAIN },
    ],
    [
      'the wildcard name itself',
      '*.wild.example.org.',
      RRType.TXT,
      { answer: ['*.wild.example.org. 16'] },
    ],
    [
      'a wildcard CNAME',
      'q.cnwild.example.org.',
      RRType.A,
      { answer: ['q.cnwild.example.org. 5', 'www.example.org. 5', 'example.org. 1'] },
    ],
    [
      'a wildcard MX with target addresses',
      'm.wild.example.org.',
      RRType.MX,
      {
        answer: ['m.wild.example.org. 15'],
        additional: ['mail.example.org. 1', 'mail.example.org. 28'],
      },
    ],
    [
      'a referral below a cut with glue',
      'www.sub.example.org.',
      RRType.A,
      {
        rcode: Rcode.NOERROR,
        aa: false,
        answer: [],
        authority: ['sub.example.org. 2'],
        additional: ['ns.sub.example.org. 1'],
        kind: 'referral',
      },
    ],
    [
      'a referral at the cut itself',
      'sub.example.org.',
      RRType.NS,
      { aa: false, authority: ['sub.example.org. 2'] },
    ],
    [
      'DS at the cut answered by the parent',
      'sub.example.org.',
      RRType.DS,
      { aa: true, answer: ['sub.example.org. 43'] },
    ],
    [
      'DS in a signed referral',
      'a.sub.example.org.',
      RRType.A,
      { aa: false, authority: ['sub.example.org. 2', 'sub.example.org. 43'] },
      { dnssecOk: true },
    ],
    [
      'MX with in-zone target addresses',
      'example.org.',
      RRType.MX,
      { answer: ['example.org. 15'], additional: ['mail.example.org. 1', 'mail.example.org. 28'] },
    ],
    [
      'SRV with target addresses',
      '_sip._tcp.example.org.',
      RRType.SRV,
      { additional: ['mail.example.org. 1', 'mail.example.org. 28'] },
    ],
    [
      'NS with glue',
      'example.org.',
      RRType.NS,
      { answer: ['example.org. 2'], additional: ['ns1.example.org. 1'] },
    ],
    ['CAA at the apex', 'example.org.', RRType.CAA, { answer: ['example.org. 257'] }],
    [
      'ANY over UDP as one RRset (RFC 8482)',
      'example.org.',
      RRType.ANY,
      { answer: ['example.org. 1'] },
    ],
    [
      'ANY over TCP as every RRset',
      'mail.example.org.',
      RRType.ANY,
      { answer: ['mail.example.org. 1', 'mail.example.org. 28'] },
      { tcp: true },
    ],
    [
      'DNAME substitution',
      'host.old.example.org.',
      RRType.A,
      { answer: ['old.example.org. 39', 'host.old.example.org. 5', 'host.new.example.org. 1'] },
    ],
  ];

  it.each(cases)('answers %s', (_what, name, type, want, extra) => {
    const { table } = setup();
    const ans = resolve(table, q(name, type, extra));
    if (want.rcode !== undefined) expect(ans.rcode).toBe(want.rcode);
    if (want.aa !== undefined) expect(ans.aa).toBe(want.aa);
    if (want.kind !== undefined) expect(ans.kind).toBe(want.kind);
    if (want.answer) expect(owners(ans.answer)).toEqual(want.answer);
    if (want.authority) expect(owners(ans.authority)).toEqual(want.authority);
    if (want.additional) expect(owners(ans.additional)).toEqual(want.additional);
  });

  it('gives negative answers the TTL min(SOA TTL, MINIMUM) (RFC 2308 §3)', () => {
    const { table } = setup();
    const ans = resolve(table, q('nope.example.org.', RRType.A));
    expect(ans.authority[0]!.ttl).toBe(300);
  });

  it('keeps the client spelling as the owner of answers at the query name', () => {
    const { table } = setup();
    const wire = nameToWire('WwW.ExAmPlE.org.');
    const ans = resolve(table, {
      name: 'www.example.org.',
      wire,
      type: RRType.CNAME,
      dnssecOk: false,
      tcp: false,
    });
    expect(ans.answer[0]!.owner).toBe(wire);
  });

  it('serves the longest matching zone', () => {
    const { table } = setup();
    table.replace(buildZone('deep.example.org.', [['x', 'A', '203.0.113.1']]));
    expect(resolve(table, q('x.deep.example.org.', RRType.A)).zones[0]!.apex).toBe(
      'deep.example.org.',
    );
  });
});
