// The steps of a signed zone that wait on its parent: checking the DS there (stored with when),
// the view the panel and API show, turning DNSSEC off safely, and taking a KSK rollover's next
// step once the parent shows it may (rules in parent.ts). Split from index.ts to keep both small.
import type { Clock } from '../../core/clock.js';
import { isoAt } from '../../core/clock.js';
import { ConflictError } from '../../core/errors.js';
import type { DnssecKeyRow, KeyStore } from './key-store.js';
import type { DsAnswer } from './parent-query.js';
import {
  kskRollover,
  observe,
  presentDs,
  statusFrom,
  turnOffStep,
  type KskRollover,
  type ParentStatus,
  type ParentTiming,
  type SeenDs,
  type TurnOffStep,
} from './parent.js';
import type { DnssecStatusRow, StatusStore } from './status-store.js';

/** The zone as its parent sees it, and the steps waiting on the parent, for the panel and API. */
export interface DnssecParentView {
  status: ParentStatus;
  /** DS records the parent served at the last check. */
  parentDs: string[];
  dsTtl: number | null;
  checkedAt: string | null;
  error: string | null;
  /** Turning DNSSEC off: the step the zone is at, and until when step 2 waits (ISO-8601). */
  turnOff: { step: TurnOffStep['step']; name: TurnOffStep['name']; until: string | null } | null;
  /** A KSK rollover under way: what the registrar must do (add or remove `ds`), and until when Bestiary waits. */
  kskRollover: {
    stage: KskRollover['stage'];
    keyTag: number;
    ds: string;
    until: string | null;
  } | null;
}

interface ZoneLike {
  id: string;
  name: string;
  dnssec: number;
}

export interface ParentStepsDeps {
  keys: KeyStore;
  statuses: StatusStore;
  clock: Clock;
  timing: ParentTiming;
  parentServers: () => readonly string[];
  askParent: (servers: readonly string[], zone: string) => Promise<DsAnswer>;
}

const apexOf = (zone: ZoneLike) => `${zone.name.toLowerCase()}.`;
/** A zone's status row before its first check. */
export const blankStatus = (zoneId: string): DnssecStatusRow => ({
  zone_id: zoneId,
  status: 'unknown',
  parent_ds: '{}',
  ds_ttl: null,
  checked_at: null,
  error: null,
  ds_absent_since: null,
  turning_off_at: null,
});
const seenOf = (row: DnssecStatusRow | undefined): SeenDs =>
  JSON.parse(row?.parent_ds ?? '{}') as SeenDs;

