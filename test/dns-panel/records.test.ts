// The zone page: adding, editing and deleting records as a customer types them, template records
// marked, problems shown with the input kept and nothing changed, and zones added and deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from './setup.js';
import { linesOf, setup, textOf, TYPE } from './setup.js';

describe('DNS panel: zones and records', () => {
  let w: World;
  beforeAll(async () => {
    w = await setup({
      config: {
        dns: {
          template: [{ host: '@', type: 'MX', mx_priority: 10, data: 'mx.bestiary.example.' }],
        },
      },
    });
    await w.zone('example.org');
  });
  afterAll(() => w.t.close());

  it('lists the customer’s zones with kind, serial and record count', async () => {
    const zone = await w.row('example.org');
    const page = textOf((await w.client.get('/dns')).text);
    expect(page).toContain(`example.org DNS only ${zone.serial} 3`);
  });

  it('shows the serial, the nameservers and the template records, marked', async () => {
    const html = (await w.client.get('/dns/example.org')).text;
    expect(html).toContain(
      `<code data-testid="serial">${(await w.row('example.org')).serial}</code>`,
    );
    expect(html).toContain('ns1.bestiary.example.');
    expect(textOf(html)).toMatch(/MX 3600 10 mx\.bestiary\.example\. _template/);
  });

  it('gives www, not www.example.org.example.org, to a host typed as www.example.org', async () => {
    const reply = await w.post('/dns/example.org/records', {
      host: 'www.example.org',
      type: 'A',
      ttl: '300',
      data: '192.0.2.10',
    });
    expect(reply.status).toBe(303);
    expect(linesOf(await w.records('example.org'))).toContain('www 300 A 192.0.2.10');
    expect(w.served('www.example.org.', TYPE.A).answer).toEqual(['192.0.2.10']);
    expect(w.served('www.example.org.example.org.', TYPE.A).answer).toEqual([]);
    expect((await w.client.follow(reply)).text).toContain('Added “www 300 A 192.0.2.10”.');
  });

  it('previews the name a host field gives when the form comes back', async () => {
    const reply = await w.post('/dns/example.org/records', { host: 'api', type: 'A', data: 'x' });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('This record will be for api.example.org.');
  });

  it('adds each type with its own fields: MX, SRV, CAA, SSHFP, TLSA and a long TXT', async () => {
    const long = 'v=DKIM1; k=rsa; p=' + 'A'.repeat(400);
    const forms: Record<string, string>[] = [
      { host: '@', type: 'MX', data: 'mail', mx_priority: '20' },
      {
        host: '_sip._tcp',
        type: 'SRV',
        data: 'sip.example.net',
        srv_priority: '10',
        srv_weight: '5',
        srv_port: '5060',
      },
      { host: '@', type: 'CAA', data: 'letsencrypt.org', caa_flags: '128', caa_tag: 'issue' },
      { host: 'ssh', type: 'SSHFP', data: 'ab'.repeat(32), sshfp_algorithm: '4', sshfp_type: '2' },
      {
        host: '_443._tcp.www',
        type: 'TLSA',
        data: 'cd'.repeat(32),
        tlsa_usage: '3',
        tlsa_selector: '1',
        tlsa_matching: '1',
      },
      { host: 'sel._domainkey', type: 'TXT', data: long },
    ];
    for (const form of forms) {
      const reply = await w.post('/dns/example.org/records', { ttl: '600', ...form });
      expect(reply.status, `${form.type}: ${textOf(reply.text).slice(0, 300)}`).toBe(303);
    }
    const lines = linesOf(await w.records('example.org'));
    expect(lines).toEqual(
      expect.arrayContaining([
        '@ 600 MX 20 mail.example.org.',
        '_sip._tcp 600 SRV 10 5 5060 sip.example.net.',
        '@ 600 CAA 128 issue "letsencrypt.org"',
        `ssh 600 SSHFP 4 2 ${'ab'.repeat(32)}`,
        `_443._tcp.www 600 TLSA 3 1 1 ${'cd'.repeat(32)}`,
      ]),
    );
    const txt = (await w.records('example.org')).find((r) => r.host === 'sel._domainkey')!;
    expect(txt.json.data).toBe(long);
    expect(w.served('sel._domainkey.example.org.', TYPE.TXT).answer).toHaveLength(1);
  });

  it('edits a record by replacing it, and the server serves the new one', async () => {
    const www = (await w.records('example.org')).find((r) => r.host === 'www' && r.type === 'A')!;
    const form = (await w.client.get(`/dns/example.org/records/${www.id}/edit`)).text;
    expect(form).toContain('>192.0.2.10</textarea>');
    const reply = await w.post(`/dns/example.org/records/${www.id}`, {
      host: 'www',
      type: 'A',
      ttl: '900',
      data: '192.0.2.20',
    });
    expect(reply.status).toBe(303);
    const lines = linesOf(await w.records('example.org'));
    expect(lines).toContain('www 900 A 192.0.2.20');
    expect(lines).not.toContain('www 300 A 192.0.2.10');
    expect(w.served('www.example.org.', TYPE.A).answer).toEqual(['192.0.2.20']);
  });

  it('deletes a record', async () => {
    const www = (await w.records('example.org')).find((r) => r.host === 'www' && r.type === 'A')!;
    const reply = await w.post(`/dns/example.org/records/${www.id}/delete`, {});
    expect(reply.status).toBe(303);
    expect(linesOf(await w.records('example.org')).some((l) => l.startsWith('www '))).toBe(false);
    // _443._tcp.www is still there, so www exists with no A: NODATA.
    expect(w.served('www.example.org.', TYPE.A)).toEqual({ rcode: 0, answer: [] });
  });

  it.each([
    [
      { host: '@', type: 'CNAME', data: 'elsewhere.example.net' },
      'CNAME is not allowed at the zone apex',
    ],
    [{ host: 'mail', type: 'MX', data: '192.0.2.1', mx_priority: '10' }, 'not an IP address'],
    [{ host: '@', type: 'MX', data: 'mail', mx_priority: '20', ttl: '600' }, 'Duplicate record'],
    [{ host: 'www.other.net.', type: 'A', data: '192.0.2.1' }, 'is not inside the zone'],
    [{ host: 'bad', type: 'A', data: '<b>not an address</b>' }, 'A'],
  ])('refuses %j, keeps the input and changes nothing', async (form, message) => {
    const before = await w.row('example.org');
    const lines = linesOf(await w.records('example.org'));
    const reply = await w.post('/dns/example.org/records', form);
    expect(reply.status).toBe(400);
    expect(textOf(reply.text)).toContain(message);
    expect(reply.text).toContain(`value="${form.host}"`);
    expect(reply.text).toMatch(new RegExp(`<option value="${form.type}" [^>]*selected`));
    expect(textOf(reply.text)).toContain(form.data);
    expect((await w.row('example.org')).serial).toBe(before.serial);
    expect(linesOf(await w.records('example.org'))).toEqual(lines);
  });

  it('keeps a refused edit’s input and leaves the record as it was', async () => {
    const mx = (await w.records('example.org')).find(
      (r) => r.type === 'MX' && r.host === '@' && r.origin === 'user',
    )!;
    const reply = await w.post(`/dns/example.org/records/${mx.id}`, {
      host: '@',
      type: 'MX',
      data: 'mail',
      mx_priority: 'ten',
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('value="ten"');
    expect(linesOf(await w.records('example.org'))).toContain('@ 600 MX 20 mail.example.org.');
  });

  it('answers 404 for a record id that is not in the zone', async () => {
    expect((await w.client.get('/dns/example.org/records/nope/edit')).status).toBe(404);
    expect((await w.post('/dns/example.org/records/nope/delete', {})).status).toBe(404);
    expect(
      (await w.post('/dns/example.org/records/nope', { type: 'A', data: '192.0.2.1' })).status,
    ).toBe(404);
  });

  it('refuses a zone that is already hosted, keeping the name typed', async () => {
    const reply = await w.post('/dns', { name: 'Example.ORG' });
    expect(reply.status).toBe(409);
    expect(reply.text).toContain('value="Example.ORG"');
  });

  it('deletes a zone only when its name is typed', async () => {
    await w.zone('doomed.org');
    const wrong = await w.post('/dns/doomed.org/delete', { confirm: 'doomed.com' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('value="doomed.com"');
    expect((await w.row('doomed.org')).name).toBe('doomed.org');
    const right = await w.post('/dns/doomed.org/delete', { confirm: 'doomed.org' });
    expect(right.status).toBe(303);
    await expect(w.row('doomed.org')).rejects.toThrow();
    expect(w.served('doomed.org.', TYPE.NS).rcode).toBe(5);
    expect((await w.client.get('/dns/doomed.org')).status).toBe(404);
  });
});
