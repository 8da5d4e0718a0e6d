// DNSSEC for the DNS module: each signed zone's KSK and ZSK (private keys sealed at rest), signing
// its snapshots at publish with a signature cache, and what the panel and API show (DS, DNSKEY,
// CDS). A KSK+ZSK pair lets ZSK rollovers run without touching the registrar (docs/decisions.md).
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { isoAt } from '../../core/clock.js';
import type { Sealer } from '../../core/crypto.js';
import type { Dialect } from '../../db/index.js';
import { newId } from '../../core/ids.js';
import type { ZoneSnapshot } from '../server/index.js';
import type { DnsTables } from '../tables.js';
import { createKeyStore, type DnssecKeyRow, type KeyStore } from './key-store.js';
import type { DnssecAlgorithm, KeyRole } from './keys.js';
import {
  dnskeyRdata,
  dnskeyText,
  dsRdata,
  dsText,
  flagsOf,
  generateKey,
  keyTag,
  signerFor,
} from './keys.js';
import {
  createSigning,
  type SignatureCache,
  type SigningPolicy,
  type ZoneKey,
} from './signatures.js';
import { signSnapshot } from './sign-zone.js';
import { zskStep, type RolloverStep, type RolloverTiming } from './rollover.js';
import { ConflictError } from '../../core/errors.js';
import { queryDs, type DsAnswer } from './parent-query.js';
import type { ParentTiming } from './parent.js';
import { createParentSteps } from './parent-steps.js';
import { createStatusStore } from './status-store.js';

export type { DnssecParentView } from './parent-steps.js';

export interface DnssecConfig extends SigningPolicy {
  defaultOn: boolean;
  algorithm: DnssecAlgorithm;
  /** Days a ZSK signs before it is rolled automatically. */
  zskLifetimeDays: number;
  /** Servers asked for a zone's DS ("host[:port]"); empty: the system's resolvers. */
  parentServers: readonly string[];
  /** Minutes between two checks of a signed zone's DS at its parent. */
  parentCheckMinutes: number;
}

export interface DnssecDeps {
  db: Kysely<DnsTables>;
  dialect: Dialect;
  sealer: Sealer;
  clock: Clock;
  config: DnssecConfig;
  /** Waits between rollover steps, from the zone TTLs (see rollover.ts). */
  timing: Omit<RolloverTiming, 'lifetimeMs'>;
  /** Where the zone's DS is looked up: recursive resolvers or the parent's own servers. */
  parentServers: () => readonly string[];
  parentTiming: Omit<ParentTiming, 'publishWaitMs'>;
  /** Replaces the DS lookup (tests of the status logic without sockets). */
  queryDs?: (servers: readonly string[], zone: string) => Promise<DsAnswer>;
}

/** A key as the panel and API show it. */
export interface DnssecKeyView {
  id: string;
  role: KeyRole;
  algorithm: number;
  keyTag: number;
  state: DnssecKeyRow['state'];
  /** Presentation form of DNSKEY RDATA: "257 3 13 <base64>". */
  dnskey: string;
  /** DS digest type 2 (and CDS): "<tag> 13 2 <hex>", for a KSK only. */
  ds?: string;
  createdAt: string;
  publishedAt: string | null;
  activeAt: string | null;
  retiredAt: string | null;
}

interface ZoneLike {
  id: string;
  name: string;
  dnssec: number;
}

const sealContext = (zoneId: string, keyId: string) => `dnssec-key:${zoneId}:${keyId}`;

