// The seam between the DNS module (which builds zone data) and the wire server (which serves it).
// Everything here is plain data or a small callback interface; see index.ts for how they fit.
import type { TsigKey } from '../wire/tsig.js';

/** SOA fields (RFC 1035 §3.3.13) plus the SOA record's own TTL. `rdata` is encoded when absent. */
export interface SnapshotSoa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
  ttl: number;
  rdata?: Uint8Array;
}

/** One resource record, already encoded: RDATA uncompressed, as `record-types/*` `toWire` gives it. */
export interface SnapshotRecord {
  /** Absolute owner name ("www.example.org."); any letter case and escapes are canonicalised. */
  name: string;
  type: number;
  ttl: number;
  rdata: Uint8Array;
  /** For NS, MX, SRV, CNAME, DNAME: the target name; derived from `rdata` when absent. */
  target?: string;
}

/**
 * An immutable picture of one zone at one serial. Delegation points are the non-apex names that
 * own NS records (RFC 1034 §4.2.1); data below them is served only as glue.
 */
export interface ZoneSnapshot {
  apex: string;
  soa: SnapshotSoa;
  /** All records but the SOA (an SOA in this list is ignored). Order does not matter. */
  records: readonly SnapshotRecord[];
  /** Secondaries to NOTIFY when this zone changes, in addition to the server-wide list. */
  notify?: readonly NotifyTarget[];
}

/** One step of a zone's history, for IXFR (RFC 1995 §4). SOAs default to the current one with the serial swapped. */
export interface ZoneChange {
  oldSerial: number;
  newSerial: number;
  removed: readonly SnapshotRecord[];
  added: readonly SnapshotRecord[];
  oldSoa?: SnapshotSoa;
  newSoa?: SnapshotSoa;
}

/** A TSIG key with the zones it may transfer or update ('*' for all zones). */
export interface TsigKeyEntry extends TsigKey {
  zones: readonly string[] | '*';
}

type MaybeAsync<T> = T | Promise<T>;

/** What the server asks the DNS module for, beyond the snapshots pushed to it. All optional. */
export interface ZoneProvider {
  /** Every zone to serve when the server starts. */
  loadZones?(): MaybeAsync<readonly ZoneSnapshot[]>;
  /**
   * The changes from `fromSerial` up to the current serial, oldest first, or null to make the
   * server fall back to AXFR. When absent the server uses its own in-memory journal.
   */
  getChanges?(apex: string, fromSerial: number): MaybeAsync<readonly ZoneChange[] | null>;
  /** A TSIG key by its (canonical) name, or undefined. */
  getTsigKey?(name: string): MaybeAsync<TsigKeyEntry | undefined>;
}

/** A record of an UPDATE message's prerequisite or update section (RFC 2136 §2.4-2.5). */
export interface UpdateRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  rdata: Uint8Array;
}

/** A parsed, TSIG-verified, prerequisite-checked UPDATE for the DNS module to apply. */
export interface UpdateRequest {
  zone: string;
  keyName: string;
  source: string;
  prerequisites: readonly UpdateRecord[];
  updates: readonly UpdateRecord[];
}

/** Apply an UPDATE (through the same code path as the API) and return its RCODE. */
export type UpdateHandler = (request: UpdateRequest) => MaybeAsync<number>;

/** A secondary server to NOTIFY (RFC 1996), optionally with a TSIG key name to sign with. */
export interface NotifyTarget {
  address: string;
  port?: number;
  keyName?: string;
}

/** Who may transfer: a rule matches when the source is inside `cidr` (if set) and the request is signed by `keyName` (if set). */
export interface TransferRule {
  cidr?: string;
  keyName?: string;
}
