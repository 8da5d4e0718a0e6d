// DNS: customers' zones and records (with CAA done right), zone files, TSIG keys, and Bestiary's
// own authoritative server that serves them. Owns zones, zone_records, zone_changes and
// tsig_keys. Every change goes through one path (records.ts) and is served within milliseconds.
import { getServers } from 'node:dns';
import type { Registry } from 'prom-client';
import type { AuditLog } from '../accounts/index.js';
import type { Clock } from '../core/clock.js';
import type { Sealer } from '../core/crypto.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/index.js';
import { systemActor } from '../core/actor.js';
import { NotFoundError } from '../core/errors.js';
import { fullAccess } from './access.js';
import { recordFromJson } from './record-types/index.js';
import { ValidationError } from '../core/errors.js';
import type { DnsAccess } from './access.js';
import { createAnameResolver } from './aname.js';
import { createDelegations } from './delegations.js';
import { createDnssecDoor } from './dnssec-door.js';
import type { CaaEvaluation } from './caa.js';
import { createDynamic } from './dynamic.js';
import { createIssuance } from './issuance.js';
import { createIxfrHistory } from './ixfr-history.js';
import { createRecordOps, DnsAccessDenied } from './record-ops.js';
import type { StoredRecord } from './records.js';
import { apexOf, toStored } from './records.js';
import type { Selection } from './selection.js';
import { firstOutside, scopeOf } from './selection.js';
import type { DnsServer, TsigKeyEntry, ZoneSnapshot } from './server/index.js';
import { createDnsServer } from './server/index.js';
import type { SoaSettings } from './snapshot.js';
import { buildSnapshot } from './snapshot.js';
import type { ZoneRow } from './store.js';
import { createDnsStore } from './store.js';
import type { DnsTables, ZoneKind } from './tables.js';
import { createTsigKeys } from './tsig-keys.js';
import { createVerifier } from './verify.js';
import { createDnssec, type DnssecConfig } from './dnssec/index.js';
import { createZones } from './zones.js';
import { describeRecord } from './record-types/index.js';
import type { DnsRecord } from './record-types/index.js';
import { isInZone, resolveHost } from './names.js';

export type { DnsAccess } from './access.js';
export { fullAccess, scopedAccess } from './access.js';
export { DnsAccessDenied } from './record-ops.js';
export type { ImportResult, WriteResult } from './record-ops.js';
export { hostOf, resolveHost } from './names.js';
export type { StoredRecord } from './records.js';
export { apiJson } from './records.js';
export type { Filter, Selection } from './selection.js';
export { both, everything } from './selection.js';
export type { ZoneRow } from './store.js';
export type { ZoneKind } from './tables.js';
export type { TsigKeyView } from './tsig-keys.js';
export type { CaaEvaluation } from './caa.js';
export type { DnsRecord, RecordTypeName } from './record-types/index.js';
export { describeRecord, recordFromJson, recordTypeNames } from './record-types/index.js';
export { caaRecordsForPolicy, wellKnownCas } from './caa-records.js';
export { zoneName } from './zones.js';
export type { DnssecConfig, DnssecKeyView, DnssecParentView } from './dnssec/index.js';

export interface DnsConfig {
  listen: string;
  workers: number;
  nameservers: readonly string[];
  hostmaster: string;
  soa: Omit<SoaSettings, 'primary' | 'hostmaster'>;
  defaultTtl: number;
  nsTtl: number;
  minTtl: number;
  maxTtl: number;
  template: readonly Record<string, string | number>[];
  secondaries: readonly { address: string; port: number; keyName?: string | undefined }[];
  transfer: readonly { cidr?: string | undefined; keyName?: string | undefined }[];
  tsigKeys: readonly { name: string; algorithm: string; secret: string }[];
  rrlPerSecond: number;
  /** The provider's own zones, inside which customers' zones (free subdomains) may sit. */
  providerZones: readonly string[];
  dnssec: DnssecConfig;
}

export interface DnsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  audit: AuditLog;
  sealer: Sealer;
  registry: Registry;
  config: DnsConfig;
}

