// Zone transfer history for IXFR (RFC 1995): the change log's rows as the server's deltas.
import type { DnsRecord, RecordTypeName } from './record-types/index.js';
import { parseRdata } from './record-types/index.js';
import { resolveHost } from './names.js';
import { apexOf } from './records.js';
import type { ZoneChange } from './server/index.js';
import { toSnapshotRecord } from './snapshot.js';
import type { DnsStore } from './store.js';

/** IXFR history (RFC 1995) from the change log; null falls back to AXFR. */
export function createIxfrHistory(store: DnsStore) {
  return async function changesSince(
    apex: string,
    fromSerial: number,
  ): Promise<ZoneChange[] | null> {
    const zone = await store.zoneByName(apex.replace(/\.$/, ''));
    // A signed zone's history holds no signatures: AXFR instead (RFC 1995 §4 allows it).
    if (!zone || zone.dnssec) return null;
    const rows = await store.changesSince(zone.id, fromSerial);
    if (rows.length === 0 || Number(rows[0]!.old_serial) !== fromSerial) return null;
    const toRecords = (json: string): DnsRecord[] =>
      (JSON.parse(json) as { host: string; type: string; ttl: number; rdata: string }[]).map(
        (l) =>
          ({
            name: resolveHost(l.host, apexOf(zone)),
            ttl: l.ttl,
            type: l.type as RecordTypeName,
            data: parseRdata(l.type as RecordTypeName, l.rdata, { origin: apexOf(zone) }),
          }) as DnsRecord,
      );
    const changes: ZoneChange[] = [];
    for (const row of rows) {
      const removed = toRecords(row.removed);
      const added = toRecords(row.added);
      // ANAME is served as resolved addresses, which a delta cannot express: send the whole zone.
      if ([...removed, ...added].some((r) => r.type === 'ANAME')) return null;
      changes.push({
        oldSerial: Number(row.old_serial),
        newSerial: Number(row.new_serial),
        removed: removed.map(toSnapshotRecord),
        added: added.map(toSnapshotRecord),
      });
    }
    return changes;
  };
}
