// DNSSEC on the zone page in real Chromium: the status from a local fake parent, the DS to copy
// field by field, and turning off as steps the customer can follow but not skip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount, TEST_PASSWORD } from '../fixtures/builders.js';
import { chromiumMissing, useBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server.js';
import { freePort, startTestServer } from '../support/server.js';
import { fakeParent } from '../dnssec/support.js';
import { submitWith } from './xss-watch.js';

describe.skipIf(chromiumMissing)('DNSSEC on the zone page in Chromium', () => {
  let t: TestServer;
  let account: Account;
  let serial = 1;
  beforeAll(async () => {
    const port = await freePort();
    t = await startTestServer({
      config: {
        // The test moves the clock on by hours while the customer stays logged in.
        session: { idleMinutes: 24 * 60 },
        dns: {
          listen: `127.0.0.1:${port}`,
          rrlPerSecond: 0,
          dnssec: { parentServers: [`127.0.0.1:${port}`] },
        },
      },
    });
    await t.app.dns.start();
    account = await buildAccount(t.app, { email: 'dnssec@browser.example' });
    await t.app.dns.zones.create(account.id, 'secure.example.org', 'dns-only', {
      accountId: account.id,
      ip: null,
      channel: 'panel',
    });
  });
  afterAll(async () => {
    await t?.app.dns.stop();
    await t?.close();
  });
  const browser = useBrowser(() => ({ baseURL: t.panelUrl }));

  it('shows the DS to copy, turns secure, and walks through turning off', async () => {
    const page = await browser.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await submitWith(page, page.getByRole('button', { name: 'Log in', exact: true }));
    await page.goto('/dns/secure.example.org');
    const zone = await t.app.dns.zones.named('secure.example.org');
    const ksk = (await t.app.dns.dnssecKeys(zone)).find((k) => k.role === 'ksk')!;
    const section = page.locator('#dnssec');
    expect(await section.getByTestId('dnssec-status').innerText()).toBe(
      'Signed; the parent zone has not been checked yet',
    );
    expect(await section.getByTestId('ds').locator('code.digest').innerText()).toBe(
      ksk.ds!.split(' ')[3],
    );

    t.app.dns.server.replaceZone(fakeParent('secure', [ksk.ds!], ++serial));
    await submitWith(page, section.getByRole('button', { name: 'Check the parent now' }));
    expect(await page.getByTestId('dnssec-status').innerText()).toBe('Secure');

    await submitWith(page, page.getByRole('button', { name: 'Turn DNSSEC off…' }));
    expect(await page.getByTestId('turn-off-step').innerText()).toContain('Step 1 of 3');
    expect(await page.locator('li[aria-current="step"]').innerText()).toContain(
      'Remove the DS record at your registrar',
    );
    expect(await page.getByRole('button', { name: 'Stop signing now' }).count()).toBe(0);

    t.app.dns.server.replaceZone(fakeParent('secure', [], ++serial));
    await submitWith(page, page.getByRole('button', { name: 'Check the parent now' }));
    expect(await page.getByTestId('turn-off-step').innerText()).toContain('Step 2 of 3');

    t.clock.advance(4 * 3_600_000);
    await submitWith(page, page.getByRole('button', { name: 'Check the parent now' }));
    expect(await page.getByTestId('dnssec-status').innerText()).toBe('Not signed');
    expect(await page.getByRole('button', { name: 'Turn DNSSEC on' }).count()).toBe(1);
  }, 60_000);
});
