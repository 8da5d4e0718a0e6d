// DNSSEC benchmark: the signed 1,000-zone data set under dnsperf with the DO bit, Bestiary signed
// and unsigned beside Knot DNS with online signing (and unsigned, for reference); prints qps,
// latency, server CPU and memory, average reply size and the time each server took from start
// until every zone answered with RRSIGs (with --markdown also a table for docs/benchmarks-dnssec.md).
// Usage: node --import tsx bench/dnssec/run.ts [--seconds 10] [--rounds 3] [--markdown]
//        [--only bestiary-signed,bestiary,knot-signed,knot,bestiary-signed-workers]
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queries, zones, ZONE_COUNT } from '../dns/dataset.js';
import { measureOrNote, summarise, type Measured } from '../dns/measure.js';
import { knot, type ServerSpec } from '../dns/peers.js';
import { flag, option } from '../options.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(option('seconds', '10'));
const rounds = Number(option('rounds', '1'));
const clients = option('clients', '16');
const only = option('only', '').split(',').filter(Boolean);
const PORT = 15354;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A SOA query for zone `i` with EDNS (1232) and the DO bit, id = i. */
function soaQuery(i: number): Buffer {
  const labels = [`z${String(i).padStart(4, '0')}`, 'bench'];
  const qname = Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
  const header = Buffer.from([i >> 8, i & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  const question = Buffer.from([0, 6, 0, 1]);
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]);
  return Buffer.concat([header, qname, question, opt]);
}

/**
 * True once every zone of the data set answers its SOA query, with `signed` an RRSIG beside it:
 * how long a server takes to load (and sign) all zones.
 */
function everyZoneServes(signed: boolean) {
  return async (port: number, limitMs: number): Promise<boolean> => {
    const until = Date.now() + limitMs;
    const sock = createSocket('udp4');
    const done = new Set<number>();
    sock.on('message', (m) => {
      const answers = m.readUInt16BE(6);
      if ((m[3]! & 0x0f) === 0 && answers >= (signed ? 2 : 1)) done.add(m.readUInt16BE(0));
    });
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    try {
      while (Date.now() < until) {
        for (let i = 1; i <= ZONE_COUNT; i++)
          if (!done.has(i)) sock.send(soaQuery(i), port, '127.0.0.1');
        await sleep(done.size === 0 ? 100 : 300);
        if (done.size === ZONE_COUNT) return true;
      }
      return false;
    } finally {
      sock.close();
    }
  };
}

type Row = Measured & { signed: boolean };

function table(rows: Row[], markdown: boolean): string {
  const f = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : '—');
  const head = [
    'server',
    'zones',
    'qps',
    'avg latency ms',
    'lost %',
    'server CPU %',
    'CPU µs/query',
    'RSS MiB',
    'avg reply bytes',
    'start to all zones served s',
    'note',
  ];
  const cells = rows.map((r) => [
    r.name,
    r.signed ? 'signed' : 'unsigned',
    f(r.qps),
    f(r.latencyMs, 3),
    f(r.lostPercent, 2),
    f(r.cpuPercent),
    f(r.cpuUsPerQuery, 1),
    f(r.rssMiB),
    f(r.responseBytes),
    f(r.readySeconds, 1),
    r.note ?? '',
  ]);
  if (markdown)
    return [head, head.map(() => '---'), ...cells].map((c) => `| ${c.join(' | ')} |`).join('\n');
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return [head, ...cells].map((c) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bestiary-dnssecbench-'));
  const data = zones();
  mkdirSync(join(dir, 'zones'));
  for (const z of data) writeFileSync(join(dir, 'zones', `${z.apex}zone`), z.text);
  const queryFile = join(dir, 'queries.txt');
  writeFileSync(queryFile, queries());
  const bestiary = (workers: number, signed: boolean): ServerSpec => ({
    name:
      workers > 0 ? `Bestiary (${workers} UDP workers, batched)` : 'Bestiary (1 process, batched)',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      join(here, 'bestiary-server.ts'),
      join(dir, 'zones'),
      String(PORT),
      String(workers),
      'batch',
      signed ? 'signed' : 'unsigned',
    ],
  });
  const specs: [string, ServerSpec, boolean][] = [
    ['bestiary-signed', bestiary(0, true), true],
    ['bestiary', bestiary(0, false), false],
    ['bestiary-signed-workers', bestiary(2, true), true],
    ['knot-signed', knot(dir, PORT, data, true), true],
    ['knot', knot(dir, PORT, data), false],
  ];
  const defaults = ['bestiary-signed', 'bestiary', 'knot-signed', 'knot'];
  const chosen = specs.filter(([key]) => (only.length ? only : defaults).includes(key));
  const runs = new Map<string, Row[]>(chosen.map(([key]) => [key, []]));
  for (let round = 1; round <= rounds; round++)
    for (const [key, spec, signed] of chosen) {
      process.stderr.write(`round ${round}/${rounds}: measuring ${spec.name} (${key})…\n`);
      const r = await measureOrNote(spec, {
        port: PORT,
        queryFile,
        seconds,
        clients,
        dnsperfArgs: ['-D'],
        readyLimitMs: 600_000,
        ready: everyZoneServes(signed),
      });
      runs.get(key)!.push({ ...r, signed });
      process.stderr.write(`${JSON.stringify(r)}\n`);
      await sleep(1000);
    }
  const rows = [...runs.values()].map((rs) => {
    const best = summarise(rs);
    const ready = rs.map((r) => r.readySeconds).filter(Number.isFinite);
    const span =
      ready.length > 1
        ? `; ready ${Math.min(...ready).toFixed(1)}–${Math.max(...ready).toFixed(1)} s`
        : '';
    return { ...best, note: `${best.note ?? ''}${span}` };
  });
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(table(rows, false));
  if (flag('markdown'))
    console.log(
      `\n${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, load average at the end ${load}, dnsperf -D with ${clients} clients for ${seconds} s per server after a 3 s warm-up, ${rounds} round(s).\n\n${table(rows, true)}\n`,
    );
  rmSync(dir, { recursive: true, force: true });
}

await main();
