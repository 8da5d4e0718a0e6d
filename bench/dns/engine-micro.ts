// The query engine without sockets: how much CPU Bestiary's own code spends per query (parse,
// cache or lookup+encode, patch), separate from the kernel's UDP cost that dominates on loopback.
// Usage: node --import tsx bench/dns/engine-micro.ts
import { silentLogger } from '../../src/core/logger.js';
import { createAnswerCache } from '../../src/dns/server/cache.js';
import { createEngine } from '../../src/dns/server/engine.js';
import { createServerMetrics } from '../../src/dns/server/metrics.js';
import { createZoneTable } from '../../src/dns/server/zone-table.js';
import { createQueryView, readQuery } from '../../src/dns/wire/query.js';
import { snapshotFromZoneFile } from './bestiary-server.js';
import { queries, queryPackets, zones } from './dataset.js';

const table = createZoneTable();
for (const z of zones()) table.replace(snapshotFromZoneFile(z.apex, z.text));
const engine = createEngine({
  table,
  cache: createAnswerCache(500_000),
  metrics: createServerMetrics(),
  logger: silentLogger,
});
const packets = queryPackets(queries(200_000).trim().split('\n'));
const view = createQueryView();
const scratch = Buffer.alloc(512);
const pass = (label: string): void => {
  // CPU time, not wall time: the benchmark machine is shared.
  const t0 = process.cpuUsage();
  let bytes = 0;
  for (const p of packets) {
    readQuery(p, view, scratch, false);
    bytes += engine.materialize(engine.lookup(p, view, false), p, view).length;
  }
  const used = process.cpuUsage(t0);
  const ns = ((used.user + used.system) * 1000) / packets.length;
  console.log(
    `${label}: ${ns.toFixed(0)} ns/query (${(1e9 / ns / 1000).toFixed(0)}k queries/s on one core), ${(bytes / packets.length).toFixed(0)} bytes/reply`,
  );
};
pass('first pass (cache cold)');
pass('second pass (cache warm)');
pass('third pass (cache warm)');
