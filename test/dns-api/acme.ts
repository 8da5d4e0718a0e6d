// Real ACME for the client tests: Debian's pebble, validating DNS-01 for real through Bestiary's
// own DNS server (-dnsserver; no PEBBLE_VA_ALWAYS_VALID), on free loopback ports (apis.md §7.1).
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { App } from '../../src/main.js';
import type { TestServer } from '../support/server.js';
import { freePort, startTestServer } from '../support/server.js';

export const run = promisify(execFile);

export interface Pebble {
  /** The ACME directory URL. */
  url: string;
  /** pebble's self-signed certificate, for clients to trust. */
  certFile: string;
  /** A private temp dir for the client's own files. */
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startPebble(dnsPort: number): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'bestiary-pebble-'));
  const certFile = join(dir, 'pebble-cert.pem');
  const keyFile = join(dir, 'pebble-key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  const [port, management, http, tls] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${port}`,
      managementListenAddress: `127.0.0.1:${management}`,
      certificate: certFile,
      privateKey: keyFile,
      httpPort: http,
      tlsPort: tls,
    },
  };
  writeFileSync(join(dir, 'pebble.json'), JSON.stringify(config));
  const child: ChildProcess = spawn(
    'pebble',
    ['-config', join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`],
    {
      env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pebble did not start:\n${log}`)), 20_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('ACME directory available')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`pebble exited (${code}):\n${log}`)));
  });
  return {
    url: `https://127.0.0.1:${port}/dir`,
    certFile,
    dir,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** TXT queries our DNS server has answered: proof that pebble really asked us. */
export async function txtQueries(app: App): Promise<number> {
  const text = await app.registry.metrics();
  return [...text.matchAll(/^bestiary_dns_queries_total\{[^}]*qtype="TXT"[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** The DNS names in a PEM certificate's subjectAltName. */
export async function certificateNames(pemFile: string): Promise<string[]> {
  const { stdout } = await run('openssl', [
    'x509',
    '-in',
    pemFile,
    '-noout',
    '-ext',
    'subjectAltName',
  ]);
  return [...stdout.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]!).sort();
}

/** Bestiary with its DNS server on a free port, and a pebble validating through it. */
export interface AcmeLab {
  server: TestServer;
  pebble: Pebble;
  dnsPort: number;
  stop(): Promise<void>;
}

export async function startAcmeLab(): Promise<AcmeLab> {
  const dnsPort = await freePort();
  const server = await startTestServer({
    config: { dns: { listen: `127.0.0.1:${dnsPort}`, rrlPerSecond: 0 } },
  });
  await server.app.dns.start();
  const pebble = await startPebble(dnsPort);
  return {
    server,
    pebble,
    dnsPort,
    async stop() {
      await pebble.stop();
      await server.app.dns.stop();
      await server.close();
    },
  };
}

/**
 * Run Debian's lego against the lab's pebble for `domains` with DNS provider `provider`, which
 * reads its settings from `env`; returns lego's output and where its files went. A failure
 * carries lego's and pebble's output.
 */
export async function runLego(
  lab: AcmeLab,
  provider: string,
  domains: readonly string[],
  env: Record<string, string>,
): Promise<{ output: string; path: string }> {
  const path = join(lab.pebble.dir, `lego-${provider}`);
  try {
    const result = await run(
      'lego',
      [
        '--server',
        lab.pebble.url,
        '--accept-tos',
        '--email',
        'admin@example.com',
        '--path',
        path,
        ...domains.flatMap((d) => ['--domains', d]),
        '--dns',
        provider,
        '--dns.resolvers',
        `127.0.0.1:${lab.dnsPort}`,
        '--dns.disable-cp',
        'run',
      ],
      {
        env: { ...process.env, ...env, LEGO_CA_CERTIFICATES: lab.pebble.certFile },
        timeout: 90_000,
      },
    );
    return { output: result.stdout + result.stderr, path };
  } catch (e) {
    throw clientFailed('lego', lab.pebble, e);
  }
}

/** A client's failure with its own output and pebble's, so the reason is in the test report. */
export function clientFailed(client: string, pebble: Pebble, e: unknown): Error {
  const err = e as { stdout?: string; stderr?: string };
  return new Error(`${client} failed:\n${err.stdout}${err.stderr}\npebble:\n${pebble.output()}`, {
    cause: e,
  });
}
