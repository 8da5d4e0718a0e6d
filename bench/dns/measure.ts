// Measuring one server under dnsperf: start it, wait until it serves, warm up, then the measured
// run with the server's CPU time and memory read from /proc. Shared by bench/dns/run.ts and
// bench/dnssec/run.ts; the best-of-rounds summary is here too.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { ServerSpec } from './peers.js';
import type { Result } from './report.js';

const exec = promisify(execFile);
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

/** True once `dig` gets the data set's SOA (or, for an echo server, any NOERROR) from `port`. */
export async function servesSoa(port: number, limitMs: number, echo: boolean): Promise<boolean> {
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

function parseDnsperf(out: string) {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    latencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    lostPercent: num(/Queries lost:\s+\d+ \(([\d.]+)%\)/),
    completed: num(/Queries completed:\s+(\d+)/),
    responseBytes: num(/Average packet size:\s+request \d+, response (\d+)/),
  };
}

export interface MeasureOptions {
  port: number;
  queryFile: string;
  seconds: number;
  clients: string;
  /** Extra dnsperf flags, e.g. ['-D'] for the DO bit. */
  dnsperfArgs?: readonly string[];
  /** How long the server may take to come up (load, and for signing servers, sign). */
  readyLimitMs?: number;
  /** Readiness test instead of the SOA query, e.g. "every zone answers with RRSIGs". */
  ready?: (port: number, limitMs: number) => Promise<boolean>;
}

/** A measurement with what bench/dnssec also reports: startup time and average reply size. */
export type Measured = Result & { readySeconds: number; responseBytes: number };

/** Starts the server of `spec`, waits until it serves, and measures it with dnsperf. */
export async function measure(spec: ServerSpec, o: MeasureOptions): Promise<Measured> {
  spec.prepare?.();
  const t0 = process.hrtime.bigint();
  const child: ChildProcess = spawn(spec.command, spec.args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  try {
    const limit = o.readyLimitMs ?? 120_000;
    const up = o.ready
      ? await o.ready(o.port, limit)
      : await servesSoa(o.port, limit, spec.ready === 'echo');
    if (!up) throw new Error(`${spec.name} did not come up:\n${log}`);
    const readySeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const perf = [
      '-s',
      '127.0.0.1',
      '-p',
      String(o.port),
      '-d',
      o.queryFile,
      '-c',
      o.clients,
      '-T',
      '1',
      '-q',
      '1000',
      // A lost query holds its slot until the timeout; keep that short so loss does not throttle.
      '-t',
      '1',
      ...(o.dnsperfArgs ?? []),
    ];
    await exec('dnsperf', [...perf, '-l', '3']); // warm-up: caches, page faults, JIT
    const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    const before = usage(child.pid!);
    const t1 = process.hrtime.bigint();
    const { stdout } = await exec('dnsperf', [...perf, '-l', String(o.seconds)], {
      maxBuffer: 1 << 24,
    });
    const wall = Number(process.hrtime.bigint() - t1) / 1e9;
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
      readySeconds,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** `measure`, with a failure turned into a row of dashes and the reason as its note. */
export async function measureOrNote(spec: ServerSpec, o: MeasureOptions): Promise<Measured> {
  try {
    return await measure(spec, o);
  } catch (err) {
    return {
      name: spec.name,
      qps: NaN,
      latencyMs: NaN,
      lostPercent: NaN,
      cpuPercent: NaN,
      cpuUsPerQuery: NaN,
      rssMiB: NaN,
      readySeconds: NaN,
      responseBytes: NaN,
      note: String(err).split('\n')[0],
    };
  }
}

/** The best round by qps; with several rounds, the range of qps and µs/query in the note. */
export function summarise<R extends Result>(rs: R[]): R {
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
