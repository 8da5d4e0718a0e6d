// The record-type registry (STYLE habit 8) and record-level helpers over it: type codes, RDATA in
// presentation/JSON/wire form for any record, per-record validation and canonical comparison.
import { ValidationError } from '../../core/errors.js';
import { hostOf, resolveHost } from '../names.js';
import { tokenizeRdata, type Token } from '../presentation.js';
import { a } from './a.js';
import { aaaa } from './aaaa.js';
import { aname } from './aname.js';
import { caa } from './caa.js';
import { cname } from './cname.js';
import { dname } from './dname.js';
import { ds } from './ds.js';
import { mx } from './mx.js';
import { ns } from './ns.js';
import { ptr } from './ptr.js';
import { soa } from './soa.js';
import { srv } from './srv.js';
import { sshfp } from './sshfp.js';
import { tlsa } from './tlsa.js';
import { txt } from './txt.js';
import type {
  DnsRecord,
  Issue,
  JsonInput,
  JsonRdata,
  NameContext,
  RecordDataMap,
  RecordType,
  RecordTypeName,
} from './types.js';

// Re-exported so other code needs only this file: the shapes, ANAME's private-use code, the CAA
// value grammar (used by ../caa.ts), TXT as text, and TTL parsing with units.
export type * from './types.js';
export { ANAME_CODE } from './aname.js';
export { CAA_CRITICAL, parseIssueValue, type IssueValue } from './caa.js';
export { txtText } from './txt.js';
export { parseDuration } from './common.js';

/** Every record type by name. */
export const recordTypes = {
  A: a,
  AAAA: aaaa,
  ANAME: aname,
  CAA: caa,
  CNAME: cname,
  DNAME: dname,
  DS: ds,
  MX: mx,
  NS: ns,
  PTR: ptr,
  SOA: soa,
  SRV: srv,
  SSHFP: sshfp,
  TLSA: tlsa,
  TXT: txt,
} satisfies { [K in RecordTypeName]: RecordType<RecordDataMap[K]> };

/** All type names, alphabetically. */
export const recordTypeNames = Object.keys(recordTypes) as readonly RecordTypeName[];

const byCode = new Map<number, RecordTypeName>(
  recordTypeNames.map((t) => [recordTypes[t].code, t]),
);

/** The codec of a type, typed by its name. */
export function codecOf<T extends RecordTypeName>(type: T): RecordType<RecordDataMap[T]> {
  return recordTypes[type] as unknown as RecordType<RecordDataMap[T]>;
}

/** The codec of a record's type, for code that handles records of any type. */
const codec = (type: RecordTypeName): RecordType<unknown> => recordTypes[type];

/** True when `text` names a supported type (upper case, as on the wire and in the API). */
export const isRecordTypeName = (text: string): text is RecordTypeName => text in recordTypes;

/** A type name from user text (any case); throws ValidationError for unsupported types. */
export function parseTypeName(text: string): RecordTypeName {
  const upper = text.trim().toUpperCase();
  if (isRecordTypeName(upper)) return upper;
  throw new ValidationError(`Unsupported record type '${text}'`, [
    `record type must be one of ${recordTypeNames.join(', ')}`,
  ]);
}

/** The type with this numeric code, if Bestiary supports it. */
export const typeByCode = (code: number): RecordTypeName | undefined => byCode.get(code);

/** The numeric code of a type (ANAME: the private-use 65401). */
export const typeCode = (type: RecordTypeName): number => recordTypes[type].code;

/** Parses RDATA text or tokens of `type` (RFC 1035 §5 presentation form). */
export function parseRdata<T extends RecordTypeName>(
  type: T,
  text: string | readonly Token[],
  ctx: NameContext,
): RecordDataMap[T] {
  return codecOf(type).parse(typeof text === 'string' ? tokenizeRdata(text) : text, ctx);
}

/** A record's RDATA in presentation form. */
export const formatRdata = (r: DnsRecord): string => codec(r.type).format(r.data);

/** A record's RDATA as uncompressed wire octets. */
export const rdataToWire = (r: DnsRecord): Uint8Array => codec(r.type).toWire(r.data);

/** Decodes RDATA of `type` at buf[start, end) (pass the whole message for compressed names). */
export function rdataFromWire<T extends RecordTypeName>(
  type: T,
  buf: Uint8Array,
  start?: number,
  end?: number,
): RecordDataMap[T] {
  return codecOf(type).fromWire(buf, start, end);
}

/** The name a record points at (CNAME/NS/MX/SRV/PTR/DNAME/ANAME), or null. */
export const recordTarget = (r: DnsRecord): string | null => codec(r.type).target(r.data);

/** Per-record problems of `r` in `zone` (cross-record rules: rrset-rules.ts). */
export const validateRecord = (r: DnsRecord, zone: string): Issue[] =>
  codec(r.type).validate(r.data, { zone, owner: r.name });

/** A key equal for records with the same owner, type and RDATA (compared in canonical wire form). */
export function recordKey(r: DnsRecord): string {
  return `${r.name} ${r.type} ${Buffer.from(rdataToWire(r)).toString('hex')}`;
}

/** True when two records have the same owner, type and canonical RDATA (TTL ignored). */
export const sameRecord = (x: DnsRecord, y: DnsRecord): boolean => recordKey(x) === recordKey(y);

/** A record as the reference API shows it (apis.md §3.1). */
export type ApiRecord = { host: string; ttl: number; type: RecordTypeName } & JsonRdata;

/** A record in the API's JSON shape, with its host relative to `zone`. */
export function recordToJson(r: DnsRecord, zone: string): ApiRecord {
  return { host: hostOf(r.name, zone), ttl: r.ttl, type: r.type, ...codec(r.type).toJson(r.data) };
}

/** What a URL or a zone's settings supply when a JSON record omits host, type or ttl. */
export interface JsonDefaults {
  host?: string;
  type?: string;
  ttl?: number;
}

function ttlFromJson(value: unknown, fallback: number | undefined): number {
  if (value === undefined || value === '') {
    if (fallback === undefined)
      throw new ValidationError("Record needs a 'ttl'", ["'ttl' is required"]);
    return fallback;
  }
  const n = typeof value === 'string' && /^\s*[0-9]{1,10}\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new ValidationError("'ttl' must be a whole number of seconds", [
      "'ttl' must be a whole number of seconds",
    ]);
  }
  return n;
}

/** Reads one record in the API's JSON (or form) shape; host is resolved with names.resolveHost. */
export function recordFromJson(
  input: JsonInput,
  zone: string,
  defaults: JsonDefaults = {},
): DnsRecord {
  const host = input.host ?? defaults.host ?? '@';
  const type = input.type ?? defaults.type;
  if (typeof host !== 'string')
    throw new ValidationError("'host' must be a string", ["'host' must be a string"]);
  if (typeof type !== 'string')
    throw new ValidationError("Record needs a 'type'", ["'type' is required"]);
  const t = parseTypeName(type);
  return {
    name: resolveHost(host, zone),
    ttl: ttlFromJson(input.ttl, defaults.ttl),
    type: t,
    data: codec(t).fromJson(input, { origin: zone }),
  } as DnsRecord;
}

/** `host ttl TYPE rdata`, the form the reference quotes in "Duplicate record '…'" errors. */
export function describeRecord(r: DnsRecord, zone: string): string {
  return `${hostOf(r.name, zone)} ${r.ttl} ${r.type} ${formatRdata(r)}`;
}
