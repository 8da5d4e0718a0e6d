// RFC 2136 prerequisite evaluation and prescan against a snapshot.
import { describe, expect, it } from 'vitest';
import { Rcode, RRClass, RRType } from '../wire/constants.js';
import type { WireRecord } from '../wire/reader.js';
import { rdata, buildZone } from './testing/zone-builder.js';
import { checkPrerequisites, prescan } from './update.js';
import { indexZone } from './zone-index.js';

const zone = indexZone(
  buildZone('example.org.', [
    ['www', 'A', '192.0.2.1'],
    ['www', 'A', '192.0.2.2'],
    ['a.ent', 'TXT', 'x'],
  ]),
);
const r = (
  name: string,
  klass: number,
  type: number,
  data: Uint8Array = new Uint8Array(0),
  ttl = 0,
): WireRecord => ({ name, class: klass, type, ttl, rdata: data });

describe('UPDATE prerequisites', () => {
  it.each([
    ['name in use, holds', [r('www.example.org.', RRClass.ANY, RRType.ANY)], Rcode.NOERROR],
    ['name in use, fails', [r('nope.example.org.', RRClass.ANY, RRType.ANY)], Rcode.NXDOMAIN],
    [
      'an empty non-terminal is not in use',
      [r('ent.example.org.', RRClass.ANY, RRType.ANY)],
      Rcode.NXDOMAIN,
    ],
    ['RRset exists, holds', [r('www.example.org.', RRClass.ANY, RRType.A)], Rcode.NOERROR],
    ['RRset exists, fails', [r('www.example.org.', RRClass.ANY, RRType.AAAA)], Rcode.NXRRSET],
    ['name not in use, fails', [r('www.example.org.', RRClass.NONE, RRType.ANY)], Rcode.YXDOMAIN],
    ['RRset does not exist, fails', [r('www.example.org.', RRClass.NONE, RRType.A)], Rcode.YXRRSET],
    [
      'RRset equals values, holds',
      [
        r('www.example.org.', RRClass.IN, RRType.A, rdata.a('192.0.2.2')),
        r('www.example.org.', RRClass.IN, RRType.A, rdata.a('192.0.2.1')),
      ],
      Rcode.NOERROR,
    ],
    [
      'RRset equals values, fails on a subset',
      [r('www.example.org.', RRClass.IN, RRType.A, rdata.a('192.0.2.1'))],
      Rcode.NXRRSET,
    ],
    ['a name outside the zone', [r('www.example.com.', RRClass.ANY, RRType.ANY)], Rcode.NOTZONE],
    [
      'a non-zero TTL',
      [r('www.example.org.', RRClass.ANY, RRType.ANY, new Uint8Array(0), 5)],
      Rcode.FORMERR,
    ],
  ])('%s', (_what, prereqs, rcode) => {
    expect(checkPrerequisites(zone, prereqs)).toBe(rcode);
  });
});

describe('UPDATE prescan', () => {
  it.each([
    [
      'an add',
      [r('new.example.org.', RRClass.IN, RRType.A, rdata.a('192.0.2.9'), 300)],
      Rcode.NOERROR,
    ],
    ['delete an RRset', [r('www.example.org.', RRClass.ANY, RRType.A)], Rcode.NOERROR],
    [
      'delete all RRsets at a name',
      [r('www.example.org.', RRClass.ANY, RRType.ANY)],
      Rcode.NOERROR,
    ],
    [
      'delete one RR',
      [r('www.example.org.', RRClass.NONE, RRType.A, rdata.a('192.0.2.1'))],
      Rcode.NOERROR,
    ],
    [
      'an add outside the zone',
      [r('x.example.com.', RRClass.IN, RRType.A, rdata.a('192.0.2.9'), 300)],
      Rcode.NOTZONE,
    ],
    ['an add of a meta type', [r('x.example.org.', RRClass.IN, RRType.AXFR)], Rcode.FORMERR],
    [
      'a class ANY delete with data',
      [r('www.example.org.', RRClass.ANY, RRType.A, rdata.a('192.0.2.1'))],
      Rcode.FORMERR,
    ],
  ])('%s', (_what, updates, rcode) => {
    expect(prescan(zone, updates)).toBe(rcode);
  });
});
