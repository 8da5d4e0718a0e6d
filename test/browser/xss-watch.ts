// Seeing XSS in a real page: dialogs (alert, confirm, prompt), the window.__xss marker, elements
// and attributes no panel page contains (handlers, scripts, SVG, javascript: URLs), a missing
// or weakened Content-Security-Policy, and shown values that differ from what was sent.
//
// Pages are loaded two ways. A real load navigates, or clicks the form's button. A quick load
// makes the same request from inside the page (fetch: the browser's cookies and Origin, the
// form's own fields) and has Chromium parse and run the answer in place, as page.setContent
// does, all in one call: a fraction of a navigation's cost, so every payload can go through
// every field.
import type { BrowserContext, Page } from 'playwright-core';

/** Runs in the page (strings, as the tests are type-checked without the DOM library). */
const inspect = `() => {
  const found = [];
  if (window.__xss) found.push('window.__xss was set');
  const injected = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'svg', 'math', 'img',
    'image', 'video', 'audio', 'source', 'base', 'marquee', 'details', 'style', 'template',
    'noscript', 'b', 'i', 'x']);
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href']);
  const forbidden = new Set(['style', 'srcdoc', 'formaction', 'autofocus']);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (injected.has(tag)) found.push('an injected <' + tag + '>');
    if (tag === 'script' && el.getAttribute('src') !== '/assets/app.js') found.push('a <script> other than app.js');
    if (tag === 'link' && el.getAttribute('href') !== '/assets/app.css') found.push('a <link> other than app.css');
    if (tag === 'meta' && el.hasAttribute('http-equiv')) found.push('a <meta http-equiv>');
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) || forbidden.has(a.name)) found.push('<' + tag + ' ' + a.name + '>');
      const url = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (urlAttributes.has(a.name) && /^(javascript|vbscript|data):/.test(url)) found.push('<' + tag + ' ' + a.name + '="' + a.value + '">');
    }
  }
  return found;
}`;

/** Values on the page: "selector" is the first match's text, "selector@name" an attribute. */
const readPage = `(read) => Object.fromEntries(Object.entries(read).map(([key, spec]) => {
  const [selector, name] = spec.split('@');
  const el = document.querySelector(selector);
  return [key, !el ? null : name ? el.getAttribute(name) : el.textContent];
}))`;

/**
 * One visit in one call. Clear the marker. Fill a form's fields (adding hidden ones it lacks,
 * as a tampering client would; a form missing from the page is the one last seen there, or is
 * taken from the page `from`) and leave it for a click or send it with fetch; or fetch a page.
 * A fetched answer replaces the document, parsed and run by Chromium as a loaded page is, and
 * the page is inspected and read once it has loaded.
 */
const visitPage = `async ({ path, form: selector, from, action, fields, send, read }) => {
  const late = !!window.__xss;
  window.__xss = undefined;
  let sent = {};
  let res;
  if (selector) {
    const forms = (window.__forms ??= {});
    let form = document.querySelector(selector);
    if (form) forms[selector] = '<!doctype html>' + form.outerHTML;
    else if (from) {
      const html = (forms[selector] ??= await (await fetch(from)).text());
      form = new DOMParser().parseFromString(html, 'text/html').querySelector(selector);
    }
    if (!form) throw new Error('no ' + selector + ' on ' + (from || location.pathname));
    if (action) form.setAttribute('action', action);
    form.setAttribute('novalidate', '');
    form.setAttribute('data-xss-form', '');
    for (const [name, value] of Object.entries(fields)) {
      let input = form.elements.namedItem(name);
      if (!input) {
        input = form.ownerDocument.createElement('input');
        Object.assign(input, { type: 'hidden', name });
        form.append(input);
      }
      input.value = value;
    }
    const body = new URLSearchParams(new FormData(form));
    sent = Object.fromEntries(body);
    if (send) res = await fetch(form.getAttribute('action'), { method: 'POST', body });
  } else if (send) res = await fetch(path);
  if (!res) return { late, sent };
  const html = await res.text();
  document.open();
  document.write(html);
  document.close();
  if (document.readyState !== 'complete')
    await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  const csp = res.headers.get('content-security-policy');
  return { late, sent, csp, found: (${inspect})(), shown: (${readPage})(read) };
}`;

/** Call a function given as source in the page (Playwright does not pass arguments to those). */
const call = <R>(page: Page, source: string, arg: unknown) =>
  page.evaluate<R>(`(${source})(${JSON.stringify(arg)})`);

interface Visited {
  late: boolean;
  sent: Record<string, string>;
  csp?: string | null;
  found?: string[];
  shown?: Record<string, string | null>;
}

/** How HTML parsing changes text: CR and CRLF become LF; NUL is dropped or replaced. */
export const parsed = (text: string) => text.replace(/\r\n?/g, '\n').replace(/[\0\uFFFD]/g, '');

