// DNS benchmark: one generated data set served by Bestiary and by Debian's Knot DNS, NSD, BIND 9
// and PowerDNS, each measured with dnsperf on loopback in the same run; prints qps, latency,
// server CPU and memory side by side (with --markdown also as a table for docs/benchmarks-dns.md).
// Usage: node --import tsx bench/dns/run.ts [--seconds 20] [--only bestiary,knot] [--rounds 3]
//        [--markdown]. With several rounds the servers take turns (so load spikes hit them all)
//        and each row shows the best round, with the range of qps and CPU µs/query over rounds.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queries, zones } from './dataset.js';
import { bind, knot, nsd, powerdns, type ServerSpec } from './peers.js';
import { measureOrNote, summarise } from './measure.js';
import { report, type Result } from './report.js';
import { flag, option } from '../options.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(option('seconds', '20'));
const only = option('only', '').split(',').filter(Boolean);
const clients = option('clients', '16');
const rounds = Number(option('rounds', '1'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
      const r = await measureOrNote(spec, { port: 15353, queryFile, seconds, clients });
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
  if (flag('markdown')) console.log(`\n${text.markdown}`);
  rmSync(dir, { recursive: true, force: true });
}

await main();
