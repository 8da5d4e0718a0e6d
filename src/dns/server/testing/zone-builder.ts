// Building snapshots by hand for tests and benchmarks, with just enough RDATA encoders; the DNS
// module builds real ones from record-types/*. Not used by the server itself.
import { RRType } from '../../wire/constants.js';
import { nameToWire } from '../../wire/name.js';
import type { SnapshotRecord, SnapshotSoa, ZoneSnapshot } from '../types.js';

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);

/** RDATA encoders for the types tests need, from presentation-like arguments. */
export const rdata = {
  a: (ip: string): Uint8Array => Uint8Array.from(ip.split('.').map(Number)),
  aaaa(ip: string): Uint8Array {
    const [h = '', t = ''] = ip.split('::');
    const hs = h ? h.split(':') : [];
    const ts = t ? t.split(':') : [];
    const groups = [...hs, ...Array<string>(8 - hs.length - ts.length).fill('0'), ...ts];
    return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
  },
  name: (n: string): Uint8Array => nameToWire(n),
  mx: (pref: number, host: string): Uint8Array => Buffer.concat([u16(pref), nameToWire(host)]),
  srv: (prio: number, weight: number, port: number, host: string): Uint8Array =>
    Buffer.concat([u16(prio), u16(weight), u16(port), nameToWire(host)]),
  txt: (...strings: string[]): Uint8Array =>
    Buffer.concat(
      strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])),
    ),
  caa: (flags: number, tag: string, value: string): Uint8Array =>
    Buffer.concat([Buffer.from([flags, tag.length]), Buffer.from(tag), Buffer.from(value)]),
};

type Spec = [name: string, type: keyof typeof types, ...args: (string | number)[]];

const types = {
  A: RRType.A,
  AAAA: RRType.AAAA,
  NS: RRType.NS,
  CNAME: RRType.CNAME,
  MX: RRType.MX,
  TXT: RRType.TXT,
  SRV: RRType.SRV,
  CAA: RRType.CAA,
  PTR: RRType.PTR,
  DNAME: RRType.DNAME,
  DS: RRType.DS,
};

function encode(type: keyof typeof types, args: (string | number)[]): Uint8Array {
  const s = (i: number): string => String(args[i]);
  const n = (i: number): number => Number(args[i]);
  switch (type) {
    case 'A':
      return rdata.a(s(0));
    case 'AAAA':
      return rdata.aaaa(s(0));
    case 'NS':
    case 'CNAME':
    case 'PTR':
    case 'DNAME':
      return rdata.name(s(0));
    case 'MX':
      return rdata.mx(n(0), s(1));
    case 'TXT':
      return rdata.txt(...args.map(String));
    case 'SRV':
      return rdata.srv(n(0), n(1), n(2), s(3));
    case 'CAA':
      return rdata.caa(n(0), s(1), s(2));
    case 'DS':
      return Buffer.from(s(0), 'hex');
  }
}

/** A snapshot of `apex` from compact specs: ['www', 'A', '192.0.2.1']; '@' is the apex; relative names are under it. */
export function buildZone(
  apex: string,
  specs: readonly Spec[],
  opts: { serial?: number; ttl?: number; soa?: Partial<SnapshotSoa> } = {},
): ZoneSnapshot {
  const abs = (name: string): string =>
    name === '@' ? apex : name.endsWith('.') ? name : `${name}.${apex}`;
  const records: SnapshotRecord[] = specs.map(([name, type, ...args]) => ({
    name: abs(name),
    type: types[type],
    ttl: opts.ttl ?? 3600,
    rdata: encode(type, args),
  }));
  const soa: SnapshotSoa = {
    mname: `ns1.${apex}`,
    rname: `hostmaster.${apex}`,
    serial: opts.serial ?? 1,
    refresh: 3600,
    retry: 600,
    expire: 604800,
    minimum: 300,
    ttl: 3600,
    ...opts.soa,
  };
  return { apex, soa, records };
}
