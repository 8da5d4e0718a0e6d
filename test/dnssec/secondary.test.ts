// A Knot DNS secondary that transfers our signed zones serves them unchanged: a validating
// unbound pointed at Knot instead of Bestiary still gets secure answers and proofs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsOf, run, startServer, statusOf } from '../dns-server/helpers.js';
import { freePort } from '../support/server.js';
import { findTool, missingTools } from '../support/tools.js';
import { childZone, parentZone, startUnbound, type Unbound } from './support.js';

const missing = missingTools('knotd', 'kdig', 'unbound', 'dig');

function knotConfig(dir: string, port: number, primary: number): string {
  return [
    'server:',
    `    rundir: "${dir}/run"`,
    `    listen: 127.0.0.1@${port}`,
    'database:',
    `    storage: "${dir}/db"`,
    'log:',
    '  - target: stderr',
    '    any: info',
    'remote:',
    '  - id: bestiary',
    `    address: 127.0.0.1@${primary}`,
    'template:',
    '  - id: default',
    `    storage: "${dir}/zones"`,
    '    zonefile-sync: -1',
    '    zonefile-load: none',
    'zone:',
    ...['example.org', 'secure.example.org'].flatMap((z) => [
      `  - domain: ${z}`,
      '    master: bestiary',
    ]),
    '',
  ].join('\n');
}

describe.skipIf(missing.length > 0)('a Knot secondary of a signed zone', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  let knot: ChildProcess;
  let unbound: Unbound;
  let dir: string;
  let log = '';

  beforeAll(async () => {
    s = await startServer({ transferRules: [{ cidr: '127.0.0.0/8' }] });
    s.setZone(parentZone());
    s.server.replaceZone(childZone());
    const knotPort = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'bestiary-knot-dnssec-'));
    for (const d of ['run', 'db', 'zones']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'knot.conf'), knotConfig(dir, knotPort, s.port));
    knot = spawn(findTool('knotd')!, ['-c', join(dir, 'knot.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    knot.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const ask = (zone: string) =>
      run('kdig', ['-p', String(knotPort), '@127.0.0.1', '+short', zone, 'DNSKEY'])
        .then((r) => r.stdout.trim())
        .catch(() => '');
    for (let i = 0; i < 300; i++) {
      if ((await ask('example.org')) && (await ask('secure.example.org'))) break;
      await sleep(50);
    }
    unbound = await startUnbound(knotPort);
  });
  afterAll(async () => {
    await unbound?.stop();
    // knotd writes its database until it exits; removing the directory before fails.
    if (knot && knot.exitCode === null) {
      const exited = new Promise((r) => knot!.once('exit', r));
      knot.kill('SIGTERM');
      await exited;
    }
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['www.example.org', 'A', 'NOERROR'],
    ['nothing.example.org', 'A', 'NXDOMAIN'],
    ['www.example.org', 'AAAA', 'NOERROR'],
    ['anything.wild.example.org', 'TXT', 'NOERROR'],
    ['dangling.example.org', 'A', 'NXDOMAIN'],
    ['www.secure.example.org', 'A', 'NOERROR'],
    ['sub.example.org', 'DS', 'NOERROR'],
  ])('validates %s %s through Knot as secure %s', async (name, type, status) => {
    const out = await unbound.dig(name, type);
    expect(statusOf(out), `${out}\nknot log:\n${log.slice(-2000)}`).toBe(status);
    expect(flagsOf(out), out).toContain('ad');
  });
});
