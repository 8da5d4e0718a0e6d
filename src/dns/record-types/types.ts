// The shape shared by every record type: the RecordType interface, RDATA data shapes, records.
import type { Token } from '../presentation.js';

/** Every record type Bestiary stores. SOA is generated from provider configuration, never edited. */
export type RecordTypeName =
  | 'A'
  | 'AAAA'
  | 'ANAME'
  | 'CAA'
  | 'CNAME'
  | 'DNAME'
  | 'DS'
  | 'MX'
  | 'NS'
  | 'PTR'
  | 'SOA'
  | 'SRV'
  | 'SSHFP'
  | 'TLSA'
  | 'TXT';

/** A validation finding: errors refuse the change; warnings are shown but allowed. */
export interface Issue {
  readonly level: 'error' | 'warning';
  readonly message: string;
}

/** Where relative names in presentation text or JSON resolve: an absolute, canonical origin. */
export interface NameContext {
  readonly origin: string;
}

/** What a validator may need to know about a record's place: its zone and owner (canonical). */
export interface RecordContext {
  readonly zone: string;
  readonly owner: string;
}

/** Untrusted JSON or form input for one record's RDATA: `data` plus the type's extra fields. */
export type JsonInput = Readonly<Record<string, unknown>>;

/** RDATA in the reference API's JSON shape (apis.md §3.1): `data` plus type-specific fields. */
export type JsonRdata = { data: string } & Record<string, string | number>;

/** IPv4 address in dotted-quad form. */
export interface AData {
  address: string;
}
/** IPv6 address in RFC 5952 canonical form. */
export interface AaaaData {
  address: string;
}
/** Types whose RDATA is a single name: CNAME, NS, PTR, DNAME, ANAME. */
export interface NameData {
  target: string;
}
/** RFC 1035 §3.3.9; `exchange` "." is a null MX (RFC 7505). */
export interface MxData {
  preference: number;
  exchange: string;
}
/** One or more character-strings, as octets (RFC 1035 §3.3.14). */
export interface TxtData {
  strings: Uint8Array[];
}
/** RFC 2782; `target` "." means the service is not offered. */
export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}
/** RFC 8659 §4.1. `tag` is lower-cased (tags match case-insensitively); `value` is UTF-8 text. */
export interface CaaData {
  flags: number;
  tag: string;
  value: string;
}
/** RFC 4255; `fingerprint` is lower-case hex. */
export interface SshfpData {
  algorithm: number;
  fpType: number;
  fingerprint: string;
}
/** RFC 6698; `data` (certificate association) is lower-case hex. */
export interface TlsaData {
  usage: number;
  selector: number;
  matchingType: number;
  data: string;
}
/** RFC 4034 §5.1; `digest` is lower-case hex. */
export interface DsData {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: string;
}
/** RFC 1035 §3.3.13; timers in seconds. */
export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** RDATA shape for each type. */
export interface RecordDataMap {
  A: AData;
  AAAA: AaaaData;
  ANAME: NameData;
  CAA: CaaData;
  CNAME: NameData;
  DNAME: NameData;
  DS: DsData;
  MX: MxData;
  NS: NameData;
  PTR: NameData;
  SOA: SoaData;
  SRV: SrvData;
  SSHFP: SshfpData;
  TLSA: TlsaData;
  TXT: TxtData;
}

/** A resource record of class IN: absolute canonical owner `name`, TTL in seconds, typed RDATA. */
export type DnsRecord<T extends RecordTypeName = RecordTypeName> = {
  [K in T]: { name: string; ttl: number; type: K; data: RecordDataMap[K] };
}[T];

/** One record type: presentation, JSON, and wire codecs plus its validator. */
export interface RecordType<D> {
  readonly type: RecordTypeName;
  /** IANA type code (ANAME: private-use 65401, see aname.ts). */
  readonly code: number;
  /** Extra JSON fields beside `data`, in the reference API's names (e.g. `mx_priority`). */
  readonly jsonFields: readonly string[];
  /** Parses RDATA tokens (RFC 1035 §5); relative names resolve against ctx.origin. */
  parse(tokens: readonly Token[], ctx: NameContext): D;
  /** Prints RDATA in presentation form; names are absolute with a trailing dot. */
  format(data: D): string;
  /** Reads the API JSON shape; targets are resolved as people type them (names.resolveTarget). */
  fromJson(input: JsonInput, ctx: NameContext): D;
  /** The API JSON shape: `data` plus type fields. */
  toJson(data: D): JsonRdata;
  /** Uncompressed RDATA octets. */
  toWire(data: D): Uint8Array;
  /** Decodes RDATA at buf[start, end); pass a whole message to resolve compressed names. */
  fromWire(buf: Uint8Array, start?: number, end?: number): D;
  /** Problems with this one record (cross-record rules live in rrset-rules.ts). */
  validate(data: D, ctx: RecordContext): Issue[];
  /** The name this record points at (for additional-section processing), or null. */
  target(data: D): string | null;
}
