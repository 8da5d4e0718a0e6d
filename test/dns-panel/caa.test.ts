// The CAA form (preview shows the exact records; saving publishes exactly those) and "who may
// issue for this name?" answered from what our server serves, aliases and climbing included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from './setup.js';
import { linesOf, setup, textOf, TYPE } from './setup.js';

const previewed = (html: string) => /name="previewed" value="([^"]+)"/.exec(html)?.[1] ?? '';
const caaLines = async (w: World) =>
  linesOf(await w.records('example.org')).filter((l) => l.startsWith('@ ') && l.includes(' CAA '));

const policy = {
  'ca-lets-encrypt': 'on',
  other: 'ca.example.net; accounturi=https://ca.example.net/acct/1',
  wildcard: 'none',
  iodef: 'mailto:security@example.org',
  ttl: '',
  mode: 'replace',
};
const published = [
  '@ 3600 CAA 0 iodef "mailto:security@example.org"',
  '@ 3600 CAA 0 issue "ca.example.net; accounturi=https://ca.example.net/acct/1"',
  '@ 3600 CAA 0 issue "letsencrypt.org"',
  '@ 3600 CAA 0 issuewild ";"',
];

describe('DNS panel: CAA and who may issue', () => {
  let w: World;
  beforeAll(async () => {
    w = await setup();
    await w.zone('example.org');
  });
  afterAll(() => w.t.close());

  it('offers the well-known CAs, each with its CAA domain', async () => {
    const page = textOf((await w.client.get('/dns/example.org/caa')).text);
    for (const ca of [
      "Let's Encrypt letsencrypt.org",
      'DigiCert digicert.com',
      'Sectigo sectigo.com',
      'Google Trust Services pki.goog',
      'ZeroSSL (issues through Sectigo) sectigo.com',
      'Buypass buypass.com',
    ])
      expect(page).toContain(ca);
    expect(page).toContain('No CAA records');
  });

  it('previews the exact records and saves nothing', async () => {
    const serial = (await w.row('example.org')).serial;
    const reply = await w.post('/dns/example.org/caa', { ...policy, action: 'preview' });
    expect(reply.status).toBe(200);
    const preview = /data-testid="caa-preview">([\s\S]*?)<\/section>/.exec(reply.text)![1]!;
    const pre = /<pre class="records-preview">([^<]*)<\/pre>/.exec(preview)![1]!;
    expect(textOf(pre).trim()).toBe(
      [published[2], published[1], published[3], published[0]].join(' '),
    );
    expect(reply.text).toContain('value="mailto:security@example.org"');
    expect(await caaLines(w)).toEqual([]);
    expect((await w.row('example.org')).serial).toBe(serial);
  });

  it('publishes what the preview showed, served by our server at once', async () => {
    const preview = await w.post('/dns/example.org/caa', { ...policy, action: 'preview' });
    const reply = await w.post('/dns/example.org/caa', {
      ...policy,
      action: 'save',
      previewed: previewed(preview.text),
    });
    expect(reply.status).toBe(303);
    expect(await caaLines(w)).toEqual(published);
    expect(w.served('example.org.', TYPE.CAA).answer).toHaveLength(4);
    expect(textOf((await w.client.follow(reply)).text)).toContain('Published 4 CAA records');
  });

  it('opens the form showing the policy now published', async () => {
    const html = (await w.client.get('/dns/example.org/caa')).text;
    expect(html).toMatch(/id="ca-lets-encrypt" name="ca-lets-encrypt" value="on" checked/);
    expect(html).toMatch(/id="wildcard-none" name="wildcard" value="none" checked/);
    expect(html).toContain('ca.example.net; accounturi=https://ca.example.net/acct/1</textarea>');
  });

  it('will not save a policy that differs from the one previewed', async () => {
    const preview = await w.post('/dns/example.org/caa', { ...policy, action: 'preview' });
    const reply = await w.post('/dns/example.org/caa', {
      ...policy,
      'ca-digicert': 'on',
      action: 'save',
      previewed: previewed(preview.text),
    });
    expect(reply.status).toBe(409);
    expect(textOf(reply.text)).toContain('@ 3600 CAA 0 issue "digicert.com"');
    expect(await caaLines(w)).toEqual(published);
  });

  it('adds to the records there when asked to, and replaces them otherwise', async () => {
    const add = { 'ca-digicert': 'on', wildcard: 'same', mode: 'add', ttl: '' };
    const preview = await w.post('/dns/example.org/caa', { ...add, action: 'preview' });
    expect(preview.text).not.toContain('They replace these records');
    await w.post('/dns/example.org/caa', {
      ...add,
      action: 'save',
      previewed: previewed(preview.text),
    });
    expect(await caaLines(w)).toEqual([...published, '@ 3600 CAA 0 issue "digicert.com"'].sort());

    const only = { 'ca-buypass': 'on', wildcard: 'same', mode: 'replace', ttl: '600' };
    const second = await w.post('/dns/example.org/caa', { ...only, action: 'preview' });
    expect(textOf(second.text)).toContain('They replace these records');
    await w.post('/dns/example.org/caa', {
      ...only,
      action: 'save',
      previewed: previewed(second.text),
    });
    expect(await caaLines(w)).toEqual(['@ 600 CAA 0 issue "buypass.com"']);
  });

  it('refuses a bad report address or CA, keeping the input and changing nothing', async () => {
    for (const bad of [{ iodef: 'javascript:alert(1)' }, { other: 'not a domain!' }]) {
      const reply = await w.post('/dns/example.org/caa', {
        ...policy,
        ...bad,
        action: 'save',
        previewed: 'x',
      });
      expect(reply.status).toBe(400);
      expect(reply.text).toContain('class="problems"');
      expect(textOf(reply.text)).toContain(Object.values(bad)[0]);
      expect(await caaLines(w)).toEqual(['@ 600 CAA 0 issue "buypass.com"']);
    }
  });

  it('says who may issue, climbing to the apex and following aliases', async () => {
    const add = (fields: Record<string, string>) =>
      w.post('/dns/example.org/records', { ttl: '300', ...fields });
    await add({ host: 'shop', type: 'CNAME', data: 'store' });
    await add({
      host: 'store',
      type: 'CAA',
      data: 'digicert.com',
      caa_flags: '0',
      caa_tag: 'issue',
    });
    await add({ host: 'store', type: 'CAA', data: ';', caa_flags: '0', caa_tag: 'issuewild' });

    const deep = textOf((await w.client.get('/dns/example.org/issue?name=a.b.example.org')).text);
    expect(deep).toContain('Only these CAs may issue: buypass.com');
    expect(deep).toContain('CAA records found at example.org.');

    const html = (await w.client.get('/dns/example.org/issue?name=shop')).text;
    const normal = textOf(/data-testid="normal">([\s\S]*?)<\/dd>/.exec(html)![1]!);
    const wildcard = textOf(/data-testid="wildcard">([\s\S]*?)<\/dd>/.exec(html)![1]!);
    expect(normal).toContain('Only these CAs may issue: digicert.com');
    expect(wildcard).toContain('No CA may issue');
    expect(textOf(html)).toContain('store.example.org.');
    expect(html).toContain('data-testid="aliases"');
    expect(html).toMatch(/<ol class="caa-steps"><li>/);
  });

  it('refuses a name outside the zone', async () => {
    const reply = await w.client.get(
      `/dns/example.org/issue?name=${encodeURIComponent('www.example.net.')}`,
    );
    expect(reply.status).toBe(400);
    expect(textOf(reply.text)).toContain('is not inside the zone');
  });
});
