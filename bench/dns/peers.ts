// How each peer server is configured and started for the benchmark: Knot DNS, NSD, BIND 9 and
// PowerDNS (gsqlite3, with and without its packet cache), each on a loopback port with every
// file under one temporary directory, two worker threads/processes each (this is a 2-core box).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchZone } from './dataset.js';

export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  /** Files and databases to prepare before starting. */
  prepare?(): void;
  /** How to tell it is up: it serves the data set (default), or it echoes queries back. */
  ready?: 'dns' | 'echo';
}

/**
 * Knot DNS; with `signed`, online signing (`dnssec-signing: on`) by a KSK+ZSK pair of algorithm 13
 * and NSEC3 with RFC 9276 parameters, keys made afresh at every start (as bench/dnssec needs).
 */
export function knot(dir: string, port: number, zones: BenchZone[], signed = false): ServerSpec {
  const d = join(dir, signed ? 'knot-signed' : 'knot');
  const conf = join(d, 'knot.conf');
  const signing = [
    'policy:',
    '  - id: bench',
    '    algorithm: ecdsap256sha256',
    '    nsec3: on',
    '    nsec3-iterations: 0',
    '    nsec3-salt-length: 0',
  ];
  return {
    name: signed ? 'Knot DNS, signing' : 'Knot DNS',
    command: 'knotd',
    args: ['-c', conf],
    prepare() {
      rmSync(d, { recursive: true, force: true }); // no keys or signatures from an earlier round
      mkdirSync(join(d, 'db'), { recursive: true });
      const lines = [
        'server:',
        `    rundir: "${d}"`,
        `    listen: 127.0.0.1@${port}`,
        '    udp-workers: 2',
        '    tcp-workers: 1',
        '    background-workers: 1',
        'database:',
        `    storage: "${d}/db"`,
        'log:',
        '  - target: stderr',
        '    any: error',
        ...(signed ? signing : []),
        'template:',
        '  - id: default',
        `    storage: "${dir}/zones"`,
        '    zonefile-sync: -1',
        '    journal-content: none',
        ...(signed ? ['    dnssec-signing: on', '    dnssec-policy: bench'] : []),
        'zone:',
      ];
      for (const z of zones) lines.push(`  - domain: ${z.apex}`, `    file: ${z.apex}zone`);
      writeFileSync(conf, lines.join('\n') + '\n');
    },
  };
}

export function nsd(dir: string, port: number, zones: BenchZone[]): ServerSpec {
  const d = join(dir, 'nsd');
  const conf = join(d, 'nsd.conf');
  return {
    name: 'NSD',
    command: 'nsd',
    args: ['-d', '-c', conf],
    prepare() {
      mkdirSync(d, { recursive: true });
      const lines = [
        'server:',
        '    ip-address: 127.0.0.1',
        `    port: ${port}`,
        '    server-count: 2',
        '    username: ""',
        '    chroot: ""',
        `    zonesdir: "${dir}/zones"`,
        '    database: ""',
        `    zonelistfile: "${d}/zone.list"`,
        `    xfrdfile: "${d}/xfrd.state"`,
        `    xfrdir: "${d}"`,
        `    pidfile: "${d}/nsd.pid"`,
        `    logfile: "${d}/nsd.log"`,
        '    verbosity: 0',
        'remote-control:',
        '    control-enable: no',
      ];
      for (const z of zones)
        lines.push('zone:', `    name: ${z.apex}`, `    zonefile: ${z.apex}zone`);
      writeFileSync(conf, lines.join('\n') + '\n');
    },
  };
}

function namedConf(dir: string, port: number, zones: BenchZone[]): string {
  const d = join(dir, 'bind');
  const lines = [
    'options {',
    `  directory "${d}";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    '  recursion no;',
    `  pid-file "${d}/named.pid";`,
    `  session-keyfile "${d}/session.key";`,
    '  dnssec-validation no;',
    '  notify no;',
    '};',
    'controls { };',
  ];
  for (const z of zones)
    lines.push(
      `zone "${z.apex.slice(0, -1)}" { type master; file "${dir}/zones/${z.apex}zone"; };`,
    );
  return lines.join('\n') + '\n';
}

export function bind(dir: string, port: number, zones: BenchZone[]): ServerSpec {
  const d = join(dir, 'bind');
  return {
    name: 'BIND 9',
    command: 'named',
    args: ['-f', '-n', '2', '-c', join(d, 'named.conf')],
    prepare() {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'named.conf'), namedConf(dir, port, zones));
    },
  };
}

export function powerdns(
  dir: string,
  port: number,
  zones: BenchZone[],
  cache: boolean,
): ServerSpec {
  const d = join(dir, cache ? 'pdns' : 'pdns-nocache');
  const db = join(dir, 'pdns.sqlite3');
  return {
    name: cache ? 'PowerDNS (packet cache)' : 'PowerDNS (no cache)',
    command: 'pdns_server',
    args: [`--config-dir=${d}`],
    prepare() {
      mkdirSync(d, { recursive: true });
      if (cache) {
        rmSync(db, { force: true }); // a later round starts from a fresh database
        // zone2sql turns the same zone files (listed in a named.conf) into gsqlite3 rows.
        mkdirSync(join(dir, 'bind'), { recursive: true });
        writeFileSync(join(dir, 'bind', 'named.conf'), namedConf(dir, port, zones));
        execFileSync('sqlite3', [db], {
          input: readFileSync('/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql'),
        });
        const sql = execFileSync(
          'zone2sql',
          ['--gsqlite', `--named-conf=${join(dir, 'bind', 'named.conf')}`],
          { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] },
        );
        execFileSync('sqlite3', [db], {
          input: Buffer.concat([Buffer.from('BEGIN;\n'), sql, Buffer.from('\nCOMMIT;\n')]),
          maxBuffer: 1 << 28,
        });
      }
      const ttl = cache
        ? ['cache-ttl=60', 'query-cache-ttl=60', 'negquery-cache-ttl=60']
        : ['cache-ttl=0', 'query-cache-ttl=0', 'negquery-cache-ttl=0'];
      const conf = [
        'launch=gsqlite3',
        `gsqlite3-database=${db}`,
        'local-address=127.0.0.1',
        `local-port=${port}`,
        `socket-dir=${d}`,
        'daemon=no',
        'guardian=no',
        'disable-syslog=yes',
        'loglevel=2',
        'receiver-threads=2',
        'reuseport=yes',
        'webserver=no',
        'api=no',
        ...ttl,
      ];
      writeFileSync(join(d, 'pdns.conf'), conf.join('\n') + '\n');
    },
  };
}
