// DNS protocol numbers (RFC 1035 §3.2, RFC 6895 registries) used by the wire codec and the server.

/** RR type codes the server treats specially; any other 16-bit type is carried opaquely. */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MINFO: 14,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  AAAA: 28,
  SRV: 33,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
  CAA: 257,
} as const;

export const RRClass = { IN: 1, CH: 3, NONE: 254, ANY: 255 } as const;

export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

/** RCODEs, including the extended ones carried in OPT (RFC 6891) and TSIG (RFC 8945). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
  BADVERS: 16,
  BADSIG: 16,
  BADKEY: 17,
  BADTIME: 18,
  BADTRUNC: 22,
} as const;

/** Header flag bits in the second 16-bit word (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD/CD). */
export const Flag = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

export const HEADER_SIZE = 12;
/** Classic UDP payload limit without EDNS (RFC 1035 §4.2.1). */
export const UDP_CLASSIC_LIMIT = 512;
/** The payload size we advertise and cap to: the DNS Flag Day 2020 value, safe from fragmentation. */
export const EDNS_MAX_PAYLOAD = 1232;
export const MAX_NAME_WIRE = 255;
export const MAX_LABEL = 63;

/** RR types whose RDATA names may be compressed when we send (RFC 3597 §4: the RFC 1035 types only). */
export const COMPRESSIBLE_RDATA = new Set<number>([
  RRType.NS,
  RRType.CNAME,
  RRType.PTR,
  RRType.MX,
  RRType.SOA,
]);

/** Mnemonics for metrics labels and logs; unknown codes print as TYPEnnn (RFC 3597 §5). */
const typeNames = new Map<number, string>(Object.entries(RRType).map(([k, v]) => [v, k]));
export const typeName = (t: number): string => typeNames.get(t) ?? `TYPE${t}`;

const rcodeNames = new Map<number, string>([
  [0, 'NOERROR'],
  [1, 'FORMERR'],
  [2, 'SERVFAIL'],
  [3, 'NXDOMAIN'],
  [4, 'NOTIMP'],
  [5, 'REFUSED'],
  [6, 'YXDOMAIN'],
  [7, 'YXRRSET'],
  [8, 'NXRRSET'],
  [9, 'NOTAUTH'],
  [10, 'NOTZONE'],
  [16, 'BADVERS'],
]);
export const rcodeName = (r: number): string => rcodeNames.get(r) ?? `RCODE${r}`;
