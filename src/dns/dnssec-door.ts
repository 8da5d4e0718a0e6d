// The DNS module's DNSSEC door functions and the work around them: the timer's parent checks,
// and, whenever a zone's DS set may have moved on, telling the registrar side (zone.ds_changed)
// and giving the provider zone that delegates it a new serial. Split from index.ts to keep it small.
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import type { EventBus } from '../core/events.js';
import type { createDelegations } from './delegations.js';
import type { Dnssec } from './dnssec/index.js';
import { dsText } from './dnssec/index.js';
import type { ZoneRow } from './store.js';

export interface DnssecDoorDeps {
  dnssec: Dnssec;
  delegations: ReturnType<typeof createDelegations>;
  events: EventBus;
  clock: Clock;
  parentCheckMinutes: number;
  zoneById(id: string): Promise<ZoneRow | undefined>;
  publish(zone: ZoneRow): Promise<void>;
}

export function createDnssecDoor(deps: DnssecDoorDeps) {
  const { dnssec } = deps;
  const announcedDs = new Map<string, string>();

  /** The provider zone holding `zone` takes a new serial if its delegation of it changed. */
  async function bumpStaleParent(zone: ZoneRow): Promise<void> {
    const parent = await deps.delegations.staleParentOf(zone);
    if (parent && (await dnssec.bump(parent))) {
      const fresh = await deps.zoneById(parent.id);
      if (fresh) await deps.publish(fresh);
    }
  }

  /**
   * After a zone's keys or signing changed: the provider zone it sits in follows (its DS), and
   * `zone.ds_changed` tells the registrar side when the DS set moved on.
   */
  async function refreshParentOf(zone: ZoneRow): Promise<void> {
    const ds = (await dnssec.desiredDs(zone)).map((d) => dsText(d));
    if (announcedDs.get(zone.id) !== ds.join('\n')) {
      announcedDs.set(zone.id, ds.join('\n'));
      await deps.events.emit('zone.ds_changed', { zoneId: zone.id, zone: zone.name, ds });
    }
    await bumpStaleParent(zone);
  }

  async function checkDueParents(): Promise<number> {
    const before = isoAt(deps.clock.now() - deps.parentCheckMinutes * 60_000);
    const due = await dnssec.dueForParentCheck(before, 200);
    let checked = 0;
    for (const zone of due) {
      if (await dnssec.checkParent(zone)) {
        const fresh = await deps.zoneById(zone.id);
        if (fresh) await deps.publish(fresh);
      }
      const row = await deps.zoneById(zone.id);
      if (row) await refreshParentOf(row);
      checked += 1;
    }
    return checked;
  }
  let checking = false;
  /** Ask the parents of signed zones not checked for `parentCheckMinutes`; publish what moved on. */
  async function checkParents(): Promise<number> {
    // One run at a time: a slow parent must not make the next tick start a second pass.
    if (checking) return 0;
    checking = true;
    try {
      return await checkDueParents();
    } finally {
      checking = false;
    }
  }

  return {
    refreshParentOf,
    bumpStaleParent,
    checkParents,
    /** A deleted zone: nothing more to announce for it. */
    forget: (zone: ZoneRow) => announcedDs.delete(zone.id),
    /** The functions the DNS module's door offers for DNSSEC. */
    door: {
      /** A zone's DNSSEC keys: DNSKEY and DS text (what a registrar asks for), role, state, dates. */
      dnssecKeys: (zone: ZoneRow) => dnssec.keys(zone),
      /** When the zone's next automatic ZSK rollover step is due (ISO-8601), or null. */
      dnssecNextKeyEvent: (zone: ZoneRow) => dnssec.nextKeyEvent(zone),
      /**
       * Sign a zone, or stop signing it AT ONCE (the operator's override: it skips the safe
       * walk-through, and a DS still at the parent makes the zone fail to validate). Customers
       * turn off with `dnssecTurnOff`.
       */
      async setDnssec(zone: ZoneRow, on: boolean): Promise<void> {
        await dnssec.setSigning(zone, on);
        await deps.publish(zone);
        await refreshParentOf(zone);
      },
      /** The zone as its parent sees it (status, DS there), and where turning off or a KSK rollover stands. */
      dnssecParent: (zone: ZoneRow) => dnssec.parentView(zone),
      /** Check the zone's DS at its parent now, and take a step that was waiting for it. */
      async dnssecCheckParent(zone: ZoneRow) {
        if (await dnssec.checkParent(zone)) await deps.publish(zone);
        const fresh = (await deps.zoneById(zone.id)) ?? zone;
        await refreshParentOf(fresh);
        return dnssec.parentView(fresh);
      },
      /** Check the parents of every signed zone that is due (the timer calls this). Returns zones checked. */
      dnssecCheckParents: () => checkParents(),
      /**
       * Turn DNSSEC off safely, step 1: ask for the DS to go (CDS/CDNSKEY delete, RFC 8078 §4).
       * Bestiary then waits for the parent and the TTLs, and stops signing by itself (step 3).
       */
      async dnssecTurnOff(zone: ZoneRow): Promise<void> {
        await dnssec.startTurnOff(zone);
        await deps.publish(zone);
        await refreshParentOf(zone);
      },
      /** Keep DNSSEC on after all. */
      async dnssecCancelTurnOff(zone: ZoneRow): Promise<void> {
        await dnssec.cancelTurnOff(zone);
        await deps.publish(zone);
        await refreshParentOf(zone);
      },
      /** Step 3 now rather than at the next check; refused (ConflictError) before it is safe. */
      async dnssecFinishTurnOff(zone: ZoneRow): Promise<void> {
        await dnssec.finishTurnOff(zone);
        await deps.publish(zone);
        await refreshParentOf(zone);
      },
      /** Start a KSK rollover (double-DS): a new KSK is published; its DS goes to the registrar. */
      async dnssecRollKsk(zone: ZoneRow): Promise<void> {
        await dnssec.startKskRollover(zone);
        await deps.publish(zone);
        await refreshParentOf(zone);
      },
    },
  };
}
