// The provider's own zones as parents (RFC 7344 §4 from the parent's side): a customer's zone
// inside one (a free subdomain) is delegated there with the provider's NS and, when signed, the DS
// of every KSK its CDS names, so the chain of trust reaches it with no registrar in between.
import type { SnapshotRecord } from './server/index.js';
import type { ZoneRow } from './store.js';
import { RRType } from './wire/constants.js';
import { nameToWire } from './wire/name.js';

export interface DelegationDeps {
  providerZones: readonly string[];
  nameservers: readonly string[];
  nsTtl: number;
  /** DS TTL: short, so a KSK rollover or turning off waits for no longer than needed. */
  dsTtl: number;
  allZones(): Promise<ZoneRow[]>;
  /** The DS RDATA the zone asks its parent for (its CDS), none when unsigned or turning off. */
  desiredDs(zone: ZoneRow): Promise<Buffer[]>;
}

const absolute = (name: string) => (name.endsWith('.') ? name : `${name}.`).toLowerCase();

export function createDelegations(deps: DelegationDeps) {
  const providers = new Set(deps.providerZones.map((z) => z.toLowerCase().replace(/\.$/, '')));
  /** What each provider zone was last built with, to see when a child's DS moved on. */
  const served = new Map<string, string>();
  const print = (records: readonly SnapshotRecord[]) =>
    records.map((r) => `${r.name} ${r.type} ${Buffer.from(r.rdata).toString('hex')}`).join('\n');

  /** The provider zone `zone` sits directly inside, if any. */
  function parentOf(zone: ZoneRow, all: readonly ZoneRow[]): ZoneRow | undefined {
    const candidates = all.filter((p) => zone.name.endsWith(`.${p.name}`));
    const nearest = candidates.sort((a, b) => b.name.length - a.name.length)[0];
    return nearest && providers.has(nearest.name) ? nearest : undefined;
  }

  async function records(parent: ZoneRow, all: readonly ZoneRow[]): Promise<SnapshotRecord[]> {
    if (!providers.has(parent.name)) return [];
    const out: SnapshotRecord[] = [];
    for (const child of all) {
      if (child.id === parent.id || parentOf(child, all)?.id !== parent.id) continue;
      const name = absolute(child.name);
      for (const ns of deps.nameservers)
        out.push({ name, type: RRType.NS, ttl: deps.nsTtl, rdata: nameToWire(absolute(ns)) });
      for (const ds of await deps.desiredDs(child))
        out.push({ name, type: RRType.DS, ttl: deps.dsTtl, rdata: ds });
    }
    return out;
  }

  return {
    /** NS and DS for the customers' zones inside `parent` when it is a provider zone; noted as served. */
    async forSnapshot(parent: ZoneRow): Promise<SnapshotRecord[]> {
      if (!providers.has(parent.name)) return [];
      const out = await records(parent, await deps.allZones());
      served.set(parent.id, print(out));
      return out;
    },
    /**
     * The provider zone holding `child`, when its delegation there differs from what it was last
     * built with (the child's keys or signing changed): it needs a new serial.
     */
    async staleParentOf(child: ZoneRow): Promise<ZoneRow | undefined> {
      const all = await deps.allZones();
      const parent = parentOf(child, all);
      if (!parent) return undefined;
      return served.get(parent.id) === print(await records(parent, all)) ? undefined : parent;
    },
  };
}
