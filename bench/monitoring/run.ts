// Monitoring bench: 1,000 and 10,000 checks against local targets, alerts through InspIRCd, and the
// same checks as one process per check with Debian's monitoring-plugins, side by side.
// Usage: node --import tsx bench/monitoring/run.ts [sizes=1000,10000] [warmupS=70] [measureS=150] [store=json|sqlite]
import { execFile, execFileSync, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createIrcd } from '../../test/monitoring/support/ircd.js';
import { listen } from '../../test/monitoring/support/listener.js';
import { faultIds, hostAt, ports } from './shared.js';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const warmupS = Number(process.argv[3] ?? 70);
const measureS = Number(process.argv[4] ?? 150);
/** json: batches serialised only; sqlite: written to the real SQL store on a SQLite file. */
const store = process.argv[5] === 'sqlite' ? 'sqlite' : 'json';
const skipPeers = process.env.BENCH_SKIP_PEERS === '1';
const hosts = 50;
const faults = 8;
const here = new URL('.', import.meta.url).pathname;
const child = (file: string, args: string[]): ChildProcess =>
  fork(`${here}${file}`, args, { execArgv: ['--import', 'tsx'] });
const pct = (xs: number[], q: number) =>
  xs.length
    ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!
    : NaN;
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');

const ircd = await createIrcd('inspircd');
await ircd.start();
const listener = await listen(ircd.port, '#alerts');
const targets = child('targets.ts', [String(hosts)]);
await new Promise((r) => targets.once('message', r));

interface Report {
  size: number;
  cpuPct: number;
  cpuMsPerCheck: number;
  checksPerSec: number;
  rssMaxMB: number;
  lagP50: number;
  lagP99: number;
  missed: number;
  writesPerSec: number;
  bytesPerBatch: number;
  ircOnline: boolean;
  ircConnects: number;
}
const rows: Array<Report & { e2e: number[]; overhead: number[] }> = [];

for (const size of sizes) {
  const decided = new Map<string, number>();
  const mon = child('monitor.ts', [
    String(size),
    String(ircd.port),
    String(hosts),
    String(warmupS),
    String(measureS),
    store,
  ]);
  const e2e: number[] = [];
  const overhead: number[] = [];
  const report = await new Promise<Report>((resolve) => {
    mon.on(
      'message',
      (m: { alert?: { line: string; at: number }; measuring?: boolean; report?: Report }) => {
        if (m.alert) decided.set(m.alert.line, m.alert.at);
        if (m.report) resolve(m.report);
        if (!m.measuring) return;
        faultIds(size, faults).forEach((id, k) =>
          setTimeout(
            () => {
              const ref = `[${id.slice(1)}-b]`;
              const t0 = Date.now();
              targets.send({ break: id });
              const seen = listener.heard.length;
              void listener
                .waitFor(
                  (h) =>
                    h
                      .slice(seen)
                      .some((x) => x.text.includes(ref) && !x.text.includes('back to normal')),
                  120_000,
                )
                .then(() => {
                  const heard = listener.heard.slice(seen).find((x) => x.text.includes(ref))!;
                  e2e.push(heard.at - t0);
                  const d = decided.get(heard.text);
                  if (d !== undefined) overhead.push(heard.at - d);
                  targets.send({ fix: id });
                })
                .catch(() => targets.send({ fix: id }));
            },
            10_000 + k * 5_000,
          ),
        );
      },
    );
  });
  await new Promise((r) => mon.once('exit', r));
  faultIds(size, faults).forEach((id) => targets.send({ fix: id }));
  rows.push({ ...report, e2e, overhead });
  console.log(JSON.stringify({ ...report, e2e, overhead }));
}

/** CPU of finished children of this process, in ms (utime + stime from /proc/self/stat). */
const tck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const childCpuMs = () => {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[13]) + Number(f[14])) / tck) * 1000;
};

async function plugin(name: string, argsFor: (i: number) => string[], n: number, concurrency = 4) {
  const bin = `/usr/lib/nagios/plugins/${name}`;
  let next = 0;
  let ok = 0;
  const cpu0 = childCpuMs();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      // Read `ok` only after the await: `ok += await …` would lose concurrent updates.
      const passed = await new Promise<number>((r) =>
        execFile(bin, argsFor(i), (err) => r(err ? 0 : 1)),
      );
      ok += passed;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // The plugin's own CPU plus what forking and reaping it costs the scheduler (this process).
  const own = process.cpuUsage(own0);
  const cpuMs = (childCpuMs() - cpu0 + (own.user + own.system) / 1000) / n;
  return {
    name,
    n,
    ok,
    cpuMsPerCheck: cpuMs,
    wallMsPerCheck: ((performance.now() - t0) * concurrency) / n,
    coreAt10k: (cpuMs * (10_000 / 60)) / 10,
  };
}

const peers = [];
if (!skipPeers)
  try {
    peers.push(
      await plugin(
        'check_tcp',
        (i) => ['-H', hostAt((i % hosts) + 1), '-p', String(ports.ssh)],
        300,
      ),
    );
    peers.push(
      await plugin(
        'check_http',
        (i) => [
          '-H',
          hostAt((i % hosts) + 1),
          '-p',
          String(ports.http),
          '-u',
          `/c/c${i * 20}`,
          '-s',
          'OK',
        ],
        300,
      ),
    );
    peers.push(
      await plugin(
        'check_ssh',
        (i) => ['-H', hostAt((i % hosts) + 1), '-p', String(ports.ssh)],
        300,
      ),
    );
  } catch (err) {
    console.log(`monitoring-plugins not run: ${String(err)}`);
  }

console.log(
  '\n| checks | CPU (% of one core) | CPU per check | RSS max | lag p50 / p99 | missed | writes/s | fault→line p50 / max | decided→line p50 / max |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.size} | ${fmt(r.cpuPct)} % | ${fmt(r.cpuMsPerCheck, 2)} ms | ${fmt(r.rssMaxMB, 0)} MB | ${fmt(r.lagP50, 0)} / ${fmt(r.lagP99, 0)} ms | ${r.missed} | ${fmt(r.writesPerSec)} | ${fmt(pct(r.e2e, 0.5) / 1000)} / ${fmt(Math.max(...r.e2e) / 1000)} s (${r.e2e.length}/${faults}) | ${fmt(pct(r.overhead, 0.5), 0)} / ${fmt(Math.max(...r.overhead), 0)} ms |`,
  );
console.log(
  '\n| peer (one process per check) | runs | ok | CPU per check | wall per check | CPU for 10,000 checks/min |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const p of peers)
  console.log(
    `| ${p.name} | ${p.n} | ${p.ok} | ${fmt(p.cpuMsPerCheck, 2)} ms | ${fmt(p.wallMsPerCheck, 1)} ms | ${fmt(p.coreAt10k)} % of one core |`,
  );

listener.close();
targets.kill();
await ircd.kill();
process.exit(0);
