// Bestiary's DNS server for the DNSSEC benchmark: the data set's zone files as snapshots, each
// signed at load by a fresh KSK+ZSK pair of algorithm 13 with NSEC3 (what the DNS module does at
// publish), or left unsigned; served until killed. Prints the signing time on stderr.
// Usage: node --import tsx bench/dnssec/bestiary-server.ts <zones-dir> <port> <workers>
//        <dgram|batch> <signed|unsigned>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { dnskeyRdata, flagsOf, generateKey, keyTag, signerFor } from '../../src/dns/dnssec/keys.js';
import { createSigning, type ZoneKey } from '../../src/dns/dnssec/signatures.js';
import { signSnapshot } from '../../src/dns/dnssec/sign-zone.js';
import { createDnsServer } from '../../src/dns/server/index.js';
import { snapshotFromZoneFile } from '../dns/bestiary-server.js';

const [dir = '', port = '5300', workers = '0', transport = 'batch', mode = 'signed'] =
  process.argv.slice(2);
// The module's defaults (config.ts dns.dnssec): two weeks' validity, a day of jitter.
const policy = { validityDays: 14, jitterHours: 24, refreshDays: 7 };

function keysFor(): ZoneKey[] {
  return (['ksk', 'zsk'] as const).map((role) => {
    const k = generateKey(13);
    const dnskey = dnskeyRdata(flagsOf(role), 13, k.publicKey);
    const tag = keyTag(dnskey);
    return {
      id: role,
      role,
      algorithm: 13,
      tag,
      dnskey,
      active: true,
      sign: signerFor(13, k.privateKeyDer),
    };
  });
}

const server = createDnsServer(
  { logger: silentLogger },
  {
    port: Number(port),
    rrl: false,
    workers: Number(workers),
    udpTransport: transport === 'batch' ? 'batch' : 'dgram',
  },
);
const t0 = performance.now();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.zone'))) {
  const apex = file.replace(/zone$/, '');
  const plain = snapshotFromZoneFile(apex, readFileSync(join(dir, file), 'utf8'));
  const snapshot =
    mode === 'signed'
      ? signSnapshot(plain, keysFor(), createSigning(apex, Date.now(), policy, new Map()))
      : plain;
  server.replaceZone(snapshot);
}
process.stderr.write(`loaded (${mode}) in ${(performance.now() - t0).toFixed(0)} ms\n`);
await server.start();
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