export function createDnssec(deps: DnssecDeps) {
  const store = createKeyStore(deps.db, deps.dialect);
  const caches = new Map<string, SignatureCache>();
  const refreshAt = new Map<string, number>();
  const signers = new Map<string, (data: Uint8Array) => Buffer>();

  const timing: RolloverTiming = {
    ...deps.timing,
    lifetimeMs: deps.config.zskLifetimeDays * 86_400_000,
  };
  const rollAt = new Map<string, number>();
  const statuses = createStatusStore(deps.db);
  const parent = createParentSteps({
    keys: store,
    statuses,
    clock: deps.clock,
    timing: { ...deps.parentTiming, publishWaitMs: timing.publishWaitMs },
    parentServers: deps.parentServers,
    askParent: deps.queryDs ?? ((servers, zone) => queryDs(servers, zone)),
  });
  const apexOf = (zone: ZoneLike) => `${zone.name.toLowerCase()}.`;

  async function createKey(
    keys: KeyStore,
    zoneId: string,
    role: KeyRole,
    prepublish = false,
  ): Promise<void> {
    // A new KSK is pre-published too (RFC 6781 §4.1.2): it signs once its DS is at the parent.
    const key = generateKey(deps.config.algorithm);
    const id = newId();
    const now = isoAt(deps.clock.now());
    const rdata = dnskeyRdata(flagsOf(role), key.algorithm, key.publicKey);
    await keys.insertKey({
      id,
      zone_id: zoneId,
      role,
      algorithm: key.algorithm,
      key_tag: keyTag(rdata),
      public_key: Buffer.from(key.publicKey).toString('base64'),
      private_key: deps.sealer.seal(key.privateKeyDer.toString('base64'), sealContext(zoneId, id)),
      state: prepublish ? 'published' : 'active',
      created_at: now,
      published_at: now,
      active_at: prepublish ? null : now,
      retired_at: null,
      removed_at: null,
    });
  }

  /** The zone's keys, creating a KSK and a ZSK the first time (under the zone's lock). */
  async function rowsOf(zoneId: string): Promise<DnssecKeyRow[]> {
    const rows = await store.keysOf(zoneId);
    const complete = (rs: DnssecKeyRow[]) =>
      rs.some((r) => r.role === 'ksk') && rs.some((r) => r.role === 'zsk');
    if (complete(rows)) return rows;
    return store.withZoneLocked(zoneId, async (locked) => {
      const again = await locked.keysOf(zoneId);
      for (const role of ['ksk', 'zsk'] as const)
        if (!again.some((r) => r.role === role)) await createKey(locked, zoneId, role);
      return locked.keysOf(zoneId);
    });
  }

  async function applyStep(keys: KeyStore, zoneId: string, step: RolloverStep): Promise<void> {
    const now = isoAt(deps.clock.now());
    if (step.kind === 'publish') await createKey(keys, zoneId, 'zsk', true);
    else if (step.kind === 'remove')
      await keys.updateKey(step.key, { state: 'removed', removed_at: now });
    else {
      for (const old of step.oldKeys)
        await keys.updateKey(old, { state: 'retired', retired_at: now });
      await keys.updateKey(step.newKey, { state: 'active', active_at: now });
    }
  }

  function toZoneKey(row: DnssecKeyRow): ZoneKey {
    let sign = signers.get(row.id);
    if (!sign) {
      const der = deps.sealer.open(row.private_key, sealContext(row.zone_id, row.id));
      sign = signerFor(row.algorithm as DnssecAlgorithm, Buffer.from(der, 'base64'));
      signers.set(row.id, sign);
    }
    const publicKey = Buffer.from(row.public_key, 'base64');
    return {
      id: row.id,
      role: row.role,
      algorithm: row.algorithm,
      tag: row.key_tag,
      dnskey: dnskeyRdata(flagsOf(row.role), row.algorithm, publicKey),
      active: row.state === 'active',
      // The DS set the zone asks its parent for (RFC 7344 §4): every KSK but one being retired.
      cds: row.role === 'ksk' && (row.state === 'active' || row.state === 'published'),
      sign,
    };
  }

  async function setSigning(zone: ZoneLike & { serial: number }, on: boolean): Promise<void> {
    const at = isoAt(deps.clock.now());
    if (on) await rowsOf(zone.id);
    await store.setSigning(zone.id, on, at);
    const row = await statuses.get(zone.id);
    if (row) await statuses.put({ ...row, turning_off_at: null, ds_absent_since: null });
    await store.bumpSerial(zone.id, Number(zone.serial), at);
  }

  return {
    ...parent,
    /** Step 3 of turning off, refused before the parent's DS is gone and its TTL has passed. */
    finishTurnOff: (zone: ZoneLike & { serial: number }) =>
      parent.finishTurnOff(zone, () => setSigning(zone, false)),
    /** Sign a zone's snapshot when the zone is signed; reuses signatures from the last build. */
    async sign(zone: ZoneLike, snapshot: ZoneSnapshot): Promise<ZoneSnapshot> {
      if (!zone.dnssec) {
        caches.delete(zone.id);
        refreshAt.delete(zone.id);
        rollAt.delete(zone.id);
        return snapshot;
      }
      const rows = await rowsOf(zone.id);
      // Retired keys stay in the DNSKEY RRset (their signatures may still be cached) but sign nothing.
      const keys = rows.map(toZoneKey);
      rollAt.set(zone.id, zskStep(rows, deps.clock.now(), timing).nextAt);
      const signing = createSigning(
        snapshot.apex,
        deps.clock.now(),
        deps.config,
        caches.get(zone.id) ?? (new Map() as SignatureCache),
      );
      const turningOff = Boolean((await statuses.get(zone.id))?.turning_off_at);
      const signed = signSnapshot(snapshot, keys, signing, { cdsDelete: turningOff });
      caches.set(zone.id, signing.cache());
      refreshAt.set(zone.id, signing.refreshAt());
      return signed;
    },
    /**
     * Keep a signed zone healthy: take the next ZSK rollover step when due, or renew signatures
     * nearing expiry. Either needs a new serial; returns true when the serial moved on.
     */
    async maintain(zone: ZoneLike & { serial: number }): Promise<boolean> {
      const now = deps.clock.now();
      const rollDue = (rollAt.get(zone.id) ?? Infinity) <= now;
      if (!rollDue && (refreshAt.get(zone.id) ?? Infinity) > now) return false;
      // Under the zone's lock, re-reading the keys: another instance may have taken the step.
      return store.withZoneLocked(zone.id, async (locked) => {
        const { step } = rollDue ? zskStep(await locked.keysOf(zone.id), now, timing) : {};
        if (step) await applyStep(locked, zone.id, step);
        return locked.bumpSerial(zone.id, Number(zone.serial), isoAt(now));
      });
    },
    /** The zone's keys with their DNSKEY and (for the KSK) DS text, for the panel and API. */
    async keys(zone: ZoneLike): Promise<DnssecKeyView[]> {
      const rows = await store.keysOf(zone.id);
      return rows.map((r) => {
        const dnskey = dnskeyRdata(
          flagsOf(r.role),
          r.algorithm,
          Buffer.from(r.public_key, 'base64'),
        );
        return {
          id: r.id,
          role: r.role,
          algorithm: r.algorithm,
          keyTag: r.key_tag,
          state: r.state,
          dnskey: dnskeyText(dnskey),
          ...(r.role === 'ksk' ? { ds: dsText(dsRdata(`${zone.name}.`, dnskey)) } : {}),
          createdAt: r.created_at,
          publishedAt: r.published_at,
          activeAt: r.active_at,
          retiredAt: r.retired_at,
        };
      });
    },
    /**
     * When the next ZSK rollover step (publish, activate, remove) falls due, ISO-8601, or null
     * for an unsigned zone or one without keys yet.
     */
    async nextKeyEvent(zone: ZoneLike): Promise<string | null> {
      const rows = await store.keysOf(zone.id);
      if (!zone.dnssec || rows.length === 0) return null;
      const { nextAt } = zskStep(rows, deps.clock.now(), timing);
      return Number.isFinite(nextAt) ? isoAt(Math.max(nextAt, deps.clock.now())) : null;
    },
    /**
     * Turn signing on or off at once; the serial moves on so every instance and secondary sees
     * it. Turning off this way skips the safe walk-through: the door calls it only at its step 3
     * or for an operator's override.
     */
    setSigning,
    /**
     * The DS RDATA the zone asks its parent for, as its CDS says (RFC 7344 §4): each active or
     * pre-published KSK; none when unsigned or turning off. Creates the first keys if needed.
     */
    async desiredDs(zone: ZoneLike): Promise<Buffer[]> {
      if (!zone.dnssec || (await statuses.get(zone.id))?.turning_off_at) return [];
      return (await rowsOf(zone.id))
        .map(toZoneKey)
        .filter((k) => k.role === 'ksk' && k.cds)
        .map((k) => dsRdata(apexOf(zone), k.dnskey));
    },
    /** A new serial for a zone whose served data changed outside its records (a delegation's DS). */
    bump: (zone: ZoneLike & { serial: number }) =>
      store.bumpSerial(zone.id, Number(zone.serial), isoAt(deps.clock.now())),
    /** Start a KSK rollover (RFC 6781 §4.1.2): publish a new KSK whose DS the customer adds. */
    async startKskRollover(zone: ZoneLike & { serial: number }): Promise<void> {
      if (!zone.dnssec) throw new ConflictError(`${zone.name} is not signed`);
      await store.withZoneLocked(zone.id, async (locked) => {
        const keys = await locked.keysOf(zone.id);
        if (keys.some((k) => k.role === 'ksk' && k.state !== 'active'))
          throw new ConflictError(`A KSK rollover of ${zone.name} is already under way`);
        await createKey(locked, zone.id, 'ksk', true);
        await locked.bumpSerial(zone.id, await locked.zoneSerial(zone.id), isoAt(deps.clock.now()));
      });
    },
  };
}

export type Dnssec = ReturnType<typeof createDnssec>;
export { dsText, dnskeyText } from './keys.js';
