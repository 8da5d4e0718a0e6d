// A customer's Raspberry Pi in real Chromium: upload a key, order a Pi and watch it boot, log in
// with OpenSSH's own ssh, reboot, write a file, re-image and find it gone; another account gets
// 404 in the panel and the API's "Not authorised", exactly as for a Pi that does not exist.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import { buildAccount, buildApiKey, loggedIn, TEST_PASSWORD } from '../fixtures/builders.js';
import { keyPair, piConfig, ssh } from '../picloud/support.js';
import { chromiumMissing, useBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { submitWith } from './xss-watch.js';

const exec = promisify(execFile);
const skip = chromiumMissing || missingTools('ssh', 'ssh-keygen').length > 0;

describe.skipIf(skip)('a customer’s Raspberry Pi in the browser', () => {
  let t: TestServer;
  let owner: Account;
  let intruder: Account;
  beforeAll(async () => {
    // A twentieth of real hardware time: long enough to watch the boot steps go by.
    t = await startTestServer({ config: piConfig({}, { timeScale: 0.05 }) });
    await buildAccount(t.app, { role: 'admin', email: 'admin@bestiary.example' });
    owner = await buildAccount(t.app);
    intruder = await buildAccount(t.app);
    await t.app.picloud.start({ runJobs: true });
  });
  afterAll(async () => {
    await t?.app.picloud.stop(0);
    await t?.close();
  });
  const browser = useBrowser(() => ({ baseURL: t.panelUrl }));
  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  async function logIn(page: Page, email: string) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await submitWith(page, button(page, 'Log in'));
  }

  /** Wait for the page to follow the boot to its end and show the ssh command; its port. */
  async function livePort(page: Page): Promise<number> {
    const command = page.locator('[data-ssh-command]');
    await command.waitFor({ timeout: 30_000 });
    const text = await command.innerText();
    expect(text).toMatch(/^ssh -p \d+ root@127\.0\.0\.1$/);
    return Number(/-p (\d+)/.exec(text)![1]);
  }

  it('uploads a key, orders a Pi, logs in over SSH, reboots and re-images it', async () => {
    const key = await keyPair();
    const page = await browser.newPage();
    await logIn(page, owner.email);

    // A private key is refused with a clear message; the public one is uploaded as a file.
    await page.getByRole('link', { name: 'SSH keys', exact: true }).click();
    await page.getByLabel('Public key').fill('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n');
    await submitWith(page, button(page, 'Add key'));
    expect(await page.locator('.problems').innerText()).toContain('This looks like a PRIVATE key');
    await page.getByLabel('Label').fill('laptop');
    await page.setInputFiles('#file', `${key.file}.pub`);
    await submitWith(page, button(page, 'Add key'));
    const { stdout } = await exec('ssh-keygen', ['-lf', `${key.file}.pub`]);
    const fingerprint = stdout.split(' ')[1]!;
    expect(await page.locator('.flash').innerText()).toContain(fingerprint);
    expect(await page.locator('table').innerText()).toContain('laptop');

    // Order: the page shows the boot steps, then the exact command to log in.
    await page.getByRole('link', { name: 'Raspberry Pi', exact: true }).click();
    await page.getByRole('link', { name: 'Order a Pi' }).click();
    await page.getByLabel('Model').selectOption('3B|1024|1200');
    await page.getByLabel('Name (optional)').fill('browserpi');
    await submitWith(page, button(page, 'Order this Pi'));
    expect(await page.locator('h1').innerText()).toBe('browserpi');
    expect(await page.locator('ol.steps li').allInnerTexts()).toEqual([
      'Power on',
      'DHCP',
      'Bootloader',
      'Kernel',
      'Root filesystem',
      'SSH up',
    ]);
    let port = await livePort(page);
    expect((await ssh(key.file, port, 'hostname; uname -m')).stdout).toBe('browserpi\naarch64\n');
    expect(await page.locator('dl').innerText()).toMatch(/Temperature\s+\d+\.\d °C/);

    // Reboot: files survive it.
    expect((await ssh(key.file, port, 'echo precious > /root/file')).code).toBe(0);
    await submitWith(page, button(page, 'Reboot'));
    expect(await page.locator('.flash').innerText()).toBe('Rebooting.');
    port = await livePort(page);
    expect((await ssh(key.file, port, 'cat /root/file')).stdout).toBe('precious\n');

    // Re-image: the name must be typed; afterwards the file is gone and a receipt says so.
    await page.locator('#confirm-reimage').fill('not-the-name');
    await submitWith(page, button(page, 'Delete all data and re-image'));
    expect(await page.locator('.flash').innerText()).toContain('Nothing was done');
    await page.locator('#confirm-reimage').fill('browserpi');
    await submitWith(page, button(page, 'Delete all data and re-image'));
    port = await livePort(page);
    const after = await ssh(key.file, port, 'ls /root; cat /root/file');
    expect(after.stdout).not.toContain('file');
    expect(after.code).not.toBe(0);
    await page.getByRole('link', { name: /UTC: done/ }).click();
    expect(await page.locator('[data-receipt]').innerText()).toMatch(/was deleted/);
  });

  it('shows another account 404 in the panel and the API’s 403 for a Pi that does not exist', async () => {
    const page = await browser.newPage();
    await logIn(page, intruder.email);
    for (const path of ['/pi/browserpi', '/pi/browserpi/progress.json']) {
      const theirs = await page.goto(path);
      const none = await page.goto(path.replace('browserpi', 'nosuchpi'));
      expect([theirs!.status(), none!.status()]).toEqual([404, 404]);
    }
    expect(await page.goto('/pi').then(() => page.locator('main').innerText())).not.toContain(
      'browserpi',
    );
    const client = await loggedIn(t.app, intruder);
    const reboot = (await client.post('/pi/browserpi/reboot', {}, { csrfFrom: '/pi' })).status;
    expect(reboot).toBe(404);

    const { key, secret } = await buildApiKey(t.app, intruder, ['pi:rw']);
    const auth = `Basic ${Buffer.from(`${key.id}:${secret}`).toString('base64')}`;
    const get = (name: string) =>
      fetch(`${t.apiUrl}/beta/pi/servers/${name}`, { headers: { authorization: auth } });
    const [theirs, none] = [await get('browserpi'), await get('nosuchpi')];
    expect([theirs.status, await theirs.text()]).toEqual([403, '{"error":"Not authorised"}\n']);
    expect([none.status, await none.text()]).toEqual([403, '{"error":"Not authorised"}\n']);
  });
});
