// A customer's backups page in real Chromium: their target, a run whose report has WARN lines, a
// failed run with ERROR lines, backing up now, and a wrong restore confirmation refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount, TEST_PASSWORD } from '../fixtures/builders.js';
import { siteWithHistory } from '../backups-module/support.js';
import { chromiumMissing, useBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { submitWith } from './xss-watch.js';

const skip = chromiumMissing || missingTools('tar', 'zstd').length > 0;

describe.skipIf(skip)('a customer reading backup reports in the browser', () => {
  let t: TestServer;
  let dir: string;
  let customer: Account;
  let history: Awaited<ReturnType<typeof siteWithHistory>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bestiary-bk-browser-'));
    t = await startTestServer({
      config: { backups: { storageDir: join(dir, 'store'), tmpDir: dir } },
    });
    customer = await buildAccount(t.app);
    history = await siteWithHistory({ app: t.app, clock: t.clock, dir }, customer, 'shop-files');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const browser = useBrowser(() => ({ baseURL: t.panelUrl }));
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
  const report = (page: Page) => page.getByRole('region', { name: 'Report' });

  it('shows WARN and ERROR reports, backs up now and refuses a wrong confirmation', async () => {
    const page = await browser.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(customer.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await submitWith(page, button(page, 'Log in'));

    await page.getByRole('link', { name: 'Backups', exact: true }).click();
    await page.getByRole('link', { name: 'shop-files' }).click();
    expect(await page.locator('h1').innerText()).toBe('Backups of shop-files');

    // The failed run: ERROR lines, and no restore offered.
    await page.locator('tr', { hasText: 'failed (ERROR)' }).getByRole('link').click();
    expect(await report(page).locator('h2').innerText()).toBe('Report (has ERROR lines)');
    const errors = await report(page).locator('tr', { hasText: 'ERROR' }).allInnerTexts();
    expect(errors.join('\n')).toContain('backup of shop-files FAILED');
    expect(await page.getByRole('button', { name: 'Restore over the original' }).count()).toBe(0);
    await page.goBack();

    // The shrunken run: good, but its report warns about the row count.
    await page.locator('tr', { hasText: 'good (WARN)' }).getByRole('link').click();
    expect(await report(page).locator('h2').innerText()).toBe('Report (has WARN lines)');
    const warn = report(page).locator('tr', {
      hasText: 'row count 4 is 40% of the recent median 10',
    });
    expect(await warn.locator('.badge').innerText()).toBe('WARN');

    // A wrong confirmation is refused with the phrase to type; nothing is queued.
    await page.getByLabel('Type "shop-files" to confirm').fill('shop files');
    await submitWith(page, button(page, 'Restore over the original'));
    expect(await page.getByRole('alert').innerText()).toContain(
      'The confirmation does not match: type "shop-files"',
    );
    expect(
      await t.app.backups.listRestores(
        { accountId: customer.id, ip: null, channel: 'panel' },
        history.target.id,
      ),
    ).toEqual([]);

    // Back up now: the run page shows it waiting, then verified once a worker ran it.
    await page.getByRole('link', { name: 'All backups of shop-files' }).click();
    await submitWith(page, button(page, 'Back up now'));
    expect(await page.locator('.flash').innerText()).toBe('Backup queued.');
    expect(await page.locator('main').innerText()).toContain('Waiting for a worker');
    await t.app.jobs.drain();
    await page.reload();
    expect(await page.locator('main strong').first().innerText()).toBe('Verified (INFO)');
    expect(await report(page).locator('h2').innerText()).toBe('Report (clean)');
  });
});
