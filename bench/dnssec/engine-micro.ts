// DNSSEC cost without sockets, on the 1,000-zone data set: signing every zone at publish (cold
// and with the signature cache warm), then the query engine's CPU per query for the unsigned
// zones, the signed zones without DO, and the signed zones with DO.
// Usage: node --import tsx bench/dnssec/engine-micro.ts
import { silentLogger } from '../../src/core/logger.js';
import { dnskeyRdata, flagsOf, generateKey, keyTag, signerFor } from '../../src/dns/dnssec/keys.js';
import {
  createSigning,
  type SignatureCache,
  type ZoneKey,
} from '../../src/dns/dnssec/signatures.js';
import { signSnapshot } from '../../src/dns/dnssec/sign-zone.js';
import type { ZoneSnapshot } from '../../src/dns/server/index.js';
import { createAnswerCache } from '../../src/dns/server/cache.js';
import { createEngine } from '../../src/dns/server/engine.js';
import { createServerMetrics } from '../../src/dns/server/metrics.js';
import { createZoneTable } from '../../src/dns/server/zone-table.js';
import { createQueryView, readQuery } from '../../src/dns/wire/query.js';
import { snapshotFromZoneFile } from '../dns/bestiary-server.js';
import { queries, queryPackets, zones } from '../dns/dataset.js';

const policy = { validityDays: 14, jitterHours: 24, refreshDays: 7 };

const keysFor = (): ZoneKey[] =>
  (['ksk', 'zsk'] as const).map((role) => {
    const k = generateKey(13);
    const dnskey = dnskeyRdata(flagsOf(role), 13, k.publicKey);
    return {
      id: role,
      role,
      algorithm: 13,
      tag: keyTag(dnskey),
      dnskey,
      active: true,
      sign: signerFor(13, k.privateKeyDer),
    };
  });

const plain = zones().map((z) => snapshotFromZoneFile(z.apex, z.text));
const keys = plain.map(keysFor);
const caches: SignatureCache[] = plain.map((): SignatureCache => new Map());
function signAll(): { ms: number; zones: ZoneSnapshot[] } {
  const t0 = performance.now();
  const out = plain.map((z, i) => {
    const signing = createSigning(z.apex, Date.now(), policy, caches[i]!);
    const signed = signSnapshot(z, keys[i]!, signing);
    caches[i] = signing.cache();
    return signed;
  });
  return { ms: performance.now() - t0, zones: out };
}
const cold = signAll();
const warm = signAll();
console.log(
  `signing 1,000 zones at publish: ${cold.ms.toFixed(0)} ms cold, ${warm.ms.toFixed(0)} ms with the signature cache`,
);

const lines = queries(200_000).trim().split('\n');
function measure(label: string, snapshots: readonly ZoneSnapshot[], dnssecOk: boolean): void {
  const table = createZoneTable();
  for (const s of snapshots) table.replace(s);
  const engine = createEngine({
    table,
    cache: createAnswerCache(500_000),
    metrics: createServerMetrics(),
    logger: silentLogger,
  });
  const packets = queryPackets(lines, dnssecOk);
  const view = createQueryView();
  const scratch = Buffer.alloc(512);
  for (const pass of ['cold', 'warm']) {
    const t0 = process.cpuUsage();
    let bytes = 0;
    for (const p of packets) {
      readQuery(p, view, scratch, false);
      bytes += engine.materialize(engine.lookup(p, view, false), p, view).length;
    }
    const used = process.cpuUsage(t0);
    const ns = ((used.user + used.system) * 1000) / packets.length;
    console.log(
      `${label}, cache ${pass}: ${ns.toFixed(0)} ns/query (${(1e6 / ns).toFixed(0)}k/s on one core), ${(bytes / packets.length).toFixed(0)} bytes/reply`,
    );
  }
}
measure('unsigned zones, DO=0', plain, false);
measure('signed zones, DO=0', warm.zones, false);
measure('signed zones, DO=1', warm.zones, true);
