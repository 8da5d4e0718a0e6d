// Real IRC servers for the tests: InspIRCd (disconnects floods) and ngIRCd, each on a private loopback port.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from '../../support/tls.js';

export type IrcdKind = 'inspircd' | 'ngircd';

export interface Ircd {
  kind: IrcdKind;
  port: number;
  /** InspIRCd with `{ tls: true }`: a second port speaking TLS (self-signed, CN=localhost). */
  tlsPort: number | null;
  start(): Promise<void>;
  /** SIGKILL: the way a crashed server goes, no goodbyes to clients. */
  kill(): Promise<void>;
  log(): string;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitListening(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`IRC server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function inspircdConfig(dir: string, port: number, tlsPort: number | null): string {
  const tls =
    tlsPort === null
      ? ''
      : `<module name="ssl_gnutls">
<sslprofile name="tls" provider="gnutls" certfile="${dir}/cert.pem" keyfile="${dir}/key.pem" hash="sha256" requestclientcert="no">
<bind address="127.0.0.1" port="${tlsPort}" type="clients" sslprofile="tls">
`;
  // The flood limits measured in the reference: 10 lines at once disconnect with "Excess Flood".
  return `<server name="irc.insp.test" description="test" network="TestNet">
<admin name="t" nick="t" email="t@t">
${tls}<bind address="127.0.0.1" port="${port}" type="clients">
<connect name="main" allow="127.0.0.1" maxlocal="200" recvq="8192" sendq="262144" commandrate="1000" fakelag="no" threshold="10" timeout="20" pingfreq="120" limit="200">
<options><security><performance>
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${dir}/ircd.log">
<pid file="${dir}/ircd.pid"><files motd="${dir}/motd.txt"><module name="cap">
`;
}

function ngircdConfig(dir: string, port: number): string {
  return `[Global]
Name = irc.ngircd.test
Info = test
Listen = 127.0.0.1
Ports = ${port}
MotdPhrase = test
PidFile = ${dir}/ircd.pid
[Options]
PAM = no
DNS = no
Ident = no
[Limits]
MaxConnectionsIP = 0
`;
}

/** Write a private config and return a handle; call start(). */
export async function createIrcd(kind: IrcdKind, opts: { tls?: boolean } = {}): Promise<Ircd> {
  const dir = mkdtempSync(join(tmpdir(), `${kind}-`));
  const port = await freePort();
  const tlsPort = kind === 'inspircd' && opts.tls ? await freePort() : null;
  if (tlsPort !== null) selfSignedCert(dir); // key.pem and cert.pem, named in the config
  writeFileSync(join(dir, 'motd.txt'), 'test\n');
  writeFileSync(join(dir, 'ircd.log'), '');
  const conf = join(dir, 'ircd.conf');
  writeFileSync(
    conf,
    kind === 'inspircd' ? inspircdConfig(dir, port, tlsPort) : ngircdConfig(dir, port),
  );
  let child: ChildProcess | null = null;
  let output = '';
  const args =
    kind === 'inspircd'
      ? ['--nofork', `--config=${conf}`, '--runasroot', '--nopid']
      : ['-n', '-f', conf];
  return {
    kind,
    port,
    tlsPort,
    async start() {
      child = spawn(kind, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      await waitListening(port);
    },
    async kill() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    },
    log: () => `${output}\n${readFileSync(join(dir, 'ircd.log'), 'utf8')}`,
  };
}

/**
 * A gate in front of the server: closed, it hangs up on every connection, so the bot sees IRC
 * as unreachable; the test opens it only once its listener is back in the channel.
 */
export async function createGate(upstreamPort: number) {
  let open = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!open) return client.destroy();
    const up = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => (sockets.delete(s), client.destroy(), up.destroy()));
    }
    client.pipe(up).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    setOpen(v: boolean) {
      open = v;
    },
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((r) => server.close(r));
    },
  };
}
