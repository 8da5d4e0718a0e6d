// Records as the DNS module keeps them, and the one code path every change goes through
// (API, panel, zone import, RFC 2136 UPDATE): lock the zone, compute the new record set,
// validate all of it, write, bump the serial, record the change for IXFR, then publish.
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { hostOf, resolveHost } from './names.js';
import type { ApiRecord, DnsRecord, RecordTypeName } from './record-types/index.js';
import {
  describeRecord,
  formatRdata,
  parseRdata,
  recordKey,
  recordToJson,
} from './record-types/index.js';
import { assertRecords } from './rrset-rules.js';
import type { DnsStore, RecordRow, ZoneRow } from './store.js';
import type { RecordOrigin } from './tables.js';

/** A stored record with its parsed form and its API shape, ready for selection and output. */
export interface StoredRecord {
  id: string;
  host: string;
  type: RecordTypeName;
  ttl: number;
  rdata: string;
  origin: RecordOrigin;
  seq: number;
  record: DnsRecord;
  json: ApiRecord;
}

/** The zone's apex as an absolute canonical name ("example.com."). */
export const apexOf = (zone: Pick<ZoneRow, 'name'>): string => `${zone.name}.`;

export function toStored(row: RecordRow, apex: string): StoredRecord {
  const type = row.type as RecordTypeName;
  const record = {
    name: resolveHost(row.host, apex),
    ttl: row.ttl,
    type,
    data: parseRdata(type, row.rdata, { origin: apex }),
  } as DnsRecord;
  return {
    id: row.id,
    host: row.host,
    type,
    ttl: row.ttl,
    rdata: row.rdata,
    origin: row.origin,
    seq: Number(row.seq),
    record,
    json: recordToJson(record, apex),
  };
}

/** A record in the reference API's JSON, with the `_template`/`_generated` flags (apis.md §3.1). */
export function apiJson(r: StoredRecord): Record<string, unknown> {
  return {
    ...r.json,
    ...(r.origin === 'template' ? { _template: true } : {}),
    ...(r.origin === 'generated' ? { _generated: true } : {}),
  };
}

/** What one change does to a zone, and who does it. */
export interface ChangePlan {
  remove: readonly StoredRecord[];
  add: readonly { record: DnsRecord; origin?: RecordOrigin }[];
}

export interface ChangeResult {
  zone: ZoneRow;
  added: number;
  removed: number;
  serial: number;
  warnings: string[];
}

export interface ChangeDeps {
  store: DnsStore;
  clock: Clock;
  minTtl: number;
  maxTtl: number;
}

/** RFC 1982 serial arithmetic: the next serial after `s`, skipping 0. */
export const nextSerial = (s: number): number => (s + 1) % 2 ** 32 || 1;

/**
 * Apply a change computed from the zone's current records, atomically. `plan` may throw to
 * refuse; adding a record that exists (or twice) is "Duplicate record", as the reference says.
 * With `dryRun` it validates and reports what would change, and writes nothing.
 */
export async function applyChange(
  deps: ChangeDeps,
  zoneId: string,
  plan: (current: StoredRecord[], zone: ZoneRow) => ChangePlan | Promise<ChangePlan>,
  options: { dryRun?: boolean } = {},
): Promise<
  ChangeResult & {
    before: StoredRecord[];
    removedRecords: StoredRecord[];
    addedRecords: DnsRecord[];
  }
> {
  return deps.store.transaction(async (tx) => {
    const zone = await tx.lockZone(zoneId);
    if (!zone) throw new NotFoundError('Zone');
    const apex = apexOf(zone);
    const current = (await tx.recordsOf(zone.id)).map((r) => toStored(r, apex));
    const { remove, add } = await plan(current, zone);
    const removing = new Set(remove.map((r) => r.id));
    const kept = current.filter((r) => !removing.has(r.id));
    const keys = new Set(kept.map((r) => recordKey(r.record)));
    for (const { record } of add) {
      const key = recordKey(record);
      if (keys.has(key))
        throw new ValidationError(`Duplicate record '${describeRecord(record, apex)}'`);
      keys.add(key);
    }
    const after = [...kept.map((r) => r.record), ...add.map((a) => a.record)];
    const warnings = assertRecords(after, {
      zone: apex,
      minTtl: deps.minTtl,
      maxTtl: deps.maxTtl,
    }).map((i) => i.message);
    if (!after.some((r) => r.type === 'NS' && r.name === apex)) {
      throw new ValidationError('A zone needs at least one NS record at its apex (@).');
    }
    if (remove.length === 0 && add.length === 0)
      return {
        zone,
        added: 0,
        removed: 0,
        serial: zone.serial,
        warnings,
        before: current,
        removedRecords: [],
        addedRecords: [],
      };
    // A dry run (the panel's previews) validates exactly as a write would, and writes nothing.
    if (options.dryRun)
      return {
        zone,
        added: add.length,
        removed: remove.length,
        serial: zone.serial,
        warnings,
        before: current,
        removedRecords: [...remove],
        addedRecords: add.map((a) => a.record),
      };

    const now = isoAt(deps.clock.now());
    let seq = await tx.maxSeq(zone.id);
    const rows: RecordRow[] = add.map(({ record, origin }) => ({
      id: newId(),
      zone_id: zone.id,
      host: hostOf(record.name, apex),
      type: record.type,
      ttl: record.ttl,
      rdata: formatRdata(record),
      origin: origin ?? 'user',
      seq: ++seq,
      created_at: now,
    }));
    await tx.deleteRecords([...removing]);
    await tx.insertRecords(rows);
    const serial = nextSerial(Number(zone.serial));
    await tx.updateZone(zone.id, { serial, updated_at: now });
    const line = (r: { host: string; type: string; ttl: number; rdata: string }) => ({
      host: r.host,
      type: r.type,
      ttl: r.ttl,
      rdata: r.rdata,
    });
    await tx.insertChange({
      id: newId(),
      zone_id: zone.id,
      old_serial: Number(zone.serial),
      new_serial: serial,
      removed: JSON.stringify(remove.map(line)),
      added: JSON.stringify(rows.map(line)),
      at: now,
    });
    await tx.pruneChanges(zone.id);
    return {
      zone: { ...zone, serial, updated_at: now },
      added: add.length,
      removed: remove.length,
      serial,
      warnings,
      before: current,
      removedRecords: [...remove],
      addedRecords: add.map((a) => a.record),
    };
  });
}

/** Lines for the audit log: `host ttl TYPE rdata`. */
export const auditLines = (records: readonly DnsRecord[], apex: string): string[] =>
  records.map((r) => describeRecord(r, apex));
