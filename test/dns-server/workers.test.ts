// UDP worker processes: they answer from their own copy of the zones, pick up replaceZone at
// once, forward UPDATE to the primary and report their counters to its metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import { exampleZone, startServer, udpTransports, updateKey } from './helpers.js';
import { execFile } from 'node:child_process';

describe.skipIf(missingTools('dig', 'nsupdate').length > 0).each(udpTransports())(
  'UDP workers (on %s)',
  (udpTransport) => {
    let s: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      s = await startServer({ workers: 2, udpTransport });
    });
    afterAll(() => s.stop());

    it('answers over UDP from the workers and over TCP from the primary', async () => {
      expect(await s.dig('+short', 'www.example.org', 'A')).toBe('192.0.2.1\n');
      expect(await s.dig('+tcp', '+short', 'mail.example.org', 'A')).toBe('192.0.2.25\n');
    });

    it('serves a replaced zone from every worker', async () => {
      s.setZone(exampleZone(2, '192.0.2.222'));
      // Workers get the snapshot over IPC: wait (bounded) until one serves it, then ask them all.
      for (
        let i = 0;
        i < 100 && (await s.dig('+short', 'www.example.org', 'A')) !== '192.0.2.222\n';
        i++
      )
        await new Promise((r) => setTimeout(r, 20));
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => s.dig('+short', 'www.example.org', 'A')),
      );
      expect(new Set(answers)).toEqual(new Set(['192.0.2.222\n']));
    });

    it('forwards a UDP UPDATE to the primary and replies from the worker', async () => {
      const key = `hmac-sha256:update-key:${Buffer.from(updateKey.secret).toString('base64')}`;
      const out = await new Promise<string>((resolve) => {
        const child = execFile('nsupdate', ['-y', key], (_e, stdout, stderr) =>
          resolve(stdout + stderr),
        );
        child.stdin!.end(
          `server 127.0.0.1 ${s.port}\nzone example.org\nupdate add w.example.org 60 A 192.0.2.61\nsend\n`,
        );
      });
      expect(out).not.toMatch(/failed/);
      for (let i = 0; i < 100 && (await s.dig('+short', 'w.example.org', 'A')) === ''; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await s.dig('+short', 'w.example.org', 'A')).toBe('192.0.2.61\n');
    });

    it('adds the workers’ counters to the primary’s metrics', async () => {
      await new Promise((r) => setTimeout(r, 1200));
      expect(await s.registry.metrics()).toMatch(
        /bestiary_dns_queries_total\{qtype="A",rcode="NOERROR"\} (1[0-9]|[2-9][0-9])/,
      );
    });
  },
);
