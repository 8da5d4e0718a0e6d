// Real Chromium for browser tests: Debian's chromium driven by playwright-core, one browser per
// test file and a fresh context (cookies, storage, cache) per test. A file without chromium
// skips with the reason printed (or fails under BESTIARY_REQUIRE_ALL=1, see tools.ts).
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { findTool, missingTools } from './tools.js';

/** True when chromium is not installed; use with describe.skipIf. */
export const chromiumMissing = missingTools('chromium').length > 0;

/**
 * Launch headless Chromium. Playwright refuses a --user-data-dir argument to launch(): it gives
 * every launched browser a fresh temporary profile of its own and deletes it on close, which is
 * what we want (launchPersistentContext would allow only one context per browser).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findTool('chromium') ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export interface BrowserHarness {
  readonly browser: Browser;
  /** This test's context: fresh for every test, closed after it. */
  readonly context: BrowserContext;
  /** A new tab in this test's context. */
  newPage(): Promise<Page>;
}

/**
 * Register hooks that launch one browser for the file and give each test a fresh context.
 * `options` is read when each test starts, so it may use values set up in beforeAll (a URL).
 */
export function useBrowser(options: () => BrowserContextOptions = () => ({})): BrowserHarness {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser!.newContext(options());
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser is not running: call useBrowser() at file level');
      return browser;
    },
    get context() {
      if (!context) throw new Error('no browser context outside a test');
      return context;
    },
    newPage() {
      return this.context.newPage();
    },
  };
}
