// Shared setup for the DNS server integration tests: a server on a free loopback port, an
// in-memory stand-in for the DNS module (apply UPDATEs, bump serials), and tool runners.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { silentLogger } from '../../src/core/logger.js';
import {
  createDnsServer,
  type DnsServerOptions,
  type SnapshotRecord,
  type TsigKeyEntry,
  type UpdateRequest,
  type ZoneSnapshot,
} from '../../src/dns/server/index.js';
import { buildZone } from '../../src/dns/server/testing/zone-builder.js';
import { Rcode, RRClass, RRType } from '../../src/dns/wire/constants.js';
import { loadUdpBatch } from '../../src/dns/server/udp-batch.js';
import { requireAll } from '../support/tools.js';

export const run = promisify(execFile);

export const tsigSecret = 'pRP5FapFoJ95JEL06sv4PQ==';
export const xfrKey: TsigKeyEntry = {
  name: 'xfr-key.',
  algorithm: 'hmac-sha256',
  secret: Buffer.from(tsigSecret, 'base64'),
  zones: ['example.org.'],
};
export const updateKey: TsigKeyEntry = {
  name: 'update-key.',
  algorithm: 'hmac-sha256',
  secret: Buffer.from('c2VjcmV0IHNlY3JldCBzZWNyZXQgc2VjcmV0IQ==', 'base64'),
  zones: ['example.org.'],
};
export const otherKey: TsigKeyEntry = {
  name: 'other-key.',
  algorithm: 'hmac-sha256',
  secret: Buffer.from('b3RoZXIgb3RoZXIgb3RoZXIgb3RoZXIhIQ==', 'base64'),
  zones: ['other.test.'],
};

/** The example zone every integration test starts from. */
export function exampleZone(serial = 1, www = '192.0.2.1'): ZoneSnapshot {
  return buildZone(
    'example.org.',
    [
      ['@', 'NS', 'ns1.example.org.'],
      ['@', 'NS', 'ns2.example.org.'],
      ['ns1', 'A', '192.0.2.53'],
      ['ns2', 'A', '192.0.2.54'],
      ['@', 'A', '192.0.2.1'],
      ['@', 'MX', 10, 'mail.example.org.'],
      ['@', 'CAA', 0, 'issue', 'letsencrypt.org'],
      ['mail', 'A', '192.0.2.25'],
      ['www', 'A', www],
      ['*.wild', 'TXT', 'wildcard'],
      ['sub', 'NS', 'ns.sub.example.org.'],
      ['ns.sub', 'A', '192.0.2.77'],
      ...Array.from(
        { length: 40 },
        (_, i) =>
          ['big', 'TXT', `a long enough text string to overflow 512 bytes, number ${i}`] as [
            'big',
            'TXT',
            string,
          ],
      ),
    ],
    { serial },
  );
}

const sameRecord = (a: SnapshotRecord, b: SnapshotRecord): boolean =>
  a.name === b.name && a.type === b.type && Buffer.compare(a.rdata, b.rdata) === 0;

/** Apply an RFC 2136 §3.4.2 update section to a snapshot, as the DNS module would; returns the new snapshot. */
export function applyUpdate(zone: ZoneSnapshot, req: UpdateRequest): ZoneSnapshot {
  let records = [...zone.records];
  for (const u of req.updates) {
    const protectedApex = u.name === zone.apex && (u.type === RRType.NS || u.type === RRType.ANY);
    if (u.class === RRClass.IN) {
      const rec = { name: u.name, type: u.type, ttl: u.ttl, rdata: u.rdata };
      if (!records.some((r) => sameRecord(r, rec))) records.push(rec);
    } else if (u.class === RRClass.ANY) {
      records = records.filter(
        (r) =>
          r.name !== u.name ||
          (u.type !== RRType.ANY && r.type !== u.type) ||
          (protectedApex && r.type === RRType.NS),
      );
    } else if (u.class === RRClass.NONE) {
      records = records.filter(
        (r) => !sameRecord(r, { name: u.name, type: u.type, ttl: 0, rdata: u.rdata }),
      );
    }
  }
  return { ...zone, soa: { ...zone.soa, serial: zone.soa.serial + 1 }, records };
}

/** A server on free loopback ports, with an in-memory DNS module behind its hooks. */
export async function startServer(options: DnsServerOptions = {}) {
  const registry = new Registry();
  const keys = new Map([xfrKey, updateKey, otherKey].map((k) => [k.name, k]));
  let zone = exampleZone();
  const updates: UpdateRequest[] = [];
  const server = createDnsServer(
    {
      logger: silentLogger,
      registry,
      provider: { loadZones: () => [zone], getTsigKey: (name) => keys.get(name) },
      onUpdate: (req) => {
        updates.push(req);
        zone = applyUpdate(zone, req);
        server.replaceZone(zone);
        return Rcode.NOERROR;
      },
    },
    { port: 0, rrl: false, ...options },
  );
  await server.start();
  const { udpPort: port } = server.addresses();
  return {
    server,
    port,
    registry,
    updates,
    /** Replace the zone as the DNS module would after an API write. */
    setZone(z: ZoneSnapshot) {
      zone = z;
      server.replaceZone(z);
    },
    async dig(...args: string[]): Promise<string> {
      const { stdout } = await run('dig', [
        '-p',
        String(port),
        '@127.0.0.1',
        '+norec',
        '+time=2',
        '+tries=1',
        ...args,
      ]);
      return stdout;
    },
    stop: () => server.stop(),
  };
}

/** The status of a dig reply ("NOERROR", "NXDOMAIN", ...). */
export const statusOf = (out: string): string => /status: (\w+)/.exec(out)?.[1] ?? 'none';
export const flagsOf = (out: string): string[] =>
  (/flags: ([\w ]*);/.exec(out)?.[1] ?? '').split(' ').filter(Boolean);

/**
 * The UDP transports to run a suite over: node:dgram always, the batched addon when it built.
 * Under BESTIARY_REQUIRE_ALL=1 (CI, which has a compiler) a missing addon is a failure.
 */
export function udpTransports(): ('dgram' | 'batch')[] {
  const l = loadUdpBatch();
  if ('addon' in l) return ['dgram', 'batch'];
  if (requireAll)
    throw new Error(`BESTIARY_REQUIRE_ALL=1 and batched UDP unavailable: ${l.reason}`);
  console.warn(`skipping the batched UDP transport: ${l.reason}`);
  return ['dgram'];
}
