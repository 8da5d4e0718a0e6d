// From stored records to what the wire server serves: a ZoneSnapshot with encoded RDATA and the
// SOA from provider configuration. ANAME (an apex alias) is resolved here into A/AAAA records,
// since it has no meaning on the wire.
import { normalizeName } from './names.js';
import type { DnsRecord } from './record-types/index.js';
import { rdataToWire, recordTarget, typeCode } from './record-types/index.js';
import type { StoredRecord } from './records.js';
import { apexOf } from './records.js';
import type { SnapshotRecord, ZoneSnapshot } from './server/index.js';
import type { ZoneRow } from './store.js';

export interface SoaSettings {
  /** Primary nameserver (SOA MNAME), absolute. */
  primary: string;
  /** Responsible mailbox in DNS form (hostmaster.example.net.). */
  hostmaster: string;
  refresh: number;
  retry: number;
  expire: number;
  /** Negative-caching TTL (RFC 2308 §4). */
  minimum: number;
  ttl: number;
}

/** Addresses an ANAME target has: from our own zones, or looked up outside. */
export type AnameResolver = (
  target: string,
) => Promise<{ a: string[]; aaaa: string[]; ttl: number }>;

export function toSnapshotRecord(record: DnsRecord): SnapshotRecord {
  const target = recordTarget(record);
  return {
    name: record.name,
    type: typeCode(record.type),
    ttl: record.ttl,
    rdata: rdataToWire(record),
    ...(target ? { target } : {}),
  };
}

/** The snapshot of a zone at its current serial. */
export async function buildSnapshot(
  zone: ZoneRow,
  records: readonly StoredRecord[],
  soa: SoaSettings,
  resolveAname: AnameResolver,
): Promise<ZoneSnapshot> {
  const apex = apexOf(zone);
  const served: SnapshotRecord[] = [];
  for (const r of records) {
    if (r.type !== 'ANAME') {
      served.push(toSnapshotRecord(r.record));
      continue;
    }
    const target = r.record.type === 'ANAME' ? r.record.data.target : '';
    const { a, aaaa, ttl } = await resolveAname(normalizeName(target));
    const recordTtl = Math.min(r.ttl, ttl);
    for (const address of a)
      served.push(
        toSnapshotRecord({ name: r.record.name, ttl: recordTtl, type: 'A', data: { address } }),
      );
    for (const address of aaaa)
      served.push(
        toSnapshotRecord({ name: r.record.name, ttl: recordTtl, type: 'AAAA', data: { address } }),
      );
  }
  return {
    apex,
    soa: {
      mname: soa.primary,
      rname: soa.hostmaster,
      serial: Number(zone.serial),
      refresh: soa.refresh,
      retry: soa.retry,
      expire: soa.expire,
      minimum: soa.minimum,
      ttl: soa.ttl,
    },
    records: served,
  };
}
