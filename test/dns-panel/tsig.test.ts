// TSIG keys in the panel: created with a narrowed scope, the secret shown once with snippets that
// really work (nsupdate against our server), listed with last use, revoked (then refused).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import type { World } from './setup.js';
import { setup, textOf, TYPE } from './setup.js';

const noNsupdate = missingTools('nsupdate').length > 0;

/** Run nsupdate asynchronously: our DNS server answers from this very process. */
const nsupdate = (args: string[], input: string) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    const child = execFile('nsupdate', args, { timeout: 10_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
    child.stdin!.end(input);
  });

describe('DNS panel: TSIG keys', () => {
  let w: World;
  let port: number;
  let created: { name: string; secret: string; html: string };

  beforeAll(async () => {
    port = await freePort();
    w = await setup({ config: { dns: { listen: `127.0.0.1:${port}`, rrlPerSecond: 0 } } });
    await w.t.app.dns.start();
    await w.zone('example.org');
  });
  afterAll(() => w.t.close());

  it('creates a narrowed key and shows its name, algorithm and secret once', async () => {
    const reply = await w.post(
      '/dns/tsig',
      { label: 'certbot on web1', zones: 'example.org', hosts: '_acme-challenge', types: 'txt' },
      '/dns/tsig',
    );
    expect(reply.status).toBe(200);
    const pick = (id: string) =>
      new RegExp(`data-testid="${id}"[^>]*>([^<]+)<`).exec(reply.text)![1]!;
    created = { name: pick('tsig-name'), secret: pick('tsig-secret'), html: reply.text };
    expect(created.name).toMatch(/^certbot-on-web1-[a-z0-9]+\.$/);
    expect(pick('tsig-algorithm')).toBe('hmac-sha256');
    expect(Buffer.from(created.secret, 'base64')).toHaveLength(32);
    const certbot = textOf(/data-testid="certbot">([^<]*)</.exec(reply.text)![1]!);
    expect(certbot).toContain(`dns_rfc2136_port = ${port}`);
    expect(certbot).toContain(`dns_rfc2136_name = ${created.name}`);
    expect(certbot).toContain(`dns_rfc2136_secret = ${created.secret}`);
    expect(textOf(reply.text)).toContain(
      'DNS read-write; zones example.org; hosts _acme-challenge; types TXT',
    );

    const list = (await w.client.get('/dns/tsig')).text;
    expect(list).toContain(created.name);
    expect(list).not.toContain(created.secret);
    expect(textOf(list)).toMatch(/Never/);
  });

  it.skipIf(noNsupdate)(
    'gives an nsupdate command that works, within the key’s scope only',
    async () => {
      const snippet = textOf(/data-testid="nsupdate">([^<]*)</.exec(created.html)![1]!);
      const key = /-y (\S+)/.exec(snippet)![1]!;
      expect(snippet).toContain(`server 127.0.0.1 ${port}`);
      const send = (update: string) =>
        nsupdate(['-y', key], `server 127.0.0.1 ${port}\nzone example.org\n${update}\nsend\n`);
      const ok = await send('update add _acme-challenge.example.org. 60 TXT "token-1"');
      expect(ok.code, ok.out).toBe(0);
      expect(w.served('_acme-challenge.example.org.', TYPE.TXT).answer).toHaveLength(1);
      const outside = await send('update add www.example.org. 60 A 192.0.2.1');
      expect(outside.out).toContain('REFUSED');
      expect(w.served('www.example.org.', TYPE.A).answer).toEqual([]);
      // The list shows when the key was last used instead of "Never".
      expect(textOf((await w.client.get('/dns/tsig')).text)).not.toContain('Never');
    },
  );

  it('keeps the form’s input when a key cannot be made', async () => {
    const reply = await w.post(
      '/dns/tsig',
      { label: '', zones: 'example.org', hosts: 'www' },
      '/dns/tsig',
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('value="www"');
    expect(textOf(reply.text)).toContain('Give the key a label');
  });

  it.skipIf(noNsupdate)('revokes a key, after which its updates are refused', async () => {
    const [key] = await w.t.app.dns.tsig.list(w.account.id);
    const reply = await w.post(`/dns/tsig/${key!.id}/revoke`, {}, '/dns/tsig');
    expect(reply.status).toBe(303);
    expect(textOf((await w.client.follow(reply)).text)).toContain('has been revoked');
    const refused = await nsupdate(
      ['-y', `hmac-sha256:${created.name}:${created.secret}`],
      `server 127.0.0.1 ${port}\nzone example.org\nupdate add _acme-challenge.example.org. 60 TXT "token-2"\nsend\n`,
    );
    expect(refused.code).not.toBe(0);
    expect(w.served('_acme-challenge.example.org.', TYPE.TXT).answer).toHaveLength(1);
  });

  it('answers 404 for a key that is not the customer’s', async () => {
    expect((await w.post('/dns/tsig/nope/revoke', {}, '/dns/tsig')).status).toBe(404);
  });
});
