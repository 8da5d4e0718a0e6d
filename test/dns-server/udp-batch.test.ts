// The batched UDP transport (native/udp-batch) over real sockets: one SO_REUSEPORT socket per
// worker, bursts larger than a batch, oversized datagrams, IPv6, and the build's fallback.
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/dns/wire/reader.js';
import { encodeQuery } from '../../src/dns/wire/writer.js';
import { missingTools } from '../support/tools.js';
import { startServer, udpTransports } from './helpers.js';

const query = (id: number, name = 'www.example.org.') => encodeQuery({ id, name, type: 1 });

/** Send `count` queries from one socket as fast as it goes; resolve with the ids answered. */
async function burst(port: number, count: number, host = '127.0.0.1'): Promise<Set<number>> {
  const sock: Socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
  const ids = new Set<number>();
  sock.on('message', (m) => ids.add(parseMessage(m).id));
  await new Promise<void>((r) => sock.bind(0, host, () => r()));
  sock.setRecvBufferSize(4 << 20);
  for (let i = 0; i < count; i++) sock.send(query(i), port, host);
  for (let t = 0; t < 100 && ids.size < count; t++) await new Promise((r) => setTimeout(r, 20));
  sock.close();
  return ids;
}

/** Sockets in /proc/net/udp{,6} bound to `port` (one line each). */
function udpSockets(port: number): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  return ['/proc/net/udp', '/proc/net/udp6']
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').slice(1))
    .filter((l) => l.trim().split(/\s+/)[1]?.endsWith(hex.trim())).length;
}

const batch = udpTransports().includes('batch');
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe.skipIf(!batch || missingTools('dig').length > 0)('batched UDP', () => {
  it('gives each worker its own SO_REUSEPORT socket and answers clients on many ports', async () => {
    const s = await startServer({ workers: 2, udpTransport: 'batch' });
    stop = s.stop;
    expect(udpSockets(s.port)).toBe(2);
    const answered = await Promise.all(Array.from({ length: 16 }, () => burst(s.port, 50)));
    expect(answered.map((ids) => ids.size)).toEqual(Array<number>(16).fill(50));
  });

  it('answers a burst many batches long from one client', async () => {
    const s = await startServer({ udpTransport: 'batch' });
    stop = s.stop;
    expect((await burst(s.port, 2000)).size).toBe(2000);
  });

  it('drops a datagram larger than its slot, counts it, and keeps answering', async () => {
    const s = await startServer({ udpTransport: 'batch' });
    stop = s.stop;
    const sock = createSocket('udp4');
    await new Promise<void>((r) =>
      sock.send(Buffer.alloc(6000, 1), s.port, '127.0.0.1', () => r()),
    );
    sock.close();
    expect(await s.dig('+short', 'www.example.org', 'A')).toBe('192.0.2.1\n');
    expect(await s.registry.metrics()).toMatch(/bestiary_dns_malformed_total [1-9]/);
  });

  it.skipIf(!readFileSync('/proc/net/if_inet6', 'utf8').includes(' lo'))(
    'serves IPv6 on ::1',
    async () => {
      const s = await startServer({ udpTransport: 'batch', address: '::1' });
      stop = s.stop;
      expect((await burst(s.port, 100, '::1')).size).toBe(100);
    },
  );
});

describe.skipIf(missingTools('make', 'g++').length > 0)('building the addon', () => {
  it('never fails the install without a compiler, and leaves the reason for the server', () => {
    const dir = mkdtempSync(join(tmpdir(), 'udp-batch-'));
    try {
      for (const f of ['build.mjs', 'binding.gyp', 'udp_batch.cc'])
        cpSync(join('native', 'udp-batch', f), join(dir, f));
      const r = spawnSync(process.execPath, ['build.mjs'], {
        cwd: dir,
        env: { ...process.env, CXX: '/bin/false' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(0);
      expect(existsSync(join(dir, 'build', 'Release', 'udp_batch.node'))).toBe(false);
      expect(readFileSync(join(dir, 'build', 'unavailable.txt'), 'utf8')).toMatch(
        /node-gyp failed/,
      );
      expect(r.stderr).toMatch(/will use node:dgram/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
