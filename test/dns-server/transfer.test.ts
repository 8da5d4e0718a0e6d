// Zone transfers: AXFR/IXFR with dig (ACL and TSIG), and a real Knot DNS secondary that pulls
// the zone, takes NOTIFY and serves each change.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTool, missingTools } from '../support/tools.js';
import { exampleZone, otherKey, run, startServer, tsigSecret } from './helpers.js';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missingTools('dig').length > 0)('AXFR and IXFR with dig', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer({ transferRules: [{ keyName: 'xfr-key.' }, { keyName: 'other-key.' }] });
  });
  afterAll(() => s.stop());
  const key = `hmac-sha256:xfr-key:${tsigSecret}`;

  it('transfers the whole zone to a TSIG-signed request, every message verified by dig', async () => {
    const out = await s.dig('-y', key, 'example.org', 'AXFR');
    expect(out).not.toMatch(/failure|failed|Couldn't verify/i);
    expect(out.match(/\tSOA\t/g)).toHaveLength(2);
    expect(out).toMatch(/ns\.sub\.example\.org\.\s+3600\s+IN\s+A\s+192\.0\.2\.77/);
    expect(out).toMatch(/XFR size: \d+ records/);
  });

  it.each([
    ['without a key', [] as string[]],
    [
      'with a key scoped to another zone',
      ['-y', `hmac-sha256:other-key:${Buffer.from(otherKey.secret).toString('base64')}`],
    ],
  ])('refuses a transfer %s', async (_what, extra) => {
    const out = await s.dig(...extra, 'example.org', 'AXFR');
    expect(out).toMatch(/Transfer failed|REFUSED/);
    expect(out).not.toMatch(/192\.0\.2\.77/);
  });

  it('rejects a bad signature with NOTAUTH/BADSIG', async () => {
    const out = await s.dig(
      '-y',
      'hmac-sha256:xfr-key:AAAAAAAAAAAAAAAAAAAAAA==',
      'example.org',
      'SOA',
    );
    expect(out).toMatch(/NOTAUTH|BADSIG|tsig verify failure|Couldn't verify/i);
  });

  it('sends the difference for IXFR, and the SOA alone to an up-to-date client', async () => {
    s.setZone(exampleZone(2, '192.0.2.2'));
    const diff = await s.dig('-y', key, 'example.org', 'IXFR=1');
    expect(diff).not.toMatch(/failure|failed/i);
    // RFC 1995 §4: new SOA, old SOA, deletion, new SOA, addition, new SOA.
    expect(diff.match(/\tSOA\t/g)).toHaveLength(4);
    expect(diff).toMatch(
      /www\.example\.org\.\s+3600\s+IN\s+A\s+192\.0\.2\.1\n[\s\S]*www\.example\.org\.\s+3600\s+IN\s+A\s+192\.0\.2\.2/,
    );
    const current = await s.dig('-y', key, 'example.org', 'IXFR=2');
    expect(current.match(/\tSOA\t/g)).toHaveLength(1);
    const unknown = await s.dig('-y', key, 'example.org', 'IXFR=0');
    expect(unknown).toMatch(/ns\.sub\.example\.org\./);
  });
});

const knotMissing = missingTools('knotd', 'kdig');

describe.skipIf(knotMissing.length > 0)('a Knot DNS secondary', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  let knot: ChildProcess;
  let knotPort: number;
  let dir: string;
  let log = '';

  const askKnot = async (name: string): Promise<string> => {
    const { stdout } = await run('kdig', [
      '-p',
      String(knotPort),
      '@127.0.0.1',
      '+short',
      '+time=1',
      '+retry=0',
      name,
      'A',
    ]).catch(() => ({ stdout: '' }));
    return stdout.trim();
  };
  const waitFor = async (name: string, want: string, limitMs: number): Promise<number> => {
    const started = Date.now();
    while (Date.now() - started < limitMs) {
      if ((await askKnot(name)) === want) return Date.now() - started;
      await sleep(20);
    }
    throw new Error(`Knot never served ${name} = ${want}; knotd log:\n${log.slice(-3000)}`);
  };

  beforeAll(async () => {
    knotPort = await freePort();
    s = await startServer({
      transferRules: [{ cidr: '127.0.0.0/8', keyName: 'xfr-key.' }],
      notify: [{ address: '127.0.0.1', port: knotPort, keyName: 'xfr-key.' }],
      notifyRetryMs: 200,
    });
    dir = mkdtempSync(join(tmpdir(), 'bestiary-knot-'));
    for (const d of ['run', 'db', 'zones']) mkdirSync(join(dir, d));
    writeFileSync(
      join(dir, 'knot.conf'),
      [
        'server:',
        `    rundir: "${dir}/run"`,
        `    listen: 127.0.0.1@${knotPort}`,
        'database:',
        `    storage: "${dir}/db"`,
        'log:',
        '  - target: stderr',
        '    any: info',
        'key:',
        `  - id: xfr-key`,
        '    algorithm: hmac-sha256',
        `    secret: ${tsigSecret}`,
        'remote:',
        '  - id: bestiary',
        `    address: 127.0.0.1@${s.port}`,
        '    key: xfr-key',
        'acl:',
        '  - id: notify-from-bestiary',
        '    address: 127.0.0.1',
        '    key: xfr-key',
        '    action: notify',
        'template:',
        '  - id: default',
        `    storage: "${dir}/zones"`,
        '    zonefile-sync: -1',
        '    zonefile-load: none',
        '    journal-content: changes',
        'zone:',
        '  - domain: example.org',
        '    master: bestiary',
        '    acl: notify-from-bestiary',
        '',
      ].join('\n'),
    );
    knot = spawn(findTool('knotd')!, ['-c', join(dir, 'knot.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    knot.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor('www.example.org', '192.0.2.1', 30_000);
  });

  afterAll(async () => {
    // Wait for knotd to exit: it writes its database until it does, and removing the directory
    // under it fails with ENOTEMPTY.
    if (knot && knot.exitCode === null) {
      const exited = new Promise((r) => knot!.once('exit', r));
      knot.kill('SIGTERM');
      await exited;
    }
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pulls the zone over a TSIG-signed AXFR', async () => {
    expect(await askKnot('mail.example.org')).toBe('192.0.2.25');
    expect(log).toMatch(/AXFR, incoming|AXFR.*finished|zone updated/i);
  });

  it('serves a change after NOTIFY, pulled by IXFR', async () => {
    s.setZone(exampleZone(2, '192.0.2.2'));
    const ms = await waitFor('www.example.org', '192.0.2.2', 20_000);
    console.log(`knot served the change ${ms} ms after replaceZone`);
    s.setZone(exampleZone(3, '192.0.2.3'));
    await waitFor('www.example.org', '192.0.2.3', 20_000);
    expect(log).toMatch(/IXFR, incoming/i);
    expect(await s.registry.metrics()).toMatch(/bestiary_dns_notify_total\{result="acked"\} [1-9]/);
  });
});
