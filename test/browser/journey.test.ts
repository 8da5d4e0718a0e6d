// A customer's first day, in real Chromium through the panel's own pages: sign up with the
// emailed link, log out and in, turn on two-factor authentication, create an API key that
// works, and search for, order and receive a domain.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../src/accounts/index.js';
import { chromiumMissing, useBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { submitWith } from './xss-watch.js';

const EMAIL = 'wren@example.com';
const PASSWORD = 'a long enough password';

describe.skipIf(chromiumMissing)('a customer in the browser', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());
  const browser = useBrowser(() => ({ baseURL: t.panelUrl }));

  const heading = (page: Page) => page.locator('h1').innerText();
  const flash = (page: Page) => page.locator('.flash').innerText();
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
  const nextStep = () => t.clock.advance(30_000); // a TOTP code is accepted once per 30 s step

  async function logIn(page: Page, code?: () => string) {
    await page.getByRole('link', { name: 'Log in', exact: true }).click();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await submitWith(page, button(page, 'Log in'));
    if (code) {
      expect(await heading(page)).toBe('Two-factor authentication');
      await page.getByLabel('Code').fill(code());
      await submitWith(page, button(page, 'Continue'));
    }
    expect(await heading(page)).toBe('Dashboard');
    expect(await page.locator('header .email').innerText()).toBe(EMAIL);
  }

  async function logOut(page: Page) {
    await submitWith(page, button(page, 'Log out'));
    expect(await page.locator('header').innerText()).toContain('Sign up');
  }

  it('signs up, secures the account, creates a key and orders a domain', async () => {
    const page = await browser.newPage();
    await page.goto('/');

    // Sign up, and open the account from the emailed link.
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Your name').fill('Wren Jones');
    await page.getByLabel('Password').fill(PASSWORD);
    await submitWith(page, button(page, 'Create account'));
    expect(await heading(page)).toBe('Check your email');
    expect(await page.locator('main').innerText()).toContain(EMAIL);
    const [mail] = (await t.app.mailer.list(10)).filter((m) => m.to_address === EMAIL);
    const link = /https?:\/\/\S+/.exec(mail!.body)![0];
    expect(link.startsWith(`${t.panelUrl}/signup/confirm?token=`)).toBe(true);
    await page.goto(link);
    await submitWith(page, button(page, 'Open my account'));
    expect(await heading(page)).toBe('Dashboard');
    expect(await flash(page)).toBe('Welcome! Your account is open.');

    await logOut(page);
    await logIn(page);

    // Two-factor authentication, with the key shown on the page.
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    expect(await page.locator('dl').innerText()).toContain('Wren Jones');
    await page.getByRole('link', { name: 'Turn on' }).click();
    const secret = (await page.locator('code.secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel('Code from the app').fill(totpAt(secret, t.clock.now()));
    await submitWith(page, button(page, 'Turn on two-factor authentication'));
    expect(await heading(page)).toBe('Two-factor authentication is on');
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBeGreaterThan(5);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await logOut(page);
    nextStep();
    await logIn(page, () => totpAt(secret, t.clock.now()));

    // An API key: its secret shown once, and good for a bearer token.
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Label').fill('certbot on web1');
    await page.getByLabel('DNS', { exact: true }).selectOption('write');
    await page.getByLabel('Zones').fill('example.com');
    await submitWith(page, button(page, 'Create key'));
    expect(await heading(page)).toBe('Your new API key');
    const keyId = await page.getByTestId('key-id').innerText();
    const keySecret = await page.getByTestId('key-secret').innerText();
    expect(keyId).not.toBe('');
    expect(keySecret.length).toBeGreaterThanOrEqual(32);
    await page.getByRole('link', { name: 'Back to your keys' }).click();
    const list = await page.locator('main table').innerText();
    expect(list).toContain('certbot on web1');
    expect(list).toContain(keyId);
    expect(list).toContain('DNS read-write; zones example.com');
    expect(await page.content()).not.toContain(keySecret);
    const tokenReply = await fetch(`${t.apiUrl}/login`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(tokenReply.status).toBe(200);
    const token = (await tokenReply.json()) as { access_token: string; token_type: string };
    expect(token.token_type.toLowerCase()).toBe('bearer');
    expect(token.access_token.length).toBeGreaterThan(20);

    // Search, cart, order, registration.
    await page.getByRole('link', { name: 'Search domains' }).click();
    await page.getByLabel('Find a domain').fill('wren-jones');
    await submitWith(page, button(page, 'Search'));
    const row = page.locator('tr', { hasText: 'wren-jones.org' });
    expect(await row.innerText()).toContain('Available');
    await submitWith(page, row.getByRole('button', { name: 'Add to cart' }));
    expect(await heading(page)).toBe('Your cart');
    expect(await flash(page)).toBe('wren-jones.org is in your cart.');
    await submitWith(page, button(page, 'Place order'));
    expect(await flash(page)).toBe('Thank you: your order has been placed.');
    expect(await page.locator('main').innerText()).toContain('wren-jones.org');

    await t.app.jobs.drain();
    await page.getByRole('link', { name: 'Your domains' }).click();
    expect(await heading(page)).toBe('Your domains');
    const cells = await page
      .locator('tr', { hasText: 'wren-jones.org' })
      .locator('td')
      .allInnerTexts();
    expect(cells[0]).toBe('wren-jones.org');
    expect(cells[1]).toBe('registered');
    const expected = new Date(t.clock.now());
    expected.setUTCFullYear(expected.getUTCFullYear() + 1);
    expect(cells[2]).toBe(expected.toISOString().slice(0, 10));
  });
});
