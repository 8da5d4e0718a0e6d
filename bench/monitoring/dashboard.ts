// Dashboard bench: N checks (default 10,000) in the real app on real sockets, rendered in Chromium.
// Reports, per page, the server's answer time and the browser's time to a rendered page (p50/max of
// several loads): the operator's dashboard (every check), a filter, a search, a check's page with its
// uPlot chart drawn, the public status page, and the API's list of all checks.
// Usage: node --import tsx bench/monitoring/dashboard.ts [checks=10000] [rounds=7] [publicEvery=100]
import { buildAccount, buildApiKey, TEST_PASSWORD } from '../../test/fixtures/builders.js';
import { launchChromium } from '../../test/support/browser.js';
import { basic } from '../../test/support/clients.js';
import { startTestServer } from '../../test/support/server.js';

const size = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 7);
const publicEvery = Number(process.argv[4] ?? 100);
const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const t = await startTestServer({
  config: { monitoring: { maxChecksPerAccount: size + 10 } },
});
const admin = await buildAccount(t.app, { role: 'admin' });
const operator = { accountId: admin.id, ip: '127.0.0.1', channel: 'panel' as const, isAdmin: true };
await t.app.monitoring.start();

// The checks: push checks, so states can be set without any target. 90 % up, 5 % down with a
// message, 5 % never heard from (unknown); one in `publicEvery` on the public status page.
const t0 = performance.now();
const ids: string[] = [];
for (let i = 0; i < size; i++) {
  const def = await t.app.monitoring.checks.create(
    operator,
    {
      name: `managed pi:host${String(i).padStart(5, '0')}-${i % 2 ? 'web' : 'ssh'}`,
      type: 'push',
      params: { periodMs: 3_600_000, graceMs: 600_000 },
      downRetries: 1,
      public: i % publicEvery === 0,
    },
    { provider: true },
  );
  ids.push(def.id);
}
// An hour of one result a minute for the chart of the first check.
for (let m = 0; m < 60; m++) {
  t.clock.advance(60_000);
  t.app.monitoring.engine.beat(ids[0]!, 'success');
}
ids.forEach((id, i) => {
  if (i % 20 === 1) t.app.monitoring.engine.beat(id, 'fail', 'exit status 2: disk full');
  else if (i % 20 !== 2) t.app.monitoring.engine.beat(id, 'success');
});
await t.app.monitoring.engine.flush();

const browser = await launchChromium();
const context = await browser.newContext({ baseURL: t.panelUrl });
const page = await context.newPage();
await page.goto('/login');
await page.getByLabel('Email').fill(admin.email);
await page.getByLabel('Password').fill(TEST_PASSWORD);
await Promise.all([
  page.waitForURL((u) => !u.pathname.startsWith('/login')),
  page.getByRole('button', { name: 'Log in', exact: true }).click(),
]);

/** Load a page `rounds` times; server = request to last byte, rendered = navigation start to load (or the chart drawn). */
async function measure(path: string, ready?: string) {
  const server: number[] = [];
  const rendered: number[] = [];
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    await page.goto(path, { waitUntil: 'load', timeout: 180_000 });
    if (ready) await page.waitForSelector(ready);
    const nav = await page.evaluate(() => {
      // Runs in the page: the DOM's PerformanceNavigationTiming, which Node's types do not know.
      const n = performance.getEntriesByType('navigation' as never)[0] as unknown as {
        responseEnd: number;
        requestStart: number;
        loadEventEnd: number;
        transferSize: number;
      };
      return {
        server: n.responseEnd - n.requestStart,
        load: n.loadEventEnd,
        bytes: n.transferSize,
        now: performance.now(),
      };
    });
    server.push(nav.server);
    rendered.push(ready ? nav.now : nav.load);
    bytes = nav.bytes;
  }
  return { path, server, rendered, bytes };
}

console.log(
  `${size} checks (${Math.ceil(size / publicEvery)} public) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${rounds} loads each\n`,
);
console.log('| page | server answer p50 / max | rendered in Chromium p50 / max | transfer |');
console.log('| --- | --- | --- | --- |');
for (const [path, ready] of [
  ['/monitoring'],
  ['/monitoring?status=down'],
  ['/monitoring?q=host09999'],
  ['/monitoring?page=50'],
  [`/monitoring/checks/${ids[0]}`, '.uplot canvas'],
  ['/status'],
] as Array<[string, string?]>) {
  const r = await measure(path, ready);
  if (path === '/monitoring') console.log(`(${await page.locator('.pager span').innerText()})`);
  console.log(
    `| \`${r.path.replace(ids[0]!, ':id')}\` | ${pct(r.server, 0.5).toFixed(0)} / ${Math.max(...r.server).toFixed(0)} ms | ${pct(r.rendered, 0.5).toFixed(0)} / ${Math.max(...r.rendered).toFixed(0)} ms | ${(r.bytes / 1024).toFixed(0)} kB |`,
  );
}

// The API's list of every check, as a script would read it.
const { key, secret } = await buildApiKey(t.app, admin, ['monitoring:ro']);
const api: number[] = [];
let apiBytes = 0;
for (let r = 0; r < rounds; r++) {
  const a = performance.now();
  const res = await fetch(`${t.apiUrl}/beta/monitoring/checks`, {
    headers: { authorization: basic(key.id, secret) },
  });
  apiBytes = (await res.arrayBuffer()).byteLength;
  api.push(performance.now() - a);
}

console.log(
  `| API \`GET /beta/monitoring/checks\` | ${pct(api, 0.5).toFixed(0)} / ${Math.max(...api).toFixed(0)} ms | – | ${(apiBytes / 1024).toFixed(0)} kB |`,
);

await browser.close();
await t.app.monitoring.stop();
await t.close();
process.exit(0);
