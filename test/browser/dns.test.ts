// The DNS panel in real Chromium: a customer adds a zone and records (the host field shows the
// name it gives, each type shows its own fields), sets a CAA policy through the preview, and
// asks who may issue. Then DNS data as an XSS vector: payloads through TXT values, hosts, CAA
// values, zone-file imports, "who may issue" and TSIG labels, with nothing executed or injected.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { everything, fullAccess } from '../../src/dns/index.js';
import { buildAccount, TEST_PASSWORD } from '../fixtures/builders.js';
import { chromiumMissing, useBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { payloads } from './payloads.js';
import { inTabs, submitWith } from './xss-watch.js';
import type { Watch } from './xss-watch.js';

const SLOW = 180_000;
const SHOTS = process.env.BESTIARY_SCREENSHOTS;
/** About fifty payloads spread over the families (tags, breakouts, polyglots, templates…). */
const some = payloads.filter((_, i) => i % Math.ceil(payloads.length / 50) === 0);

describe.skipIf(chromiumMissing)('DNS panel in Chromium', () => {
  let t: TestServer;
  let account: Account;
  beforeAll(async () => {
    t = await startTestServer();
    account = await buildAccount(t.app, { email: 'dns@browser.example' });
    await t.app.dns.zones.create(account.id, 'xss-zone.org', 'dns-only', {
      accountId: account.id,
      ip: null,
      channel: 'panel',
    });
  });
  afterAll(() => t?.close());
  const browser = useBrowser(() => ({ baseURL: t.panelUrl, bypassCSP: true }));

  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const flash = (page: Page) => page.locator('.flash').innerText();

  async function logIn() {
    const page = await browser.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await submitWith(page, page.getByRole('button', { name: 'Log in', exact: true }));
    return page;
  }

  it('adds a zone and records, sets CAA through the preview, and says who may issue', async () => {
    const page = await logIn();
    await page.getByRole('link', { name: 'DNS', exact: true }).click();
    await page.getByLabel('Domain').fill('journey.org');
    await submitWith(page, page.getByRole('button', { name: 'Add zone' }));
    expect(await flash(page)).toBe('The zone journey.org was added.');

    // The host field shows the name it gives, the trap included.
    const host = page.getByLabel('Host', { exact: true });
    await host.fill('www.journey.org');
    expect(await page.locator('#host-name').innerText()).toBe(
      'This record will be for www.journey.org.',
    );
    await host.fill('@');
    expect(await page.locator('#host-name').innerText()).toBe(
      'This record will be for journey.org.',
    );
    await host.fill('www.journey.org');
    await page.getByLabel('Value').fill('192.0.2.10');
    expect(await page.locator('fieldset[data-types="MX"]').isVisible()).toBe(false);
    await shot(page, 'dns-zone-add-a');
    await submitWith(page, page.getByRole('button', { name: 'Add record' }));
    expect(await flash(page)).toBe('Added “www 3600 A 192.0.2.10”.');

    await page.getByLabel('Host', { exact: true }).fill('@');
    await page.getByLabel('Type', { exact: true }).selectOption('MX');
    expect(await page.locator('fieldset[data-types="MX"]').isVisible()).toBe(true);
    expect(await page.locator('fieldset[data-types="SRV"]').isVisible()).toBe(false);
    expect(await page.locator('#data-hint').innerText()).toContain('mail server');
    await page.getByLabel('Value').fill('mail');
    await page.locator('#mx_priority').fill('10');
    await submitWith(page, page.getByRole('button', { name: 'Add record' }));
    expect(await flash(page)).toBe('Added “@ 3600 MX 10 mail.journey.org.”.');
    await shot(page, 'dns-zone-page');

    await page.getByRole('link', { name: 'CAA policy' }).click();
    const issuers = page.getByRole('group', { name: 'Who may issue certificates' });
    await issuers.getByLabel("Let's Encrypt").check();
    await page.getByLabel('No wildcard certificates').check();
    await page.getByLabel('Report refused requests to (optional)').fill('mailto:ca@journey.org');
    await submitWith(page, page.getByRole('button', { name: 'Preview' }));
    expect(await page.locator('[data-testid="caa-preview"] pre').innerText()).toBe(
      [
        '@ 3600 CAA 0 issue "letsencrypt.org"',
        '@ 3600 CAA 0 issuewild ";"',
        '@ 3600 CAA 0 iodef "mailto:ca@journey.org"',
      ].join('\n'),
    );
    await shot(page, 'dns-caa-preview');
    await submitWith(page, page.getByRole('button', { name: 'Save these records' }));
    expect(await flash(page)).toBe('Published 3 CAA records at journey.org.');
    expect(t.app.dns.server.lookup('journey.org.', 257).answer).toHaveLength(3);

    await page.getByRole('link', { name: 'Who may issue?' }).click();
    await page.getByLabel('Who may issue certificates for').fill('www');
    await submitWith(page, page.getByRole('button', { name: 'Check' }));
    expect(await page.getByTestId('normal').innerText()).toContain(
      'Only these CAs may issue:\nletsencrypt.org',
    );
    expect(await page.getByTestId('wildcard').innerText()).toContain('No CA may issue.');
    expect(await page.getByTestId('found-at').innerText()).toBe('journey.org.');
    await shot(page, 'dns-who-may-issue');
  });

  it('has a strict CSP on every DNS page', async () => {
    const page = await logIn();
    for (const path of ['/dns', '/dns/xss-zone.org', '/dns/xss-zone.org/caa', '/dns/tsig']) {
      const csp = (await page.goto(path))!.headers()['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('shows DNS data as text: nothing runs, nothing is injected', { timeout: SLOW }, async () => {
    const page = await logIn();
    await page.close();
    const zone = '/dns/xss-zone.org';
    const findings: string[] = [];
    const visit = async (w: Watch, p: string, i: number) => {
      const real = i % 10 === 0;
      const record = { form: 'form.record-form', from: zone };
      const txt = { host: `txt${i}`, type: 'TXT', ttl: '', data: p };
      await w.load(`TXT #${i}`, { ...record, fields: txt }, real);
      const host = { host: p, type: 'A', ttl: '', data: '192.0.2.1' };
      const bad = await w.load(`host #${i}`, { ...record, fields: host }, real, {
        host: '#host@value',
      });
      if (bad.shown.host !== null) w.expectShown(`host #${i}`, bad.shown.host, bad.sent.host!);
      const caa = { form: 'form.caa-form', from: `${zone}/caa` };
      await w.load(`CAA #${i}`, { ...caa, fields: { other: p, iodef: p } }, false);
      await w.load(
        `CAA value #${i}`,
        { ...record, fields: { ...txt, type: 'CAA', caa_tag: p } },
        false,
      );
      const file = `${p}\nfile${i} IN TXT ${JSON.stringify(p)}\n${p} IN A 192.0.2.1\n`;
      const imp = { form: `form[action="${zone}/import"]`, from: `${zone}/import` };
      await w.load(`import #${i}`, { ...imp, fields: { text: file, mode: 'add' } }, false);
      await w.load(`issue #${i}`, { path: `${zone}/issue?name=${encodeURIComponent(p)}` }, real);
      const tsig = { form: 'form[action="/dns/tsig"]', from: '/dns/tsig' };
      await w.load(`TSIG label #${i}`, { ...tsig, fields: { label: p, hosts: p } }, false);
    };
    const done = await inTabs(browser.context, t.panelUrl, findings, some, visit, {
      start: zone,
    });
    // The pages that list what was stored, with every payload on them at once.
    const watch = await inTabs(browser.context, t.panelUrl, findings, [0], async (w) => {
      for (const path of ['/dns', zone, '/dns/tsig']) await w.load(path, { path }, true);
    });
    expect(findings).toEqual([]);
    expect(done).toBe(some.length);
    expect(watch).toBe(1);

    // Encoded on output, never filtered on input: TXT values are kept exactly as typed.
    const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'panel' });
    const z = await t.app.dns.zones.find(access, 'xss-zone.org');
    const stored = await t.app.dns.records.list(access, z, everything);
    const kept = some.filter((p, i) =>
      stored.some((r) => r.host === `txt${i}` && r.json.data === p),
    );
    expect(kept.length).toBeGreaterThan(some.length * 0.9);
  });
});
