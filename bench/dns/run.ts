// DNS benchmark: one generated data set served by Bestiary and by Debian's Knot DNS, NSD, BIND 9
// and PowerDNS, each measured with dnsperf on loopback in the same run; prints qps, latency,
// server CPU and memory side by side (with --markdown also as a table for docs/benchmarks-dns.md).
// Usage: node --import tsx bench/dns/run.ts [--seconds 20] [--only bestiary,knot] [--rounds 3]
//        [--markdown]. With several rounds the servers take turns (so load spikes hit them all)
//        and each row shows the best round, with the range of qps and CPU µs/query over rounds.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { queries, zones } from './dataset.js';
import { bind, knot, nsd, powerdns, type ServerSpec } from './peers.js';
import { report, type Result } from './report.js';

const exec = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const seconds = Number(opt('seconds', '20'));
const only = opt('only', '').split(',').filter(Boolean);
const clients = opt('clients', '16');
const rounds = Number(opt('rounds', '1'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** All processes of the tree rooted at `pid` (the server may fork workers). */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(
        readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1],
      );
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** CPU seconds (user + system) and resident memory (MiB) of a process tree. */
function usage(pid: number): { cpu: number; rssMiB: number } {
  let cpu = 0;
  let rss = 0;
  for (const p of tree(pid)) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpu += (Number(f[11]) + Number(f[12])) / 100;
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      rss += Number(m?.[1] ?? 0) / 1024;
    } catch {
      /* gone */
    }
  }
  return { cpu, rssMiB: rss };
}

async function ready(port: number, limitMs: number, echo: boolean): Promise<boolean> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const r = await exec('dig', [
      '-p',
      String(port),
      '@127.0.0.1',
      ...(echo ? [] : ['+short']),
      '+time=1',
      '+tries=1',
      'z1000.bench',
      'SOA',
    ]).catch(() => ({ stdout: '' }));
    if (r.stdout.includes(echo ? 'status: NOERROR' : 'hostmaster')) return true;
    await sleep(250);
  }
  return false;
}

function parseDnsperf(out: string): Omit<
  Result,
  'name' | 'cpuPercent' | 'rssMiB' | 'note' | 'cpuUsPerQuery'
> & {
  completed: number;
} {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    latencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    lostPercent: num(/Queries lost:\s+\d+ \(([\d.]+)%\)/),
    completed: num(/Queries completed:\s+(\d+)/),
  };
}

