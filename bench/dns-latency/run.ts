// From an API write to the changed answer on the wire: POST a record to the DNS API of a running
// Bestiary and poll with UDP queries until Bestiary, then a Knot DNS secondary (NOTIFY + IXFR),
// answers with it. The peer: a Knot primary changed by `knotc zone-commit`, feeding a second
// Knot as secondary, timed the same way. Prints p50/p99 and a Markdown table.
// Each write adds an A record to one of several customer-sized zones and is removed again after
// it was measured, so zones stay at their size (the change path costs O(records in the zone)).
// Usage: node --import tsx bench/dns-latency/run.ts [--writes 300] [--peer-writes 100]
//          [--zones 10] [--records 25]
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { createProber } from '../dns/probe.js';
import { numberOption } from '../options.js';

const WRITES = numberOption('writes', 300);
const PEER_WRITES = numberOption('peer-writes', 100);
const ZONES = numberOption('zones', 10);
const RECORDS = numberOption('records', 25);
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const { ask, close: closeProber } = createProber();

/** Milliseconds from t0 until `port` answers `name` with `want` (NaN after `limitMs`). */
async function servedAt(port: number, name: string, want: string, t0: number, limitMs: number) {
  while (performance.now() - t0 < limitMs) {
    if ((await ask(port, name)) === want) return performance.now() - t0;
  }
  return NaN;
}

