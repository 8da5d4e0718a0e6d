// Zone files in the panel: export as text/dns and classic, import previewed (every error with its
// line number) before it applies, add or replace, upload, and export → import giving the same zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from './setup.js';
import { linesOf, setup, textOf, TYPE } from './setup.js';

const previewed = (html: string) => /name="previewed" value="([^"]+)"/.exec(html)?.[1] ?? '';

const zoneFile = `$ORIGIN example.org.
$TTL 600
; the web
www        IN A     192.0.2.10
           IN AAAA  2001:db8::10
api  300   IN CNAME www
@          IN MX    10 mail          ; relative target
mail       IN A     192.0.2.25
_sip._tcp  IN SRV   ( 10 5 5060
                      sip.example.net. )
@          IN TXT   "v=spf1 mx -all"
@          IN CAA   0 issue "letsencrypt.org"
`;

describe('DNS panel: zone files', () => {
  let w: World;
  const importing = (fields: Record<string, string>) =>
    w.post('/dns/example.org/import', fields, '/dns/example.org/import');
  const apply = async (text: string, mode: 'add' | 'replace') => {
    const preview = await importing({ text, mode, action: 'preview' });
    expect(preview.status, textOf(preview.text).slice(0, 400)).toBe(200);
    return importing({ text, mode, action: 'apply', previewed: previewed(preview.text) });
  };

  beforeAll(async () => {
    w = await setup({
      config: { dns: { template: [{ host: '@', type: 'TXT', data: 'provider-default' }] } },
    });
    await w.zone('example.org');
  });
  afterAll(() => w.t.close());

  it('shows every error with its line number, keeps the text and changes nothing', async () => {
    const serial = (await w.row('example.org')).serial;
    const bad = `www IN A 192.0.2.1\nwww IN A 999.1.1.1\nok IN TXT "fine"\nmail IN MX ten mail\n`;
    const reply = await importing({ text: bad, mode: 'add', action: 'preview' });
    expect(reply.status).toBe(400);
    const problems = textOf(/class="problems"[\s\S]*?<\/div>/.exec(reply.text)![0]);
    expect(problems).toMatch(/line 2: /);
    expect(problems).toMatch(/line 4: /);
    expect(problems).not.toMatch(/line [13]: /);
    expect(reply.text).toContain('www IN A 999.1.1.1');
    expect(reply.text).not.toContain('Apply this import');
    expect((await w.row('example.org')).serial).toBe(serial);
  });

  it('refuses a file that would break the zone, before applying', async () => {
    const reply = await importing({
      text: '@ 300 IN CNAME elsewhere.example.net.\n',
      mode: 'add',
      action: 'preview',
    });
    expect(reply.status).toBe(400);
    expect(textOf(reply.text)).toContain('CNAME is not allowed at the zone apex');
  });

  it('previews an import without applying it, then applies exactly that', async () => {
    const before = linesOf(await w.records('example.org'));
    const preview = await importing({ text: zoneFile, mode: 'add', action: 'preview' });
    expect(preview.status).toBe(200);
    const add = textOf(/data-testid="import-add">([^<]*)</.exec(preview.text)![1]!);
    expect(add).toContain('_sip._tcp 600 SRV 10 5 5060 sip.example.net.');
    expect(add).toContain('@ 600 MX 10 mail.example.org.');
    expect(textOf(preview.text)).toContain('The file holds 8 records');
    expect(linesOf(await w.records('example.org'))).toEqual(before);

    const reply = await importing({
      text: zoneFile,
      mode: 'add',
      action: 'apply',
      previewed: previewed(preview.text),
    });
    expect(reply.status).toBe(303);
    expect(textOf((await w.client.follow(reply)).text)).toContain('8 added, 0 removed');
    expect(linesOf(await w.records('example.org'))).toEqual(
      expect.arrayContaining(['api 300 CNAME www.example.org.', 'www 600 AAAA 2001:db8::10']),
    );
    expect(w.served('mail.example.org.', TYPE.A).answer).toEqual(['192.0.2.25']);
  });

  it('will not apply an import whose effect changed since the preview', async () => {
    const text = 'extra 600 IN A 192.0.2.99\n';
    const reply = await importing({ text, mode: 'add', action: 'apply', previewed: 'stale' });
    expect(reply.status).toBe(409);
    expect(linesOf(await w.records('example.org'))).not.toContain('extra 600 A 192.0.2.99');
  });

  it('exports text/dns and classic master files for download', async () => {
    const api = await w.client.get('/dns/example.org/export');
    expect(api.headers.get('content-type')).toMatch(/^text\/dns/);
    expect(api.headers.get('content-disposition')).toContain(
      'attachment; filename="example.org.txt"',
    );
    expect(api.text).toMatch(/^www\s+600 A\s+192\.0\.2\.10$/m);
    const classic = await w.client.get('/dns/example.org/export?style=classic');
    expect(classic.text.startsWith('$ORIGIN example.org.\n')).toBe(true);
    expect(classic.text).toContain('www.example.org.\t600\tIN\tA\t192.0.2.10');
  });

  it('gives the same zone back from an export, in both styles, changing nothing', async () => {
    const before = linesOf(await w.records('example.org'));
    for (const style of ['', '?style=classic']) {
      const text = (await w.client.get(`/dns/example.org/export${style}`)).text;
      const serial = (await w.row('example.org')).serial;
      const preview = await importing({ text, mode: 'replace', action: 'preview' });
      expect(textOf(preview.text)).toContain('Change nothing');
      expect((await apply(text, 'replace')).status).toBe(303);
      expect(linesOf(await w.records('example.org'))).toEqual(before);
      expect((await w.row('example.org')).serial).toBe(serial);
    }
  });

  it('restores an exported zone after changes, keeping template records marked', async () => {
    const exported = (await w.client.get('/dns/example.org/export')).text;
    const before = await w.records('example.org');
    await apply('www 600 IN A 192.0.2.77\n', 'replace');
    const replaced = await w.records('example.org');
    expect(linesOf(replaced.filter((r) => r.origin === 'user'))).toEqual(['www 600 A 192.0.2.77']);
    expect(replaced.some((r) => r.origin === 'template' && r.type === 'TXT')).toBe(true);

    expect((await apply(exported, 'replace')).status).toBe(303);
    const after = await w.records('example.org');
    expect(linesOf(after)).toEqual(linesOf(before));
    expect(after.filter((r) => r.origin === 'template').length).toBe(
      before.filter((r) => r.origin === 'template').length,
    );
  });

  it('imports an uploaded file', async () => {
    const form = new FormData();
    form.set('_csrf', await w.client.csrfToken('/dns/example.org/import'));
    form.set('text', '');
    form.set('mode', 'add');
    form.set('action', 'preview');
    form.set('file', new Blob(['uploaded 600 IN TXT "from a file"\n']), 'example.org.zone');
    const cookie = [...w.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await w.t.app.panel.request(
      'http://localhost:8080/dns/example.org/import',
      {
        method: 'POST',
        body: form,
        headers: { cookie, origin: 'http://localhost:8080', host: 'localhost:8080' },
      },
      { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
    );
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(textOf(html)).toContain('uploaded 600 TXT "from a file"');
    expect(html).toContain('uploaded 600 IN TXT &quot;from a file&quot;\n</textarea>');
  });
});
