// RFC 2136 UPDATE with nsupdate: TSIG required and scoped, prerequisites checked, changes served.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import { startServer, udpTransports, updateKey, otherKey } from './helpers.js';

const b64 = (k: { secret: Uint8Array }) => Buffer.from(k.secret).toString('base64');

/** Run an nsupdate script; resolves with its combined output and exit code (non-zero on failure). */
function nsupdate(
  port: number,
  key: string | null,
  lines: string[],
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const args = key ? ['-y', key] : [];
    const child = execFile('nsupdate', args, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, out: stdout + stderr }),
    );
    child.stdin!.end(
      [`server 127.0.0.1 ${port}`, 'zone example.org', ...lines, 'send', ''].join('\n'),
    );
  });
}

describe.skipIf(missingTools('nsupdate', 'dig').length > 0).each(udpTransports())(
  'dynamic UPDATE with nsupdate (UDP on %s)',
  (udpTransport) => {
    let s: Awaited<ReturnType<typeof startServer>>;
    const key = `hmac-sha256:update-key:${b64(updateKey)}`;
    beforeAll(async () => {
      s = await startServer({ udpTransport });
    });
    afterAll(() => s.stop());

    it('adds a record through the onUpdate hook and serves it', async () => {
      const r = await nsupdate(s.port, key, [
        'update add _acme-challenge.example.org 60 TXT "token-1"',
      ]);
      expect(r.out).not.toMatch(/failed/);
      expect(r.code).toBe(0);
      expect(s.updates.at(-1)).toMatchObject({ zone: 'example.org.', keyName: 'update-key.' });
      expect(await s.dig('+short', '_acme-challenge.example.org', 'TXT')).toBe('"token-1"\n');
    });

    it('deletes a record', async () => {
      const r = await nsupdate(s.port, key, [
        'update delete _acme-challenge.example.org TXT "token-1"',
      ]);
      expect(r.code).toBe(0);
      expect(await s.dig('+short', '_acme-challenge.example.org', 'TXT')).toBe('');
    });

    it.each([
      [
        'a failed prerequisite as YXDOMAIN',
        key,
        ['prereq nxdomain www.example.org', 'update add x.example.org 60 A 192.0.2.9'],
        /YXDOMAIN/,
      ],
      [
        'an unsigned update as REFUSED',
        null,
        ['update add x.example.org 60 A 192.0.2.9'],
        /REFUSED/,
      ],
      [
        'a key for another zone as REFUSED',
        `hmac-sha256:other-key:${b64(otherKey)}`,
        ['update add x.example.org 60 A 192.0.2.9'],
        /REFUSED/,
      ],
      [
        'a wrong secret as a TSIG failure',
        'hmac-sha256:update-key:AAAAAAAAAAAAAAAAAAAAAA==',
        ['update add x.example.org 60 A 192.0.2.9'],
        /NOTAUTH|BADSIG|tsig|failed/i,
      ],
    ])('rejects %s', async (_what, k, lines, pattern) => {
      const before = s.updates.length;
      const r = await nsupdate(s.port, k, lines);
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(pattern);
      expect(s.updates.length).toBe(before);
      expect(await s.dig('+short', 'x.example.org', 'A')).toBe('');
    });
  },
);