const pct = (xs: number[], p: number): number => {
  const sorted = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const row = (label: string, xs: number[]) => {
  const missed = xs.filter(Number.isNaN).length;
  return `| ${label} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 99).toFixed(1)} | ${Math.max(...xs.filter((x) => !Number.isNaN(x))).toFixed(1)} | ${missed} |`;
};
/** CPU time (user + system) a process has used, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
const address = (i: number) => `10.9.${Math.floor(i / 256) % 256}.${i % 256}`;

/** A knotd on loopback with a private config; resolves once it answers `probe`. */
async function knot(dir: string, conf: string[], port: number, probes: string[]) {
  mkdirSync(join(dir, 'db'), { recursive: true });
  writeFileSync(join(dir, 'knot.conf'), `${conf.join('\n')}\n`);
  const child = spawn('knotd', ['-c', join(dir, 'knot.conf')], { stdio: 'ignore' });
  const t0 = performance.now();
  for (const probe of probes) {
    while ((await ask(port, probe)) === '') {
      if (performance.now() - t0 > 60_000)
        throw new Error(`knotd in ${dir} did not serve ${probe}`);
      await sleep(50);
    }
  }
  return child;
}

const knotServer = (dir: string, port: number) => [
  'server:',
  `    rundir: "${dir}"`,
  `    listen: 127.0.0.1@${port}`,
  'database:',
  `    storage: "${dir}/db"`,
  'log:',
  '  - target: stderr',
  '    any: error',
];
const secondaryOf = (dir: string, port: number, primaryPort: number, zones: string[]) => [
  ...knotServer(dir, port),
  'remote:',
  '  - id: primary',
  `    address: 127.0.0.1@${primaryPort}`,
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
  '    master: primary',
  '    acl: notify',
  'zone:',
  ...zones.map((z) => `  - domain: ${z}`),
];

/** Bestiary: POST → 200, → answered by Bestiary, → answered by the Knot secondary. */
async function bestiary(root: string) {
  const [apiPort, dnsPort, knotPort] = [await freePort(), await freePort(), await freePort()];
  const data = join(root, 'bestiary');
  mkdirSync(data);
  const server: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/dns-latency/server.ts',
      String(apiPort),
      String(dnsPort),
      String(knotPort),
      data,
      String(ZONES),
      String(RECORDS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve) => {
    createInterface({ input: server.stdout! }).once('line', resolve);
  });
  const { zones, keyId, secret } = JSON.parse(line) as {
    zones: string[];
    keyId: string;
    secret: string;
  };
  const api = `http://127.0.0.1:${apiPort}`;
  const login = await fetch(`${api}/login`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const knotDir = join(root, 'knot-secondary');
  const secondary = await knot(
    knotDir,
    secondaryOf(knotDir, knotPort, dnsPort, zones),
    knotPort,
    zones.map((z) => `ready.${z}`),
  );
  const confirmed: number[] = [];
  const wire: number[] = [];
  const onKnot: number[] = [];
  let servedOnReply = 0;
  const cpu0 = cpuMs(server.pid!);
  let cpuPerWrite: number;
  try {
    for (let i = 0; i < WRITES; i++) {
      const zone = zones[i % zones.length]!;
      const name = `w${i}.${zone}`;
      const path = `${api}/dns/v2/zones/${zone}/records/w${i}/A`;
      const t0 = performance.now();
      const post = fetch(path, {
        method: 'POST',
        headers,
        body: JSON.stringify({ records: [{ ttl: 60, data: address(i) }] }),
      }).then(async (r) => {
        const text = await r.text();
        if (r.status !== 200) throw new Error(`POST ${r.status}: ${text}`);
        confirmed.push(performance.now() - t0);
      });
      wire.push(await servedAt(dnsPort, name, address(i), t0, 2000));
      await post;
      // Freshness by construction: the change is published before the API replies.
      if ((await ask(dnsPort, name)) === address(i)) servedOnReply++;
      onKnot.push(await servedAt(knotPort, name, address(i), t0, 5000));
      // Untimed: put the zone back to its size.
      await (await fetch(path, { method: 'DELETE', headers })).text();
    }
    cpuPerWrite = (cpuMs(server.pid!) - cpu0) / WRITES;
  } finally {
    secondary.kill('SIGTERM');
    server.kill('SIGTERM');
  }
  return { confirmed, wire, onKnot, servedOnReply, cpuPerWrite };
}

/** The peer: knotc zone-commit on a Knot primary → answered by it, → by a Knot secondary. */
async function knotPeer(root: string) {
  const zone = 'peer.example';
  const [primaryPort, secondaryPort] = [await freePort(), await freePort()];
  const pDir = join(root, 'knot-primary');
  const sDir = join(root, 'knot-peer-secondary');
  mkdirSync(pDir);
  writeFileSync(
    join(pDir, `${zone}.zone`),
    `$ORIGIN ${zone}.\n$TTL 3600\n@ SOA ns1.${zone}. hostmaster.${zone}. 1 3600 600 1209600 300\n@ NS ns1.${zone}.\nns1 A 192.0.2.53\n`,
  );
  const primaryConf = [
    ...knotServer(pDir, primaryPort),
    'remote:',
    '  - id: secondary',
    `    address: 127.0.0.1@${secondaryPort}`,
    'acl:',
    '  - id: transfer',
    '    address: 127.0.0.1',
    '    action: transfer',
    'zone:',
    `  - domain: ${zone}`,
    `    storage: "${pDir}"`,
    '    zonefile-sync: -1',
    '    journal-content: changes',
    '    notify: secondary',
    '    acl: transfer',
  ];
  const primary = await knot(pDir, primaryConf, primaryPort, [`ns1.${zone}`]);
  const secondary = await knot(
    sDir,
    secondaryOf(sDir, secondaryPort, primaryPort, [zone]),
    secondaryPort,
    [`ns1.${zone}`],
  );
  const knotc = (...a: string[]) => run('knotc', ['-c', join(pDir, 'knot.conf'), ...a]);
  const onPrimary: number[] = [];
  const onSecondary: number[] = [];
  const knotcCall: number[] = [];
  try {
    for (let i = 0; i < PEER_WRITES; i++) {
      const b0 = performance.now();
      await knotc('zone-begin', zone);
      knotcCall.push(performance.now() - b0);
      await knotc('zone-set', zone, `w${i}`, '60', 'A', address(i));
      const t0 = performance.now();
      const commit = knotc('zone-commit', zone);
      onPrimary.push(await servedAt(primaryPort, `w${i}.${zone}`, address(i), t0, 2000));
      await commit;
      onSecondary.push(await servedAt(secondaryPort, `w${i}.${zone}`, address(i), t0, 5000));
    }
  } finally {
    primary.kill('SIGTERM');
    secondary.kill('SIGTERM');
  }
  return { onPrimary, onSecondary, knotcCall };
}

const root = mkdtempSync(join(tmpdir(), 'bestiary-latency-'));
try {
  const ours = await bestiary(root);
  const peer = await knotPeer(root);
  const { stdout: version } = await run('knotd', ['--version']);
  console.log(
    `\n${WRITES} API writes over ${ZONES} zones of ~${RECORDS} records; ${PEER_WRITES} knotc commits to ${version.trim()}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs\n`,
  );
  console.log('| from → to | n | p50 ms | p99 ms | max ms | missed |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  console.log(row('Bestiary: API POST → 200 reply', ours.confirmed));
  console.log(row('Bestiary: API POST → changed answer from Bestiary (UDP)', ours.wire));
  console.log(row('Bestiary: API POST → changed answer from a Knot secondary', ours.onKnot));
  console.log(
    row('Knot: knotc zone-commit → changed answer from the Knot primary', peer.onPrimary),
  );
  console.log(
    row('Knot: knotc zone-commit → changed answer from a Knot secondary', peer.onSecondary),
  );
  console.log(
    row('(one knotc call: process start + control socket, for reference)', peer.knotcCall),
  );
  console.log(
    `\nBestiary already served the change when its API reply arrived: ${ours.servedOnReply}/${WRITES}`,
  );
  console.log(
    `Bestiary server CPU per write (the POST, its DELETE, the polling queries): ${ours.cpuPerWrite.toFixed(1)} ms`,
  );
} finally {
  closeProber();
  rmSync(root, { recursive: true, force: true });
}
