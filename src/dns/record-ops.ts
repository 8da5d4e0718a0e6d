// Reading and changing a zone's records under an access (panel, API key, TSIG key): every write
// is checked against the access, validated as a whole zone, audited, published and announced.
import type { Clock } from '../core/clock.js';
import { ForbiddenError, ValidationError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { AuditLog } from '../accounts/index.js';
import type { DnsAccess } from './access.js';
import { hostOf } from './names.js';
import type { DnsRecord } from './record-types/index.js';
import type { ChangePlan, StoredRecord } from './records.js';
import { apexOf, applyChange, auditLines, toStored } from './records.js';
import type { Selection } from './selection.js';
import { scopeOf, select } from './selection.js';
import type { DnsStore, ZoneRow } from './store.js';
import { formatZoneFile, parseZoneFile } from './zonefile.js';

export interface RecordOpsDeps {
  store: DnsStore;
  clock: Clock;
  audit: AuditLog;
  events: EventBus;
  minTtl: number;
  maxTtl: number;
  publish(zone: ZoneRow): Promise<void>;
}

export interface WriteResult {
  added: number;
  removed: number;
  serial: number;
  warnings: string[];
}

/** Refused for lack of permission: the reference answers 403 (apis.md §3.4). */
export class DnsAccessDenied extends ForbiddenError {
  constructor(what: string) {
    super(`Access denied: this key may not ${what}`);
  }
}

export function createRecordOps(deps: RecordOpsDeps) {
  const { store } = deps;
  const changeDeps = { store, clock: deps.clock, minTtl: deps.minTtl, maxTtl: deps.maxTtl };

  function mayWrite(
    access: DnsAccess,
    zone: ZoneRow,
    host: string | undefined,
    type: string | undefined,
    what: string,
  ): void {
    if (!access.allows(true, zone.name, host, type)) throw new DnsAccessDenied(what);
  }

  function checkRemoval(
    access: DnsAccess,
    zone: ZoneRow,
    selection: Selection,
    removing: readonly StoredRecord[],
  ): void {
    for (const s of scopeOf(selection, apexOf(zone)))
      mayWrite(
        access,
        zone,
        s.host,
        s.type,
        `change ${s.host ?? 'every host'} ${s.type ?? 'of every type'} in ${zone.name}`,
      );
    for (const r of removing)
      mayWrite(access, zone, r.host, r.type, `change ${r.type} records at ${r.host}`);
  }

  function checkAdditions(access: DnsAccess, zone: ZoneRow, records: readonly DnsRecord[]): void {
    const apex = apexOf(zone);
    for (const r of records)
      mayWrite(
        access,
        zone,
        hostOf(r.name, apex),
        r.type,
        `add ${r.type} records at ${hostOf(r.name, apex)}`,
      );
  }

  async function write(
    access: DnsAccess,
    zone: ZoneRow,
    action: string,
    plan: (current: StoredRecord[]) => ChangePlan,
  ): Promise<WriteResult> {
    const result = await applyChange(changeDeps, zone.id, (current) => plan(current));
    if (result.added + result.removed > 0) {
      const apex = apexOf(zone);
      await deps.audit.record({
        actor: access.actor,
        ownerAccountId: zone.account_id,
        action,
        objectType: 'zone',
        objectId: zone.name,
        before: {
          serial: Number(zone.serial),
          removed: auditLines(
            result.removedRecords.map((r) => r.record),
            apex,
          ),
        },
        after: { serial: result.serial, added: auditLines(result.addedRecords, apex) },
      });
      await deps.publish(result.zone);
      await deps.events.emit('zone.changed', {
        zoneId: zone.id,
        zone: zone.name,
        serial: result.serial,
      });
    }
    return {
      added: result.added,
      removed: result.removed,
      serial: result.serial,
      warnings: result.warnings,
    };
  }

  return {
    /**
     * One atomic change computed from the current records (RFC 2136 UPDATE uses this): every
     * record removed or added must be within the access.
     */
    async apply(
      access: DnsAccess,
      zone: ZoneRow,
      action: string,
      plan: (current: StoredRecord[]) => ChangePlan,
    ): Promise<WriteResult> {
      return write(access, zone, action, (current) => {
        const result = plan(current);
        for (const r of result.remove)
          mayWrite(access, zone, r.host, r.type, `change ${r.type} records at ${r.host}`);
        checkAdditions(
          access,
          zone,
          result.add.map((a) => a.record),
        );
        return result;
      });
    },

    /** The selected records, if the access may read them all. */
    async list(access: DnsAccess, zone: ZoneRow, selection: Selection): Promise<StoredRecord[]> {
      for (const s of scopeOf(selection, apexOf(zone))) {
        if (!access.allows(false, zone.name, s.host, s.type))
          throw new DnsAccessDenied(
            `read ${s.host ?? 'every host'} ${s.type ?? 'of every type'} in ${zone.name}`,
          );
      }
      const records = (await store.recordsOf(zone.id)).map((r) => toStored(r, apexOf(zone)));
      return select(records, selection, apexOf(zone));
    },

    /** Add records; existing ones stay. A record already there is "Duplicate record". */
    async add(
      access: DnsAccess,
      zone: ZoneRow,
      records: readonly DnsRecord[],
    ): Promise<WriteResult> {
      if (records.length === 0) throw new ValidationError('No records to add.');
      checkAdditions(access, zone, records);
      return write(access, zone, 'zone.records_added', () => ({
        remove: [],
        add: records.map((record) => ({ record })),
      }));
    },

    /** Replace the selection with these records (an empty list just removes the selection). */
    async replace(
      access: DnsAccess,
      zone: ZoneRow,
      selection: Selection,
      records: readonly DnsRecord[],
    ): Promise<WriteResult> {
      checkAdditions(access, zone, records);
      return write(access, zone, 'zone.records_replaced', (current) => {
        const removing = select(current, { ...selection, excludeGenerated: true }, apexOf(zone));
        checkRemoval(access, zone, selection, removing);
        return { remove: removing, add: records.map((record) => ({ record })) };
      });
    },

    /** Remove the selection; generated records are never removed by customers. */
    async remove(access: DnsAccess, zone: ZoneRow, selection: Selection): Promise<WriteResult> {
      return write(access, zone, 'zone.records_removed', (current) => {
        const removing = select(current, { ...selection, excludeGenerated: true }, apexOf(zone));
        checkRemoval(access, zone, selection, removing);
        return { remove: removing, add: [] };
      });
    },

    /** The zone as a master file: the reference's text/dns lines, or classic with $ORIGIN. */
    async exportZone(
      access: DnsAccess,
      zone: ZoneRow,
      selection: Selection,
      style: 'api' | 'classic' = 'api',
    ): Promise<string> {
      const records = await this.list(access, zone, selection);
      return formatZoneFile(
        records.map((r) => r.record).filter((r) => r.type !== 'SOA'),
        apexOf(zone),
        { style },
      );
    },

    /** Parse master-file text for this zone (SOA lines are ignored: the SOA is the provider's). */
    parseZoneText(zone: ZoneRow, text: string): DnsRecord[] {
      return parseZoneFile(text, { zone: apexOf(zone), defaultTtl: zone.default_ttl }).filter(
        (r) => r.type !== 'SOA',
      );
    },
  };
}

export type RecordOps = ReturnType<typeof createRecordOps>;