const absolute = (name: string) =>
  name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`;

/** Build the DNS module and its server (which listens only when `server.start()` is called). */
export function createDnsModule(deps: DnsDeps) {
  const { config, clock } = deps;
  const logger = deps.logger.child({ module: 'dns' });
  const store = createDnsStore(deps.db.forModule<DnsTables>(), deps.db.dialect);
  const soa: SoaSettings = {
    primary: absolute(config.nameservers[0]!),
    hostmaster: absolute(config.hostmaster),
    ...config.soa,
  };
  const resolveAname = createAnameResolver({
    logger,
    served: (name, type) => server?.lookup(name, type),
  });

  const recordsOf = async (zone: ZoneRow): Promise<StoredRecord[]> =>
    (await store.recordsOf(zone.id)).map((r) => toStored(r, apexOf(zone)));
  const dnssec = createDnssec({
    db: deps.db.forModule<DnsTables>(),
    dialect: deps.db.dialect,
    sealer: deps.sealer,
    clock,
    config: config.dnssec,
    timing: {
      // RFC 7583 §3.2: the DNSKEY TTL (the SOA TTL here) or the longest record TTL, plus the
      // time secondaries may take to pick up the zone.
      publishWaitMs: (soa.ttl + soa.refresh + 3600) * 1000,
      retireWaitMs: (config.maxTtl + soa.refresh + 3600) * 1000,
    },
    parentServers: () =>
      config.dnssec.parentServers.length ? config.dnssec.parentServers : getServers(),
    // A day is a common DS TTL at TLDs; an hour more for the parent's other servers to catch up.
    parentTiming: { fallbackDsTtlSeconds: 86_400, marginMs: 3_600_000 },
  });
  const delegations = createDelegations({
    providerZones: config.providerZones,
    nameservers: config.nameservers,
    nsTtl: config.nsTtl,
    dsTtl: soa.ttl,
    allZones: () => store.allZones(),
    desiredDs: (zone) => dnssec.desiredDs(zone),
  });
  const snapshotOf = async (zone: ZoneRow): Promise<ZoneSnapshot> => {
    const base = await buildSnapshot(zone, await recordsOf(zone), soa, resolveAname);
    const delegated = await delegations.forSnapshot(zone);
    return dnssec.sign(
      zone,
      delegated.length ? { ...base, records: [...base.records, ...delegated] } : base,
    );
  };
  const publish = async (zone: ZoneRow): Promise<void> => {
    const fresh = (await store.zoneById(zone.id)) ?? zone;
    server.replaceZone(await snapshotOf(fresh));
  };
  const unpublish = async (zone: ZoneRow): Promise<void> => {
    server.removeZone(apexOf(zone));
    dnssecDoor.forget(zone);
    // A deleted free subdomain must not stay delegated (with its DS) from the provider's zone.
    await bumpStaleParent(zone);
  };
  const dnssecDoor = createDnssecDoor({
    dnssec,
    delegations,
    events: deps.events,
    clock,
    parentCheckMinutes: config.dnssec.parentCheckMinutes,
    zoneById: (id) => store.zoneById(id),
    publish: (zone) => publish(zone),
  });
  const { refreshParentOf, bumpStaleParent, checkParents } = dnssecDoor;
  const syncIntervalMs = 2000;
  let syncTimer: NodeJS.Timeout | undefined;
  let parentTimer: NodeJS.Timeout | undefined;
  const served = new Set<string>();
  async function syncFromDatabase(): Promise<number> {
    const zones = await store.allZones();
    let refreshed = 0;
    for (const zone of zones) {
      // ZSK rollover steps and signatures nearing expiry take a new serial, so secondaries follow.
      if (zone.dnssec && (await dnssec.maintain(zone))) {
        const fresh = await store.zoneById(zone.id);
        if (fresh) zone.serial = fresh.serial;
      }
      if (server.servedSerial(apexOf(zone)) !== Number(zone.serial)) {
        server.replaceZone(await snapshotOf(zone));
        refreshed += 1;
      }
    }
    const current = new Set(zones.map(apexOf));
    for (const apex of served) if (!current.has(apex)) server.removeZone(apex);
    served.clear();
    for (const apex of current) served.add(apex);
    return refreshed;
  }

  const records = createRecordOps({
    store,
    clock,
    audit: deps.audit,
    events: deps.events,
    minTtl: config.minTtl,
    maxTtl: config.maxTtl,
    publish,
  });
  const zones = createZones({
    store,
    clock,
    audit: deps.audit,
    publish,
    unpublish,
    settings: {
      nameservers: config.nameservers,
      nsTtl: config.nsTtl,
      defaultTtl: config.defaultTtl,
      minTtl: config.minTtl,
      maxTtl: config.maxTtl,
      template: config.template,
      providerZones: config.providerZones,
      dnssecByDefault: config.dnssec.defaultOn,
    },
  });
  const providerKeys = new Map<string, TsigKeyEntry>(
    config.tsigKeys.map((k) => [
      absolute(k.name),
      {
        name: absolute(k.name),
        algorithm: absolute(k.algorithm),
        secret: Buffer.from(k.secret, 'base64'),
        zones: '*',
      },
    ]),
  );
  const tsig = createTsigKeys({
    store,
    clock,
    sealer: deps.sealer,
    audit: deps.audit,
    logger,
    records,
    providerKeys,
  });

  const changesSince = createIxfrHistory(store);

  const [host, port] = ((m) => [m![1]!, Number(m![2])])(
    /^\[?([^\]]+?)\]?:(\d+)$/.exec(config.listen),
  );
  // Closures above reach `server` only once requests arrive, after it exists.
  const server: DnsServer = createDnsServer(
    {
      logger,
      clock,
      registry: deps.registry,
      provider: {
        loadZones: async () => Promise.all((await store.allZones()).map(snapshotOf)),
        getChanges: changesSince,
        getTsigKey: (name) => tsig.lookup(name),
      },
      onUpdate: (request) => tsig.applyUpdate(request, (name) => store.zoneByName(name)),
    },
    {
      address: host,
      port,
      workers: config.workers,
      rrl: config.rrlPerSecond === 0 ? false : { responsesPerSecond: config.rrlPerSecond },
      notify: config.secondaries.map((s) => ({
        address: s.address,
        port: s.port,
        ...(s.keyName ? { keyName: absolute(s.keyName) } : {}),
      })),
      transferRules: config.transfer.map((t) => ({
        ...(t.cidr ? { cidr: t.cidr } : {}),
        ...(t.keyName ? { keyName: absolute(t.keyName) } : {}),
      })),
    },
  );
  const dnsServer = server;
  const issuance = createIssuance({ served: (name, type) => dnsServer.lookup(name, type) });
  const verifier = createVerifier({ server: dnsServer, nameservers: config.nameservers });
  const dynamic = createDynamic({ zones, records });

  return {
    server: dnsServer,
    zones,
    records,
    tsig,
    /** Who may issue certificates for a name (RFC 8659), from what our server serves. */
    whoMayIssue: issuance.evaluate,
    /** Does our server serve exactly these records yet? (The API's `?verify`, apis.md §3.5.) */
    verify: verifier.verify,
    /**
     * `?verify` on a selection: its records, and whether our server serves them. A whole RRset
     * (host and type, nothing else) must be served exactly; a partial one (data filter,
     * exclusions) must be served among others.
     */
    async verifySelection(access: DnsAccess, zone: ZoneRow, selection: Selection) {
      const expected = await records.list(access, zone, selection);
      const { host, type, data } = selection.base;
      const partial =
        data !== undefined ||
        selection.anyOf.some((f) => f.data !== undefined) ||
        selection.excludeTemplate ||
        selection.excludeGenerated;
      const also =
        host !== undefined && type !== undefined && !partial && selection.anyOf.length === 0
          ? { name: resolveHost(host, apexOf(zone)), type: type.trim().toUpperCase() }
          : null;
      return { records: expected, ...verifier.verify(expected, also, partial) };
    },
    /**
     * What a POST or PUT on a records URL may write (apis.md §3.3, §3.8): the key's scope must
     * cover the URL's selection itself, as the reference checks it (lexicon #972: a TXT-only key
     * may not POST to the whole-zone URL), and every record must fall inside that selection.
     */
    checkWrite(
      access: DnsAccess,
      zone: ZoneRow,
      selection: Selection,
      body: readonly DnsRecord[],
    ): void {
      for (const s of scopeOf(selection, apexOf(zone)))
        if (!access.allows(true, zone.name, s.host, s.type))
          throw new DnsAccessDenied(
            `change ${s.host ?? 'every host'} ${s.type ?? 'of every type'} in ${zone.name}`,
          );
      const outside = firstOutside(selection, apexOf(zone), body);
      if (outside)
        throw new ValidationError(
          `Record '${describeRecord(outside, apexOf(zone))}' is outside the selection of this request`,
        );
    },
    ...dnssecDoor.door,
    /** Dynamic DNS (apis.md §3.9): point a host's A/AAAA at the address the request came from. */
    setAddress: dynamic.setAddress,
    /** Who may issue for `host` of a zone (RFC 8659), for a key that may read the zone's CAA. */
    async issuersFor(access: DnsAccess, zone: ZoneRow, host: string): Promise<CaaEvaluation> {
      if (!access.allows(false, zone.name, undefined, 'CAA'))
        throw new DnsAccessDenied(`read the CAA records of ${zone.name}`);
      const name = resolveHost(host, apexOf(zone));
      if (!isInZone(name, apexOf(zone)))
        throw new ValidationError(`${name} is not inside the zone ${zone.name}`);
      return issuance.evaluate(name);
    },
    /** Create the zone for a domain the customer just got (ordered, or a free subdomain). */
    async zoneForDomain(
      accountId: string,
      domain: string,
      kind: ZoneKind,
      freeSubdomain: boolean,
    ): Promise<void> {
      const existing = await store.zoneByName(domain);
      if (existing) return;
      const zone = await zones.create(
        accountId,
        domain,
        kind,
        { accountId: null, ip: null, channel: 'system' },
        { insideProviderZones: freeSubdomain },
      );
      // A free subdomain is delegated, signed, from the provider's zone at once (no registrar).
      await refreshParentOf(zone);
    },
    /**
     * Replace the records Bestiary generates at `host` of a provider zone (the Pi cloud's names):
     * the generated records at that name go and `generated` come, through the one change path.
     */
    async replaceGenerated(
      zone: string,
      host: string,
      generated: readonly { type: string; data: string; ttl: number }[],
    ): Promise<void> {
      const row = await store.zoneByName(zone);
      if (!row) throw new NotFoundError('Zone');
      const apex = apexOf(row);
      const name = resolveHost(host, apex);
      const add = generated.map((r) => ({
        record: recordFromJson({ host, ...r }, apex),
        origin: 'generated' as const,
      }));
      await records.apply(
        fullAccess(row.account_id, systemActor),
        row,
        'zone.generated_replaced',
        (current) => {
          const old = current.filter((r) => r.origin === 'generated' && r.record.name === name);
          const same =
            old.length === add.length &&
            add.every((a) =>
              old.some((o) => JSON.stringify(o.record) === JSON.stringify(a.record)),
            );
          // A reboot announces the same names again: that must not bump the serial.
          return same ? { remove: [], add: [] } : { remove: old, add };
        },
      );
    },
    async start(): Promise<void> {
      await dnsServer.start();
      logger.info({ listen: dnsServer.addresses() }, 'DNS server listening');
      await syncFromDatabase(); // learns which zones are served, so deletions elsewhere are seen
      // Changes made by another process (the CLI, another instance on PostgreSQL) reach this
      // server within one sync interval: serials in the database are the source of truth.
      syncTimer = setInterval(
        () =>
          void syncFromDatabase().catch((err: unknown) => logger.warn({ err }, 'zone sync failed')),
        syncIntervalMs,
      );
      // Parent checks go to the network: on their own timer, so a slow parent never delays sync.
      parentTimer = setInterval(
        () =>
          void checkParents().catch((err: unknown) =>
            logger.warn({ err }, 'DNSSEC parent check failed'),
          ),
        60_000,
      );
    },
    async stop(): Promise<void> {
      if (syncTimer) clearInterval(syncTimer);
      if (parentTimer) clearInterval(parentTimer);
      await dnsServer.stop();
    },
    /** Serve every zone at its database serial; drop zones deleted elsewhere. Returns zones refreshed. */
    syncFromDatabase: () => syncFromDatabase(),
  };
}

export type DnsModule = ReturnType<typeof createDnsModule>;
