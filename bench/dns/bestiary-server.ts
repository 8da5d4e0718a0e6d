// Bestiary's DNS server as a benchmark subject: load the data set's zone files (parsed by the DNS
// module's zone-file code), build snapshots and serve them until killed.
// Usage: node --import tsx bench/dns/bestiary-server.ts <zones-dir> <port> [workers] [dgram|batch]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { createDnsServer, type ZoneSnapshot } from '../../src/dns/server/index.js';
import { rdataToWire, recordTarget, typeCode } from '../../src/dns/record-types/index.js';
import { parseZoneFile } from '../../src/dns/zonefile.js';

/** A snapshot from zone-file text via the record-type codecs: what the DNS module will do from its store. */
export function snapshotFromZoneFile(apex: string, text: string, serial?: number): ZoneSnapshot {
  const records = parseZoneFile(text, { zone: apex });
  const soaRec = records.find((r) => r.type === 'SOA');
  if (!soaRec || soaRec.type !== 'SOA') throw new Error(`${apex}: no SOA`);
  const s = soaRec.data;
  return {
    apex,
    soa: {
      mname: s.mname,
      rname: s.rname,
      serial: serial ?? s.serial,
      refresh: s.refresh,
      retry: s.retry,
      expire: s.expire,
      minimum: s.minimum,
      ttl: soaRec.ttl,
    },
    records: records
      .filter((r) => r.type !== 'SOA')
      .map((r) => ({
        name: r.name,
        type: typeCode(r.type),
        ttl: r.ttl,
        rdata: rdataToWire(r),
        target: recordTarget(r) ?? undefined,
      })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = '', port = '5300'] = process.argv.slice(2);
  const workers = Number(process.argv[4] ?? 0);
  const udpTransport = process.argv[5] === 'batch' ? 'batch' : 'dgram';
  const server = createDnsServer(
    { logger: silentLogger },
    { port: Number(port), rrl: false, workers, udpTransport },
  );
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.zone'))) {
    const apex = file.replace(/zone$/, '');
    server.replaceZone(snapshotFromZoneFile(apex, readFileSync(join(dir, file), 'utf8')));
  }
  await server.start();
  console.log('ready');
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}
