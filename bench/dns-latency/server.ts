// The whole of Bestiary as the latency benchmark's subject, in its own process: SQLite in a temp
// dir, the API listener and the DNS server on loopback, NOTIFY to a Knot secondary. Prints one
// JSON line with what the benchmark needs (a customer's zone and a DNS key), then serves.
// Usage: node --import tsx bench/dns-latency/server.ts <apiPort> <dnsPort> <knotPort> <dataDir>
//          <zones> <recordsPerZone>
import { listen } from '../../src/bin/listen.js';
import { parseConfig } from '../../src/config.js';
import { cliActor } from '../../src/core/actor.js';
import { fullAccess, recordFromJson } from '../../src/dns/index.js';
import { buildApp } from '../../src/main.js';

const [apiPort, dnsPort, knotPort, dataDir, zoneCount, perZone] = process.argv.slice(2);
const config = parseConfig({
  dataDir,
  logLevel: 'warn',
  jobs: { enabled: false },
  api: { listen: [`127.0.0.1:${apiPort}`], publicUrl: `http://127.0.0.1:${apiPort}` },
  panel: { listen: ['127.0.0.1:0'] },
  dns: {
    listen: `127.0.0.1:${dnsPort}`,
    rrlPerSecond: 0,
    secondaries: [{ address: '127.0.0.1', port: Number(knotPort) }],
    transfer: [{ cidr: '127.0.0.0/8' }],
  },
});
const app = buildApp(config);
await app.migrate();
const account = await app.accounts.accounts.createAccount(
  {
    email: 'bench@example.com',
    password: 'correct horse battery staple',
    name: 'Bench',
    role: 'customer',
  },
  cliActor,
);
// Customer-sized zones: a mix of types, about `perZone` records each, and `ready` A for probes.
const zones: string[] = [];
const access = fullAccess(account.id, cliActor);
for (let z = 0; z < Number(zoneCount); z++) {
  const zone = await app.dns.zones.create(
    account.id,
    `zone${z}.latency.example`,
    'dns-only',
    cliActor,
  );
  const apex = `${zone.name}.`;
  const records = [{ host: 'ready', type: 'A', data: '192.0.2.1' }];
  for (let i = 0; records.length < Number(perZone) - 2; i++) {
    records.push(
      { host: `host${i}`, type: 'A', data: `192.0.2.${(i % 250) + 2}` },
      { host: `host${i}`, type: 'AAAA', data: `2001:db8::${i + 1}` },
      { host: `txt${i}`, type: 'TXT', data: `v=spf1 include:_spf${i}.example.net ~all` },
    );
  }
  records.push({ host: '@', type: 'MX', data: 'mx.example.net.', mx_priority: 10 } as never);
  await app.dns.records.add(
    access,
    zone,
    records.map((r) => recordFromJson({ ttl: 300, ...r }, apex)),
  );
  zones.push(zone.name);
}
const { key, secret } = await app.accounts.apiKeys.create(
  account.id,
  { label: 'bench', scope: [{ api: 'dns', write: true }] },
  cliActor,
);
await app.dns.start();
const api = await listen('api', app.api as never, config.api.listen, app.logger);
console.log(JSON.stringify({ zones, keyId: key.id, secret }));

process.once('SIGTERM', () => {
  void (async () => {
    await api.close();
    await app.dns.stop();
    process.exit(0);
  })();
});