async function measure(spec: ServerSpec, port: number, queryFile: string): Promise<Result> {
  spec.prepare?.();
  const child: ChildProcess = spawn(spec.command, spec.args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  try {
    if (!(await ready(port, 120_000, spec.ready === 'echo')))
      throw new Error(`${spec.name} did not come up:\n${log}`);
    const perf = [
      '-s',
      '127.0.0.1',
      '-p',
      String(port),
      '-d',
      queryFile,
      '-c',
      clients,
      '-T',
      '1',
      '-q',
      '1000',
      // A lost query holds its slot until the timeout; keep that short so loss does not throttle.
      '-t',
      '1',
    ];
    await exec('dnsperf', [...perf, '-l', '3']); // warm-up: caches, page faults, JIT
    const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    const before = usage(child.pid!);
    const t0 = process.hrtime.bigint();
    const { stdout } = await exec('dnsperf', [...perf, '-l', String(seconds)], {
      maxBuffer: 1 << 24,
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const after = usage(child.pid!);
    const { completed, ...figures } = parseDnsperf(stdout);
    const cpu = after.cpu - before.cpu;
    return {
      name: spec.name,
      ...figures,
      cpuPercent: (cpu / wall) * 100,
      cpuUsPerQuery: (cpu * 1e6) / completed,
      rssMiB: after.rssMiB,
      load,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bestiary-dnsbench-'));
  const data = zones();
  mkdirSync(join(dir, 'zones'));
  for (const z of data) writeFileSync(join(dir, 'zones', `${z.apex}zone`), z.text);
  const queryFile = join(dir, 'queries.txt');
  writeFileSync(queryFile, queries());
  const bestiary = (workers: number, transport: 'dgram' | 'batch'): ServerSpec => ({
    name:
      (workers > 0 ? `Bestiary (${workers} UDP workers` : 'Bestiary (1 process') +
      (transport === 'batch' ? ', batched)' : ')'),
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      join(here, 'bestiary-server.ts'),
      join(dir, 'zones'),
      '15353',
      String(workers),
      transport,
    ],
  });
  const echo = (transport: 'dgram' | 'batch'): ServerSpec => ({
    name: `Node UDP echo (${transport})`,
    command: process.execPath,
    args: ['--import', 'tsx', join(here, 'echo-server.ts'), '15353', transport],
    ready: 'echo',
  });
  const specs: [string, ServerSpec][] = [
    ['bestiary', bestiary(0, 'dgram')],
    ['bestiary-workers', bestiary(2, 'dgram')],
    ['bestiary-batch', bestiary(0, 'batch')],
    ['bestiary-batch-workers', bestiary(2, 'batch')],
    ['echo', echo('dgram')],
    ['echo-batch', echo('batch')],
    ['knot', knot(dir, 15353, data)],
    ['nsd', nsd(dir, 15353, data)],
    ['bind', bind(dir, 15353, data)],
    ['pdns', powerdns(dir, 15353, data, true)],
    ['pdns-nocache', powerdns(dir, 15353, data, false)],
  ];
  const chosen = specs.filter(([key]) => only.length === 0 || only.includes(key));
  // PowerDNS without cache reuses the database the cached run created.
  if (only.includes('pdns-nocache') && !only.includes('pdns'))
    powerdns(dir, 15353, data, true).prepare?.();
  const runs = new Map<string, Result[]>(chosen.map(([, s]) => [s.name, []]));
  for (let round = 1; round <= rounds; round++)
    for (const [, spec] of chosen) {
      process.stderr.write(`round ${round}/${rounds}: measuring ${spec.name}…\n`);
      const r = await measureOrNote(spec, queryFile);
      runs.get(spec.name)!.push(r);
      process.stderr.write(`${JSON.stringify(r)}\n`);
      await sleep(1000);
    }
  const results = [...runs.values()].map(summarise);
  const text = report(results, {
    seconds,
    clients: Number(clients),
    cores: cpus().length,
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  });
  console.log(text.table);
  if (args.includes('--markdown')) console.log(`\n${text.markdown}`);
  rmSync(dir, { recursive: true, force: true });
}

/** The best round by qps; with several rounds, the range of qps and µs/query in the note. */
function summarise(rs: Result[]): Result {
  const ok = rs.filter((r) => Number.isFinite(r.qps));
  if (ok.length === 0) return rs[0]!;
  const best = ok.reduce((a, b) => (b.qps > a.qps ? b : a));
  if (rs.length === 1) return { ...best, note: `load ${best.load}` };
  const span = (k: 'qps' | 'cpuUsPerQuery', d: number): string => {
    const v = ok.map((r) => r[k]);
    return `${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)}`;
  };
  return {
    ...best,
    note: `best of ${ok.length}/${rs.length} (load ${best.load}); qps ${span('qps', 0)}, µs/q ${span('cpuUsPerQuery', 1)}`,
  };
}

async function measureOrNote(spec: ServerSpec, queryFile: string): Promise<Result> {
  try {
    return await measure(spec, 15353, queryFile);
  } catch (err) {
    const nan = { qps: NaN, latencyMs: NaN, lostPercent: NaN, cpuPercent: NaN };
    return {
      name: spec.name,
      ...nan,
      cpuUsPerQuery: NaN,
      rssMiB: NaN,
      note: String(err).split('\n')[0],
    };
  }
}

await main();
