// Shared setup for the DNSSEC tests with real validators: signed test zones (a parent with a
// secure and an insecure delegation, and the secure child), Bestiary serving them on a free
// port, and a validating unbound given the parent's DS as its only trust anchor.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFakeClock } from '../../src/core/clock.js';
import {
  dnskeyRdata,
  dsRdata,
  dsText,
  flagsOf,
  generateKey,
  keyTag,
  signerFor,
} from '../../src/dns/dnssec/keys.js';
import { createSigning, type ZoneKey } from '../../src/dns/dnssec/signatures.js';
import { signSnapshot } from '../../src/dns/dnssec/sign-zone.js';
import type { ZoneSnapshot } from '../../src/dns/server/index.js';
import { buildZone } from '../../src/dns/server/testing/zone-builder.js';
import { freePort } from '../support/server.js';
import { findTool } from '../support/tools.js';
import { run } from '../dns-server/helpers.js';

export const policy = { validityDays: 14, jitterHours: 24, refreshDays: 7 };

export function makeKeys(algorithm: 13 | 15 = 13): ZoneKey[] {
  return (['ksk', 'zsk'] as const).map((role, i) => {
    const k = generateKey(algorithm);
    const dnskey = dnskeyRdata(flagsOf(role), algorithm, k.publicKey);
    return {
      id: `key${i}`,
      role,
      algorithm,
      tag: keyTag(dnskey),
      dnskey,
      active: true,
      sign: signerFor(algorithm, k.privateKeyDer),
    };
  });
}

export const dsOf = (apex: string, keys: readonly ZoneKey[]): string =>
  dsText(dsRdata(apex, keys.find((k) => k.role === 'ksk')!.dnskey));

/** Sign with the real clock: validators check signatures against the time they run at. */
export function sign(zone: ZoneSnapshot, keys: readonly ZoneKey[], now = Date.now()): ZoneSnapshot {
  return signSnapshot(zone, keys, createSigning(zone.apex, now, policy, new Map()));
}

export const childKeys = makeKeys();
export const parentKeys = makeKeys();

export const childZone = (serial = 1) =>
  sign(
    buildZone(
      'secure.example.org.',
      [
        ['@', 'NS', 'ns1.example.org.'],
        ['@', 'A', '192.0.2.99'],
        ['www', 'A', '192.0.2.98'],
      ],
      { serial },
    ),
    childKeys,
  );

/** The parent zone: existing names, a wildcard, CNAMEs in and out of data, deep empty non-terminals and two delegations. */
export function parentZone(serial = 1, www = '192.0.2.1'): ZoneSnapshot {
  const ds = dsOf('secure.example.org.', childKeys).split(' ');
  const dsHex = Buffer.concat([
    Buffer.from([Number(ds[0]) >> 8, Number(ds[0]) & 0xff, Number(ds[1]), Number(ds[2])]),
    Buffer.from(ds[3]!, 'hex'),
  ]).toString('hex');
  return sign(
    buildZone(
      'example.org.',
      [
        ['@', 'NS', 'ns1.example.org.'],
        ['@', 'A', '192.0.2.1'],
        ['@', 'MX', 10, 'mail.example.org.'],
        ['@', 'TXT', 'v=spf1 -all'],
        ['ns1', 'A', '192.0.2.53'],
        ['mail', 'A', '192.0.2.25'],
        ['www', 'A', www],
        ['*.wild', 'TXT', 'wildcard'],
        ['alias', 'CNAME', 'www.example.org.'],
        ['dangling', 'CNAME', 'nowhere.example.org.'],
        ['to-wild', 'CNAME', 'x.wild.example.org.'],
        ['a.b.c', 'TXT', 'deep'],
        ['sub', 'NS', 'ns.sub.example.org.'],
        ['ns.sub', 'A', '192.0.2.77'],
        ['secure', 'NS', 'ns1.example.org.'],
        ['secure', 'DS', dsHex],
      ],
      { serial },
    ),
    parentKeys,
  );
}

export interface Unbound {
  port: number;
  dig(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A validating unbound stubbed to `serverPort` whose only trust anchor is example.org's DS (or
 * `options.anchor`, a DS record line, with `options.zones` stubbed).
 */
export async function startUnbound(
  serverPort: number,
  options: { anchor?: string; zones?: readonly string[] } = {},
): Promise<Unbound> {
  const zones = options.zones ?? ['example.org', 'secure.example.org'];
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bestiary-unbound-'));
  const conf = [
    'server:',
    `  interface: 127.0.0.1@${port}`,
    '  do-ip6: no',
    '  do-not-query-localhost: no',
    '  username: ""',
    '  chroot: ""',
    `  directory: "${dir}"`,
    `  pidfile: "${dir}/unbound.pid"`,
    '  use-syslog: no',
    '  logfile: ""',
    '  verbosity: 1',
    '  val-log-level: 2',
    '  aggressive-nsec: no',
    '  qname-minimisation: no',
    '  module-config: "validator iterator"',
    `  trust-anchor: "${options.anchor ?? `example.org. 3600 IN DS ${dsOf('example.org.', parentKeys)}`}"`,
    'remote-control:',
    '  control-enable: no',
    ...zones.flatMap((z) => [
      'stub-zone:',
      `  name: "${z}"`,
      `  stub-addr: 127.0.0.1@${serverPort}`,
    ]),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'unbound.conf'), conf);
  let log = '';
  const proc: ChildProcess = spawn(findTool('unbound')!, ['-d', '-c', join(dir, 'unbound.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  const dig = async (...args: string[]) =>
    (
      await run('dig', [
        '-p',
        String(port),
        '@127.0.0.1',
        '+dnssec',
        '+time=3',
        '+tries=1',
        ...args,
      ])
    ).stdout;
  for (let i = 0; i < 100; i++) {
    if ((await dig(zones[0]!, 'SOA').catch(() => '')).includes('status:')) break;
    await sleep(50);
  }
  return {
    port,
    dig: async (...args) => {
      const out = await dig(...args);
      return out.includes('status: SERVFAIL') ? `${out}\nunbound log:\n${log.slice(-3000)}` : out;
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A delv trust-anchors file for example.org's DS. */
export function delvAnchor(dir: string): string {
  const [tag, alg, type, digest] = dsOf('example.org.', parentKeys).split(' ');
  const file = join(dir, 'anchor.conf');
  writeFileSync(
    file,
    `trust-anchors { example.org. static-ds ${tag} ${alg} ${type} "${digest}"; };\n`,
  );
  return file;
}

export { createFakeClock };

/** DS presentation text ("<tag> <alg> <type> <HEX>") as the hex RDATA buildZone takes. */
export function dsHexOf(ds: string): string {
  const [tag, alg, type, digest] = ds.split(' ');
  return Buffer.concat([
    Buffer.from([Number(tag) >> 8, Number(tag) & 0xff, Number(alg), Number(type)]),
    Buffer.from(digest!, 'hex'),
  ]).toString('hex');
}

/**
 * A fake parent: example.org signed with `parentKeys`, delegating `child` (a label) to Bestiary's
 * nameserver with exactly the DS records given (none: an insecure delegation). DS TTL 3600.
 */
export function fakeParent(child: string, ds: readonly string[], serial: number): ZoneSnapshot {
  return sign(
    buildZone(
      'example.org.',
      [
        ['@', 'NS', 'ns1.example.org.'],
        ['ns1', 'A', '192.0.2.53'],
        [child, 'NS', 'ns1.example.org.'],
        ...ds.map((d): [string, 'DS', string] => [child, 'DS', dsHexOf(d)]),
      ],
      { serial },
    ),
    parentKeys,
  );
}