export interface FormRequest {
  /** The form to fill, e.g. 'form[action="/signup"]'. */
  form: string;
  fields: Record<string, string>;
  /** Where the form is, when the page may not show it (after a success page). */
  from?: string;
  /** Send the form somewhere else, as a tampering client would. */
  action?: string;
}

/** What to load: a page, or a form to fill and send. */
export type Load = { path: string } | FormRequest;

export interface Seen {
  /** The form's fields as sent. */
  sent: Record<string, string>;
  /** The values asked for, as the page shows them. */
  shown: Record<string, string | null>;
}

export interface Watch {
  page: Page;
  /**
   * Load a page (navigating or clicking when `real`, quickly otherwise), report anything
   * suspicious on it as `what`, and read `read` from it ("selector" or "selector@attribute").
   */
  load(what: string, load: Load, real: boolean, read?: Record<string, string>): Promise<Seen>;
  /** Inspect the page now showing `what`; anything suspicious is added to the findings. */
  check(what: string): Promise<void>;
  /** Note a difference between what was sent and what the page shows. */
  expectShown(what: string, shown: string | null | undefined, sent: string): void;
  /** Report dialogs not yet put down to a page. */
  flush(what: string): void;
}

const weakCsp = (csp: string | null | undefined) =>
  !csp?.includes("script-src 'self'") || csp.includes("'unsafe-inline'");

/**
 * Watch a page: every dialog and every panel document without a strict CSP is a finding, and
 * each load is inspected for injected markup.
 */
export function watchPage(page: Page, panelUrl: string, findings: string[]): Watch {
  // Dialogs open while a page loads, before it is inspected: they wait for its name.
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`a ${dialog.type()} dialog opened (${dialog.message()})`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('response', (response) => {
    if (!response.request().isNavigationRequest() || !response.url().startsWith(panelUrl)) return;
    const csp = response.headers()['content-security-policy'];
    if (weakCsp(csp)) problems.push(`${response.url()} has a weak CSP: ${csp}`);
  });
  const report = (what: string, found: string[]) => {
    for (const f of [...problems.splice(0), ...found]) findings.push(`${what}: ${f}`);
  };
  const watch: Watch = {
    page,
    async load(what, load, real, read = {}) {
      const form = 'form' in load ? load : undefined;
      if (real && !form) await page.goto((load as { path: string }).path);
      if (real && form?.from && (await page.locator(form.form).count()) === 0)
        await page.goto(form.from);
      const visited = await call<Visited>(page, visitPage, { ...load, send: !real, read });
      if (visited.late) findings.push(`before ${what}: window.__xss was set after a check`);
      if (!real) {
        if (weakCsp(visited.csp)) problems.push(`a weak CSP: ${visited.csp}`);
        report(what, visited.found ?? []);
        return { sent: visited.sent, shown: visited.shown ?? {} };
      }
      if (form) await submitWith(page, page.locator('form[data-xss-form] button[type="submit"]'));
      await watch.check(what);
      return { sent: visited.sent, shown: await call(page, readPage, read) };
    },
    async check(what) {
      report(what, await page.evaluate<string[]>(`(${inspect})()`));
    },
    flush(what) {
      report(what, []);
    },
    expectShown(what, shown, sent) {
      if (shown === null || shown === undefined || parsed(shown) !== parsed(sent))
        findings.push(`${what}: shows ${JSON.stringify(shown)} instead of ${JSON.stringify(sent)}`);
    },
  };
  return watch;
}

/**
 * Work through `items` with `tabs` pages of one context at once, each page watched. `start`
 * is where a fresh page begins. A thrown error is a finding too, and its page starts afresh.
 */
export async function inTabs<T>(
  context: BrowserContext,
  panelUrl: string,
  findings: string[],
  items: readonly T[],
  visit: (watch: Watch, item: T, index: number) => Promise<void>,
  options: { tabs?: number; start?: string } = {},
): Promise<number> {
  let next = 0;
  let done = 0;
  // One visit first: a context without cookies would get a different anonymous CSRF cookie in
  // each tab that loads at the same moment, and only the last one set would match its forms.
  const first = await context.newPage();
  await first.goto(options.start ?? '/');
  await first.close();
  const worker = async () => {
    const page = await context.newPage();
    const watch = watchPage(page, panelUrl, findings);
    await page.goto(options.start ?? '/');
    for (let i = next++; i < items.length; i = next++) {
      try {
        await visit(watch, items[i]!, i);
        done++;
      } catch (e) {
        findings.push(`item #${i} (${JSON.stringify(items[i])}): ${(e as Error).message}`);
        await page.goto(options.start ?? '/');
      }
    }
    watch.flush('after the last page');
    await page.close();
  };
  await Promise.all(Array.from({ length: options.tabs ?? 3 }, worker));
  return done;
}

/** Click a button that submits a form and wait for the page it leads to. */
export async function submitWith(page: Page, button: ReturnType<Page['locator']>): Promise<void> {
  await Promise.all([page.waitForNavigation(), button.click()]);
}
