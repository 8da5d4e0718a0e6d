// The SSH server of a live simulated Pi: real SSH on loopback, key-only auth, the built-in shell confined to its root.
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel, PublicKeyAuthContext } from 'ssh2';
import type { Logger } from '../../../core/logger.js';
import type { LayeredFs } from './layered-fs.js';
import { createShell, type ShellDeps } from './shell.js';
import type { ImageUser } from './images.js';

const { Server, utils } = ssh2;

export interface PiSshDeps {
  logger: Logger;
  hostKey: string;
  /** Loopback only: a simulated Pi is never reachable from other machines. */
  host: '127.0.0.1';
  port: number;
  /** The Pi's root as it is now (re-opened per connection, so a re-image is seen at once). */
  openRoot(): Promise<{ fs: LayeredFs; users: ImageUser[] }>;
  /** Everything the shell needs except the fs and user. */
  shellEnv: Omit<ShellDeps, 'fs' | 'user'>;
  onSessions?(count: number): void;
}

export interface PiSshServer {
  port: number;
  sessions(): number;
  close(): Promise<void>;
}

/** Public key blobs listed in an authorized_keys text; lines that are not keys are skipped. */
function authorizedBlobs(text: string): { blob: Buffer; line: string }[] {
  const out: { blob: Buffer; line: string }[] = [];
  for (const raw of text.split('\n')) {
    const m = /(?:^|\s)((?:ssh-|ecdsa-sha2-)\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s|$)/.exec(raw);
    if (m) out.push({ blob: Buffer.from(m[2]!, 'base64'), line: `${m[1]} ${m[2]}` });
  }
  return out;
}

/** True when the offered key is in the user's authorized_keys and, if signed, the signature holds. */
async function keyAllowed(
  fs: LayeredFs,
  user: ImageUser,
  ctx: PublicKeyAuthContext,
): Promise<boolean> {
  const file = `${user.home}/.ssh/authorized_keys`;
  const text = await fs.readFile(file).then(
    (b) => b.toString(),
    () => '',
  );
  const match = authorizedBlobs(text).find(
    (k) => k.blob.length === ctx.key.data.length && timingSafeEqual(k.blob, ctx.key.data),
  );
  if (!match) return false;
  if (!ctx.signature || !ctx.blob) return true; // the client only asks whether the key would do
  const parsed = utils.parseKey(match.line);
  if (parsed instanceof Error) return false;
  return parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
}

/** Serve one session channel: exec runs one line; shell is a line-at-a-time interactive loop. */
function serveSession(
  accept: () => ssh2.Session,
  run: ReturnType<typeof createShell>,
  user: ImageUser,
  count: (d: number) => void,
): void {
  const session = accept();
  let pty = false;
  session.on('pty', (ok) => {
    pty = true;
    ok?.();
  });
  session.on('env', (ok) => ok?.());
  session.on('window-change', (ok) => ok?.());
  session.on('subsystem', (_ok, reject) => reject?.());
  const nl = (s: string) => (pty ? s.replace(/\r?\n/g, '\r\n') : s);
  session.on('exec', (ok, _reject, info) => {
    const stream = ok();
    count(1);
    void run.run(info.command).then((r) => {
      stream.write(nl(r.stdout));
      stream.stderr.write(nl(r.stderr));
      stream.exit(r.code);
      stream.end();
      count(-1);
    });
  });
  session.on('shell', (ok) => {
    const stream: ServerChannel = ok();
    count(1);
    const prompt = async () => {
      const host = await run.hostname();
      const dir = run.cwd() === user.home ? '~' : run.cwd();
      stream.write(`${user.name}@${host}:${dir}${user.uid === 0 ? '#' : '$'} `);
    };
    let line = '';
    let busy = Promise.resolve();
    stream.write(nl('Bestiary simulated Raspberry Pi. Built-in commands only; type help.\n'));
    void prompt();
    stream.on('data', (data: Buffer) => {
      busy = busy.then(async () => {
        for (const ch of data.toString('utf8')) {
          if (ch === '\x04' && line === '') return void stream.end(); // Ctrl-D
          if (ch === '\x03') {
            line = '';
            stream.write('^C\r\n');
            await prompt();
          } else if (ch === '\x7f' || ch === '\b') {
            if (line.length > 0 && pty) stream.write('\b \b');
            line = line.slice(0, -1);
          } else if (ch === '\r' || ch === '\n') {
            if (pty) stream.write('\r\n');
            const r = await run.run(line);
            line = '';
            stream.write(nl(r.stdout));
            stream.stderr.write(nl(r.stderr));
            if (r.exit !== undefined) {
              stream.exit(r.exit);
              return void stream.end();
            }
            await prompt();
          } else {
            line += ch;
            if (pty) stream.write(ch);
          }
        }
      });
    });
    stream.on('close', () => count(-1));
  });
}

/** Start the Pi's SSH server; resolves once it is listening. */
/**
 * A new ed25519 host key in OpenSSH form, as sshd makes on its first start. ssh2's generator drops
 * the leading byte of a public key that starts with zero (1 key in 256; 19 of 5,000 here), and
 * its own parser then refuses the key: the Pi's boot failed with "Malformed OpenSSH private key"
 * and never came up. A refused key is made again.
 */
export function newHostKey(): string {
  for (let attempt = 0; attempt < 16; attempt++) {
    const key = ssh2.utils.generateKeyPairSync('ed25519').private;
    if (!(ssh2.utils.parseKey(key) instanceof Error)) return key;
  }
  throw new Error('could not make an SSH host key that parses');
}

export async function startPiSsh(deps: PiSshDeps): Promise<PiSshServer> {
  const clients = new Set<Connection>();
  let sessions = 0;
  const count = (d: number) => {
    sessions += d;
    deps.onSessions?.(sessions);
  };
  const server = new Server({
    hostKeys: [deps.hostKey],
    ident: 'OpenSSH_9.2p1 Raspbian-2+deb12u3',
  });
  server.on('connection', (client) => {
    clients.add(client);
    let authed: { user: ImageUser; fs: LayeredFs } | null = null;
    client.on('error', (err) => deps.logger.debug({ err }, 'simulated pi ssh client error'));
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      void (async () => {
        const root = await deps.openRoot();
        const user = root.users.find((u) => u.name === ctx.username);
        if (ctx.method !== 'publickey' || !user) return ctx.reject(['publickey']);
        if (!(await keyAllowed(root.fs, user, ctx))) return ctx.reject(['publickey']);
        if (ctx.signature) authed = { user, fs: root.fs };
        ctx.accept();
      })().catch((err: unknown) => {
        deps.logger.warn({ err }, 'simulated pi ssh auth failed');
        ctx.reject(['publickey']);
      });
    });
    client.on('session', (accept) => {
      if (!authed) return;
      const shell = createShell({ ...deps.shellEnv, fs: authed.fs, user: authed.user });
      serveSession(accept, shell, authed.user, count);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    sessions: () => sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
