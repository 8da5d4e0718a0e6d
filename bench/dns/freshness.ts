// Freshness: from a change handed to the server (replaceZone, the last step of an API write) to
// the changed answer on the wire, and on a Knot DNS secondary after NOTIFY + IXFR.
// Usage: node --import tsx bench/dns/freshness.ts [--changes 200] [--workers 0]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { createDnsServer, type ZoneSnapshot } from '../../src/dns/server/index.js';
import { nameToWire } from '../../src/dns/wire/name.js';
import { snapshotFromZoneFile } from './bestiary-server.js';
import { zones } from './dataset.js';
import { createProber } from './probe.js';
import { numberOption } from '../options.js';

const changes = numberOption('changes', 200);
const PORT = 15400;
const KNOT_PORT = 15401;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const { ask, close: closeProber } = createProber();

const percentile = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const summary = (label: string, xs: number[]): string =>
  `${label}: n=${xs.length} p50=${percentile(xs, 50).toFixed(1)} ms p99=${percentile(xs, 99).toFixed(1)} ms max=${Math.max(...xs).toFixed(1)} ms`;

function changed(base: ZoneSnapshot, serial: number, last: number): ZoneSnapshot {
  const www = nameToWire(`www.${base.apex}`);
  const records = base.records.filter(
    (r) => !(r.type === 5 && Buffer.compare(nameToWire(r.name), www) === 0),
  );
  records.push({
    name: `www.${base.apex}`,
    type: 1,
    ttl: 60,
    rdata: Uint8Array.from([10, 9, Math.floor(last / 256) % 256, last % 256]),
  });
  return { ...base, soa: { ...base.soa, serial }, records };
}

async function waitFor(port: number, name: string, want: string, limitMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitMs) {
    if ((await ask(port, name)) === want) return performance.now() - t0;
    if (port === KNOT_PORT) await sleep(5);
  }
  return NaN;
}

async function main(): Promise<void> {
  const data = zones(100);
  const server = createDnsServer(
    { logger: silentLogger },
    {
      port: PORT,
      rrl: false,
      workers: numberOption('workers', 0),
      transferRules: [{ cidr: '127.0.0.0/8' }],
      notify: [{ address: '127.0.0.1', port: KNOT_PORT }],
      notifyRetryMs: 250,
    },
  );
  const snaps = new Map(data.map((z) => [z.apex, snapshotFromZoneFile(z.apex, z.text)]));
  for (const s of snaps.values()) server.replaceZone(s);
  await server.start();
  const wire: number[] = [];
  let serial = 2026112800;
  for (let i = 0; i < changes; i++) {
    const apex = data[i % data.length]!.apex;
    const next = changed(snaps.get(apex)!, ++serial, i);
    server.replaceZone(next);
    const ms = await waitFor(
      PORT,
      `www.${apex}`,
      `10.9.${Math.floor(i / 256) % 256}.${i % 256}`,
      2000,
    );
    wire.push(ms);
  }
  console.log(summary('replaceZone -> changed answer from Bestiary', wire));

  const dir = mkdtempSync(join(tmpdir(), 'bestiary-fresh-'));
  mkdirSync(join(dir, 'db'));
  const conf = [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: 127.0.0.1@${KNOT_PORT}`,
    'database:',
    `    storage: "${dir}/db"`,
    'log:',
    '  - target: stderr',
    '    any: error',
    'remote:',
    '  - id: bestiary',
    `    address: 127.0.0.1@${PORT}`,
    'acl:',
    '  - id: notify',
    '    address: 127.0.0.1',
    '    action: notify',
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    '    zonefile-sync: -1',
    '    zonefile-load: none',
    '    journal-content: changes',
    '    master: bestiary',
    '    acl: notify',
    'zone:',
    ...data.map((z) => `  - domain: ${z.apex}`),
  ];
  writeFileSync(join(dir, 'knot.conf'), conf.join('\n') + '\n');
  const knot = spawn('knotd', ['-c', join(dir, 'knot.conf')], { stdio: 'ignore' });
  try {
    const last = data.at(-1)!.apex;
    if (Number.isNaN(await waitFor(KNOT_PORT, `mail.${last}`, '10.0.100.25', 60_000)))
      throw new Error('Knot did not load the zones');
    const secondary: number[] = [];
    for (let i = 0; i < Math.min(changes, 50); i++) {
      const apex = data[i % data.length]!.apex;
      const value = 1000 + i;
      server.replaceZone(changed(snaps.get(apex)!, ++serial, value));
      secondary.push(
        await waitFor(
          KNOT_PORT,
          `www.${apex}`,
          `10.9.${Math.floor(value / 256) % 256}.${value % 256}`,
          5000,
        ),
      );
    }
    console.log(
      summary('replaceZone -> changed answer from a Knot secondary (NOTIFY + IXFR)', secondary),
    );
  } finally {
    knot.kill('SIGTERM');
    await server.stop();
    closeProber();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
