// An in-memory IXFR journal: the difference between consecutive snapshots of each zone, kept
// for the last few changes so secondaries can catch up incrementally (RFC 1995) until a restart.
import type { IndexedZone, RRset } from './zone-index.js';
import type { SnapshotRecord, ZoneChange } from './types.js';

export interface Journal {
  record(previous: IndexedZone, next: IndexedZone): void;
  /** Changes from `fromSerial` to the current serial, or null when the history does not reach back. */
  changesSince(apex: string, fromSerial: number): ZoneChange[] | null;
  forget(apex: string): void;
}

/** All records of an indexed zone except the SOA, keyed for set comparison. */
export function zoneRecords(zone: IndexedZone): Map<string, SnapshotRecord> {
  const out = new Map<string, SnapshotRecord>();
  // A signed zone's RRSIGs and NSEC3 chain go with it (RFC 5936 §2.2: the whole zone).
  const sets: RRset[] = [];
  for (const node of zone.nodes.values()) for (const set of node.rrsets.values()) sets.push(set);
  for (const set of zone.nsec3?.byHash.values() ?? []) sets.push(set);
  for (const set of [...sets]) if (set.sigs) sets.push(set.sigs);
  for (const set of sets) {
    if (set.type === 6) continue;
    set.rdata.forEach((rdata, i) => {
      const rec: SnapshotRecord = {
        name: set.name,
        type: set.type,
        ttl: set.ttl,
        rdata,
        target: set.targets[i],
      };
      out.set(`${set.name}|${set.type}|${set.ttl}|${Buffer.from(rdata).toString('hex')}`, rec);
    });
  }
  return out;
}

export function createJournal(maxChangesPerZone = 64): Journal {
  const history = new Map<string, ZoneChange[]>();
  return {
    record(previous, next) {
      if (previous.serial === next.serial) return;
      const before = zoneRecords(previous);
      const after = zoneRecords(next);
      const removed = [...before].filter(([k]) => !after.has(k)).map(([, r]) => r);
      const added = [...after].filter(([k]) => !before.has(k)).map(([, r]) => r);
      const list = history.get(next.apex) ?? [];
      list.push({
        oldSerial: previous.serial,
        newSerial: next.serial,
        removed,
        added,
        oldSoa: previous.soaFields,
        newSoa: next.soaFields,
      });
      if (list.length > maxChangesPerZone) list.splice(0, list.length - maxChangesPerZone);
      history.set(next.apex, list);
    },
    changesSince(apex, fromSerial) {
      const list = history.get(apex);
      if (!list) return null;
      const start = list.findIndex((c) => c.oldSerial === fromSerial);
      if (start < 0) return null;
      const out = list.slice(start);
      // The chain must be continuous; a gap (a change we did not see) forces AXFR.
      for (let i = 1; i < out.length; i++)
        if (out[i]!.oldSerial !== out[i - 1]!.newSerial) return null;
      return out;
    },
    forget: (apex) => void history.delete(apex),
  };
}