export function createParentSteps(deps: ParentStepsDeps) {
  const { keys, statuses, timing } = deps;
  const iso = (ms: number | undefined) =>
    ms === undefined || !Number.isFinite(ms) ? null : isoAt(ms);

  function viewOf(
    zone: ZoneLike,
    row: DnssecStatusRow | undefined,
    rows: readonly DnssecKeyRow[],
  ): DnssecParentView {
    const now = deps.clock.now();
    const seen = seenOf(row);
    const off = row?.turning_off_at
      ? turnOffStep({ dsAbsentSince: row.ds_absent_since, dsTtl: row.ds_ttl }, now, timing)
      : null;
    const { stage } = kskRollover(apexOf(zone), rows, seen, row?.ds_ttl ?? null, now, timing);
    return {
      status: zone.dnssec ? (row?.status ?? 'unknown') : 'unsigned',
      parentDs: presentDs(seen),
      dsTtl: row?.ds_ttl ?? null,
      checkedAt: row?.checked_at ?? null,
      error: row?.error ?? null,
      turnOff: off
        ? { step: off.step, name: off.name, until: off.name === 'wait' ? iso(off.until) : null }
        : null,
      kskRollover: stage
        ? {
            stage: stage.stage,
            keyTag: ('newKey' in stage ? stage.newKey : stage.oldKey).key_tag,
            ds: stage.ds,
            until: 'until' in stage ? iso(stage.until) : null,
          }
        : null,
    };
  }

  /** After a parent check: take the step that waited on the parent, if it is due. */
  async function advance(zone: ZoneLike & { serial: number }, row: DnssecStatusRow) {
    const now = deps.clock.now();
    if (row.turning_off_at) {
      const off = turnOffStep(
        { dsAbsentSince: row.ds_absent_since, dsTtl: row.ds_ttl },
        now,
        timing,
      );
      if (off.step !== 3) return false;
      const at = isoAt(now);
      await keys.setSigning(zone.id, false, at);
      await statuses.put({ ...row, turning_off_at: null, ds_absent_since: null });
      return keys.bumpSerial(zone.id, Number(zone.serial), at);
    }
    return keys.withZoneLocked(zone.id, async (locked) => {
      const rows = await locked.keysOf(zone.id);
      const { action } = kskRollover(apexOf(zone), rows, seenOf(row), row.ds_ttl, now, timing);
      if (!action) return false;
      const at = isoAt(now);
      if (action.kind === 'remove')
        await locked.updateKey(action.key, { state: 'removed', removed_at: at });
      else {
        for (const old of action.oldKeys)
          await locked.updateKey(old, { state: 'retired', retired_at: at });
        await locked.updateKey(action.newKey, { state: 'active', active_at: at });
      }
      const fresh = await locked.zoneSerial(zone.id);
      return locked.bumpSerial(zone.id, fresh, at);
    });
  }

  return {
    /** The zone as its parent saw it at the last check, and the steps waiting on the parent. */
    async parentView(zone: ZoneLike): Promise<DnssecParentView> {
      return viewOf(zone, await statuses.get(zone.id), await keys.keysOf(zone.id));
    },
    /**
     * Ask the parent for the zone's DS, store what it said, and take the step that was waiting
     * for it (a KSK rollover's, or turning off's last). True when the serial moved on.
     */
    async checkParent(zone: ZoneLike & { serial: number }): Promise<boolean> {
      if (!zone.dnssec) return false;
      const row = (await statuses.get(zone.id)) ?? blankStatus(zone.id);
      const now = isoAt(deps.clock.now());
      let answer: DsAnswer;
      try {
        answer = await deps.askParent(deps.parentServers(), apexOf(zone));
      } catch (err) {
        await statuses.put({ ...row, checked_at: now, error: (err as Error).message });
        return false;
      }
      const seen = observe(seenOf(row), answer.ds, now);
      const rows = await keys.keysOf(zone.id);
      const next: DnssecStatusRow = {
        ...row,
        status: statusFrom(apexOf(zone), rows, presentDs(seen)),
        parent_ds: JSON.stringify(seen),
        // Keep the last DS TTL seen: once the DS is gone it is the TTL caches may still hold it for.
        ds_ttl: answer.ttl ?? row.ds_ttl,
        checked_at: now,
        error: null,
        ds_absent_since: answer.ds.length ? null : (row.ds_absent_since ?? now),
      };
      await statuses.put(next);
      return advance(zone, next);
    },
    /** Zones due a parent check (never checked, or last checked before `before`). */
    dueForParentCheck: (before: string, limit: number) => statuses.dueZones(before, limit),
    /** Step 1 of turning off: publish CDS/CDNSKEY "delete" (RFC 8078 §4) and wait for the parent. */
    async startTurnOff(zone: ZoneLike & { serial: number }): Promise<void> {
      if (!zone.dnssec) throw new ConflictError(`${zone.name} is not signed`);
      const row = (await statuses.get(zone.id)) ?? blankStatus(zone.id);
      if (row.turning_off_at) return;
      const at = isoAt(deps.clock.now());
      await statuses.put({ ...row, turning_off_at: at });
      await keys.bumpSerial(zone.id, Number(zone.serial), at);
    },
    /** Keep DNSSEC after all: CDS/CDNSKEY name the KSK again. */
    async cancelTurnOff(zone: ZoneLike & { serial: number }): Promise<void> {
      const row = await statuses.get(zone.id);
      if (!row?.turning_off_at) return;
      const at = isoAt(deps.clock.now());
      await statuses.put({ ...row, turning_off_at: null });
      await keys.bumpSerial(zone.id, Number(zone.serial), at);
    },
    /** Step 3 of turning off, refused before the parent's DS is gone and its TTL has passed. */
    async finishTurnOff(
      zone: ZoneLike & { serial: number },
      stopSigning: () => Promise<void>,
    ): Promise<void> {
      const view = viewOf(zone, await statuses.get(zone.id), []);
      if (!view.turnOff)
        throw new ConflictError(`Turning DNSSEC off for ${zone.name} has not started`);
      if (view.turnOff.step !== 3)
        throw new ConflictError(
          view.turnOff.step === 1
            ? `The parent zone still has a DS record for ${zone.name}: remove it at the registrar first`
            : `Caches may still hold the DS of ${zone.name} until ${view.turnOff.until}`,
        );
      await stopSigning();
    },
  };
}
