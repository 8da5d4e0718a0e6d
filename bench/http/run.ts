// bench/http: requests per second and latency at 50 concurrent clients for the logged-in
// dashboard, the domain search page and the token exchange, beside a bare node:http server
// answering a page of the same size (the ceiling for this machine and runtime).
//   node --import tsx bench/http/run.ts [--seconds 10] [--connections 50]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
  },
});
const duration = Number(values.seconds);
const connections = Number(values.connections);
const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bestiary-bench-'));
const [panelPort, apiPort, peerPort] = [18180, 18181, 18182];
const panel = `http://127.0.0.1:${panelPort}`;
const api = `http://127.0.0.1:${apiPort}`;

const generous = { limit: 10_000_000, windowSeconds: 60 };
writeFileSync(
  join(dir, 'config.json'),
  JSON.stringify({
    dataDir: join(dir, 'data'),
    logLevel: 'warn',
    panel: { listen: [`127.0.0.1:${panelPort}`], publicUrl: panel },
    api: { listen: [`127.0.0.1:${apiPort}`], publicUrl: api },
    rateLimits: Object.fromEntries(
      [
        'loginPerIp',
        'loginPerAccount',
        'signupPerIp',
        'resetPerIp',
        'resetPerAccount',
        'tokenPerIp',
        'tokenPerKey',
      ].map((k) => [k, generous]),
    ),
  }),
);
const env = { ...process.env, BESTIARY_CONFIG: join(dir, 'config.json') };

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)),
    );
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never came up`);
}

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, options: Partial<autocannon.Options> = {}): Promise<Result> {
  const r = await autocannon({ url, connections, duration, ...options });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

const children: ChildProcess[] = [];
try {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/bin/server.ts'], {
    cwd: root,
    env,
    stdio: 'ignore',
  });
  children.push(server);
  await waitFor(`${panel}/healthz`);
  await run([
    'src/bin/cli.ts',
    'create-account',
    '--email',
    'bench@example.com',
    '--password',
    'bench password 123',
  ]);
  const keyOut = await run([
    'src/bin/cli.ts',
    'api-key',
    'create',
    '--account',
    'bench@example.com',
    '--scope',
    'dns:rw',
  ]);
  const keyId = /key id: (\S+)/.exec(keyOut)![1]!;
  const secret = /secret: (\S+)/.exec(keyOut)![1]!;

  const loginPage = await fetch(`${panel}/login`);
  const anon = cookiesOf(loginPage);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
  const login = await fetch(`${panel}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: anon, origin: panel, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      _csrf: csrf,
      email: 'bench@example.com',
      password: 'bench password 123',
    }),
  });
  const session = cookiesOf(login);
  const dashboard = await fetch(`${panel}/`, { headers: { cookie: session } });
  const pageSize = (await dashboard.text()).length;
  if (!dashboard.ok || pageSize < 500) throw new Error('not logged in');

  // The peer: node:http answering a fixed page of the dashboard's size.
  const peer = spawn(
    process.execPath,
    [
      '-e',
      `const b='x'.repeat(${pageSize});require('http').createServer((q,s)=>{s.writeHead(200,{'content-type':'text/html'});s.end(b)}).listen(${peerPort},'127.0.0.1')`,
    ],
    { stdio: 'ignore' },
  );
  children.push(peer);
  await waitFor(`http://127.0.0.1:${peerPort}/`);

  const results: [string, Result][] = [];
  results.push([
    'logged-in dashboard (GET /)',
    await load(`${panel}/`, { headers: { cookie: session } }),
  ]);
  results.push([
    'domain search (GET /domains/search?q=example)',
    await load(`${panel}/domains/search?q=example`),
  ]);
  results.push([
    'token exchange (POST /login)',
    await load(`${api}/login`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }),
  ]);
  results.push([
    `peer: bare node:http, ${pageSize}-byte page`,
    await load(`http://127.0.0.1:${peerPort}/`),
  ]);

  console.log(
    `\nbench/http — ${connections} connections, ${duration} s each, ${cpus().length} CPUs, Node ${process.version}, SQLite\n`,
  );
  console.log('| scenario | req/s | p50 ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, r] of results)
    console.log(`| ${name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
