// Throw random and mutated packets at the server over UDP and TCP for a bounded number of
// rounds, then check it still answers correctly and counted what it could not parse.
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import { encodeQuery } from '../../src/dns/wire/writer.js';
import { startServer, udpTransports } from './helpers.js';

const seeds = (): Buffer[] =>
  [
    ['www.example.org.', 1],
    ['big.example.org.', 16],
    ['example.org.', 252],
    ['example.org.', 251],
    ['x.wild.example.org.', 255],
  ].map(([name, type], i) =>
    encodeQuery({
      id: i,
      name: name as string,
      type: type as number,
      flags: i === 3 ? 5 << 11 : 0x0100,
      opt: i % 2 === 0 ? { udpSize: 4096, extRcode: 0, version: 0, do: true } : undefined,
    }),
  );

function mutate(seed: Buffer): Buffer {
  const b = Buffer.from(seed);
  const kind = randomInt(5);
  if (kind === 0) return randomBytes(randomInt(0, 600));
  if (kind === 1) return b.subarray(0, randomInt(0, b.length));
  if (kind === 2) {
    for (let i = randomInt(1, 6); i > 0; i--) b[randomInt(b.length)] = randomInt(256);
    return b;
  }
  if (kind === 3) {
    // Counts that promise more records than there are.
    b.writeUInt16BE(randomInt(65536), 2 * randomInt(2, 6));
    return b;
  }
  return Buffer.concat([b, randomBytes(randomInt(1, 40))]);
}

describe.skipIf(missingTools('dig').length > 0).each(udpTransports())(
  'fuzzing the server (UDP on %s)',
  (udpTransport) => {
    let s: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      s = await startServer({ transferRules: [{ cidr: '127.0.0.0/8' }], udpTransport });
    });
    afterAll(() => s.stop());

    it('survives random and mutated packets and still answers correctly', async () => {
      const udp = createSocket('udp4');
      const base = seeds();
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 100; i++)
          udp.send(mutate(base[randomInt(base.length)]!), s.port, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 5));
      }
      // TCP: garbage frames, short frames, a length prefix that never completes.
      for (let c = 0; c < 20; c++) {
        await new Promise<void>((resolve) => {
          const sock = connect(s.port, '127.0.0.1', () => {
            for (let i = 0; i < 20; i++) {
              const m = mutate(base[randomInt(base.length)]!);
              const len = Buffer.alloc(2);
              len.writeUInt16BE(i === 19 ? m.length + 50 : m.length);
              sock.write(Buffer.concat([len, m]));
            }
            setTimeout(() => sock.destroy(), 20);
          });
          sock.on('data', () => undefined);
          sock.on('error', () => undefined);
          sock.on('close', () => resolve());
        });
      }
      udp.close();
      expect(await s.dig('+short', 'www.example.org', 'A')).toBe('192.0.2.1\n');
      expect(await s.dig('+tcp', '+short', 'mail.example.org', 'A')).toBe('192.0.2.25\n');
      const metrics = await s.registry.metrics();
      expect(metrics).toMatch(/bestiary_dns_malformed_total [1-9]/);
      expect(metrics).toMatch(/bestiary_dns_servfail_crash_total 0/);
    });
  },
);
