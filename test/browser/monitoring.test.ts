// A customer's monitoring in real Chromium: the dashboard, a check's page with its uptime and its
// uPlot chart drawn from our own origin, acknowledging the problem and silencing it for maintenance
// with a reason; another customer gets 404 for the same page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount, TEST_PASSWORD } from '../fixtures/builders.js';
import { actorFor, waitFor } from '../monitoring-module/support.js';
import { chromiumMissing, useBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { submitWith } from './xss-watch.js';

describe.skipIf(chromiumMissing)('monitoring in the browser', () => {
  let t: TestServer;
  let customer: Account;
  let other: Account;
  let checkId: string;
  beforeAll(async () => {
    t = await startTestServer();
    customer = await buildAccount(t.app);
    other = await buildAccount(t.app);
    await t.app.monitoring.start();
    const def = await t.app.monitoring.checks.create(actorFor(customer.id), {
      name: 'nightly backup',
      type: 'push',
      params: { periodMs: 3_600_000, graceMs: 600_000 },
      downRetries: 1,
    });
    checkId = def.id;
    // An hour of good runs for the chart, then a failed one: the check is down.
    const beat = async (kind: 'success' | 'fail', message = '') => {
      t.clock.advance(60_000);
      t.app.monitoring.engine.beat(def.id, kind, message);
      await waitFor(
        () => t.app.monitoring.engine.state(def.id)?.last?.at === t.clock.now(),
        5_000,
        'the beat judged',
      );
    };
    for (let m = 0; m < 60; m++) await beat('success');
    await beat('fail', 'exit status 2: disk full');
  });
  afterAll(async () => {
    await t?.app.monitoring.stop();
    await t?.close();
  });
  const browser = useBrowser(() => ({ baseURL: t.panelUrl }));
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
  async function logIn(page: Page, who: Account) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await submitWith(page, button(page, 'Log in'));
  }

  it('draws the chart, acknowledges the problem and silences it with a reason', async () => {
    const page = await browser.newPage();
    const fromElsewhere: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(t.panelUrl)) fromElsewhere.push(r.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => void (r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`)));
    await logIn(page, customer);

    await page.goto('/monitoring');
    const row = page.locator('tr', { hasText: 'nightly backup' });
    expect(await row.innerText()).toMatch(/down/i);
    await row.getByRole('link', { name: /nightly backup/ }).click();
    await page.waitForSelector('.uplot canvas');
    expect(await page.locator('.chart-fallback').count()).toBe(0);
    expect(await page.locator('[data-last]').innerText()).toBe('exit status 2: disk full');
    // 60 good minutes and one failed: 60 of 61.
    expect((await page.locator('.uptime').innerText()).split('\n')).toEqual([
      '98.36 % 24 hours',
      '98.36 % 7 days',
      '98.36 % 30 days',
    ]);

    await page.getByLabel('Comment').fill('restoring the disk');
    await submitWith(page, button(page, 'Acknowledge'));
    expect(await page.locator('body').innerText()).toMatch(/Acknowledged by/);
    expect(t.app.monitoring.engine.state(checkId)?.ack?.comment).toBe('restoring the disk');

    await page.getByLabel('For how long').fill('2h');
    await page.getByLabel('Why').fill('disk replacement');
    await submitWith(page, button(page, 'Silence'));
    expect(await page.locator('body').innerText()).toMatch(/Silenced for 2h more/);
    expect(t.app.monitoring.engine.state(checkId)?.silence?.reason).toBe('disk replacement');

    expect(fromElsewhere).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows another customer 404 for the check', async () => {
    const page = await browser.newPage();
    await logIn(page, other);
    const reply = await page.goto(`/monitoring/checks/${checkId}`);
    expect(reply?.status()).toBe(404);
    await page.goto('/monitoring');
    expect(await page.locator('body').innerText()).not.toContain('nightly backup');
  });
});
