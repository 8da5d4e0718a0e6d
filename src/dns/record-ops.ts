// Reading and changing a zone's records under an access (panel, API key, TSIG key): every write
// is checked against the access, validated as a whole zone, audited, published and announced.
import type { Clock } from '../core/clock.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { AuditLog } from '../accounts/index.js';
import type { DnsAccess } from './access.js';
import { hostOf } from './names.js';
import type { DnsRecord } from './record-types/index.js';
import { describeRecord, recordKey } from './record-types/index.js';
import type { ChangePlan, StoredRecord } from './records.js';
import { apexOf, applyChange, auditLines, toStored } from './records.js';
import type { Selection } from './selection.js';
import { everything, scopeOf, select } from './selection.js';
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

/** What importing a zone file did, or would do (lines are `host ttl TYPE rdata`). */
export interface ImportResult extends WriteResult {
  /** Every record the file holds, in file order. */
  records: DnsRecord[];
  addedLines: string[];
  removedLines: string[];
  /** Records of the file already in the zone exactly (TTL included), left as they are. */
  unchangedLines: string[];
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

  async function writePlanned(
    access: DnsAccess,
    zone: ZoneRow,
    action: string,
    plan: (current: StoredRecord[]) => ChangePlan,
    dryRun = false,
  ): Promise<WriteResult & { plan: ChangePlan }> {
    let planned: ChangePlan = { remove: [], add: [] };
    const result = await applyChange(changeDeps, zone.id, (current) => (planned = plan(current)), {
      dryRun,
    });
    if (!dryRun && result.added + result.removed > 0) {
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
      plan: planned,
    };
  }

  const result = ({ plan: _, ...rest }: WriteResult & { plan: ChangePlan }): WriteResult => rest;
  const write = async (
    access: DnsAccess,
    zone: ZoneRow,
    action: string,
    plan: (current: StoredRecord[]) => ChangePlan,
    dryRun = false,
  ): Promise<WriteResult> => result(await writePlanned(access, zone, action, plan, dryRun));

  /** The one customer record `id` of the zone; generated records are not the customer's to edit. */
  const oneRecord = (current: readonly StoredRecord[], zone: ZoneRow, id: string): StoredRecord => {
    const found = select(
      current,
      { ...everything, ids: [id], excludeGenerated: true },
      apexOf(zone),
    );
    if (found.length !== 1) throw new NotFoundError('Record');
    return found[0]!;
  };

  /**
   * An import's plan: 'add' adds the file's records; 'replace' also removes the customer's own
   * records (origin user) that the file lacks. Template and generated records stay (a template
   * record the file gives with another TTL is replaced). A file record already in the zone with
   * the same TTL is left as it is, so importing an export changes nothing.
   */
  function importPlan(
    current: readonly StoredRecord[],
    file: readonly DnsRecord[],
    mode: 'add' | 'replace',
  ): ChangePlan & { unchanged: DnsRecord[] } {
    const fileTtls = new Map<string, Set<number>>();
    for (const r of file)
      fileTtls.set(recordKey(r), (fileTtls.get(recordKey(r)) ?? new Set()).add(r.ttl));
    const remove = current.filter((r) => {
      if (r.origin === 'generated') return false;
      const ttls = fileTtls.get(recordKey(r.record));
      if (r.origin === 'user') return mode === 'replace' && !ttls?.has(r.ttl);
      return ttls !== undefined && !ttls.has(r.ttl);
    });
    const removing = new Set(remove.map((r) => r.id));
    const kept = new Map(
      current.filter((r) => !removing.has(r.id)).map((r) => [`${recordKey(r.record)} ${r.ttl}`, r]),
    );
    const unchanged: DnsRecord[] = [];
    const add: { record: DnsRecord }[] = [];
    for (const record of file) {
      const key = `${recordKey(record)} ${record.ttl}`;
      if (kept.delete(key)) unchanged.push(record);
      else add.push({ record });
    }
    return { remove, add, unchanged };
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

    /** What add (no selection) or replace would do, validated as they are; writes nothing. */
    async check(
      access: DnsAccess,
      zone: ZoneRow,
      selection: Selection | null,
      records: readonly DnsRecord[],
    ): Promise<WriteResult> {
      if (records.length === 0 && !selection) throw new ValidationError('No records to add.');
      checkAdditions(access, zone, records);
      return write(
        access,
        zone,
        'zone.records_checked',
        (current) => {
          const removing = selection
            ? select(current, { ...selection, excludeGenerated: true }, apexOf(zone))
            : [];
          if (selection) checkRemoval(access, zone, selection, removing);
          return { remove: removing, add: records.map((record) => ({ record })) };
        },
        true,
      );
    },

    /** Replace the customer record `id` (the panel's edit); an unknown id is "not found". */
    async replaceOne(
      access: DnsAccess,
      zone: ZoneRow,
      id: string,
      record: DnsRecord,
    ): Promise<WriteResult> {
      checkAdditions(access, zone, [record]);
      return write(access, zone, 'zone.records_replaced', (current) => {
        const old = oneRecord(current, zone, id);
        mayWrite(access, zone, old.host, old.type, `change ${old.type} records at ${old.host}`);
        return { remove: [old], add: [{ record }] };
      });
    },

    /** Remove the customer record `id`; an unknown (or generated) id is "not found". */
    async removeOne(access: DnsAccess, zone: ZoneRow, id: string): Promise<WriteResult> {
      return write(access, zone, 'zone.records_removed', (current) => {
        const old = oneRecord(current, zone, id);
        mayWrite(access, zone, old.host, old.type, `change ${old.type} records at ${old.host}`);
        return { remove: [old], add: [] };
      });
    },

    /**
     * Import master-file text: 'add' adds its records, 'replace' makes the customer's own records
     * those of the file (template and generated records stay). Records already there exactly
     * are left alone. With `dryRun`, validate and report without writing (the panel's preview).
     */
    async importZone(
      access: DnsAccess,
      zone: ZoneRow,
      text: string,
      mode: 'add' | 'replace',
      options: { dryRun?: boolean } = {},
    ): Promise<ImportResult> {
      const records = this.parseZoneText(zone, text);
      if (records.length === 0 && mode === 'add')
        throw new ValidationError('The zone file holds no records.');
      const apex = apexOf(zone);
      let unchanged: DnsRecord[] = [];
      const outcome = await writePlanned(
        access,
        zone,
        'zone.imported',
        (current) => {
          const plan = importPlan(current, records, mode);
          unchanged = plan.unchanged;
          for (const r of plan.remove)
            mayWrite(access, zone, r.host, r.type, `change ${r.type} records at ${r.host}`);
          checkAdditions(
            access,
            zone,
            plan.add.map((a) => a.record),
          );
          return plan;
        },
        options.dryRun ?? false,
      );
      return {
        ...result(outcome),
        records,
        addedLines: outcome.plan.add.map((a) => describeRecord(a.record, apex)),
        removedLines: outcome.plan.remove.map((r) => describeRecord(r.record, apex)),
        unchangedLines: unchanged.map((r) => describeRecord(r, apex)),
      };
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
