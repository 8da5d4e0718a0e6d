// The IRC supervisor against a small fake server: TLS, SASL PLAIN, NickServ, a taken nick, endless reconnects.
import { mkdtempSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { IrcNotifier, IrcOptions } from './irc.js';
import { createIrcNotifier } from './irc.js';
import { selfSignedCert } from '../../../test/support/tls.js';

interface Fake {
  port: number;
  /** Every line any client sent, in order. */
  got: string[];
  connections: number;
  /** TCP connections, including those whose TLS handshake failed. */
  accepted: number;
  close(): void;
}

/** A line-protocol stub with just enough IRC: CAP/SASL, registration, 433, JOIN, and refusals. */
async function fakeServer(
  opts: { refuseFirst?: number; takenNicks?: string[]; tls?: { key: Buffer; cert: Buffer } } = {},
): Promise<Fake> {
  const fake = { got: [] as string[], connections: 0, accepted: 0 };
  const handle = (s: Socket) => {
    fake.connections++;
    if (fake.connections <= (opts.refuseFirst ?? 0)) return s.destroy();
    let nick = '';
    let capping = false;
    let user = false;
    const send = (l: string) => s.write(`:fake ${l}\r\n`);
    const welcome = () => {
      if (!capping && nick && user) send(`001 ${nick} :Welcome`);
    };
    let buf = '';
    s.setEncoding('utf8');
    s.on('error', () => undefined);
    s.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\r\n'); nl >= 0; nl = buf.indexOf('\r\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        fake.got.push(line);
        const [cmd = '', a = '', b = ''] = line.split(' ');
        const key =
          cmd === 'CAP' || cmd === 'AUTHENTICATE'
            ? `${cmd} ${a === 'PLAIN' || cmd === 'CAP' ? a : '*'}`
            : cmd;
        switch (key) {
          case 'CAP LS':
            capping = true;
            send('CAP * LS :sasl');
            break;
          case 'CAP REQ':
            send(`CAP * ACK ${line.slice(8)}`);
            break;
          case 'CAP END':
            capping = false;
            welcome();
            break;
          case 'AUTHENTICATE PLAIN':
            s.write('AUTHENTICATE +\r\n');
            break;
          case 'AUTHENTICATE *':
            send(`903 ${nick} :SASL authentication successful`);
            break;
          case 'NICK':
            if (opts.takenNicks?.includes(a)) send(`433 * ${a} :Nickname is already in use`);
            else {
              nick = a;
              welcome();
            }
            break;
          case 'USER':
            user = true;
            welcome();
            break;
          case 'JOIN':
            s.write(`:${nick}!u@h JOIN ${a}\r\n`);
            break;
          case 'PING':
            send(`PONG fake ${b || a}`);
            break;
        }
      }
    });
  };
  const server = opts.tls ? createTlsServer(opts.tls, handle) : createServer(handle);
  server.on('connection', () => fake.accepted++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(fake, {
    port: (server.address() as AddressInfo).port,
    close: () => server.close(),
  });
}

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function online(
  fake: Fake,
  over: Partial<IrcOptions> = {},
  waitMs = 5_000,
): Promise<IrcNotifier> {
  const bot = createIrcNotifier(
    {
      host: '127.0.0.1',
      port: fake.port,
      nick: 'monbot',
      channels: ['#ops'],
      backoffMinMs: 20,
      backoffMaxMs: 100,
      ...over,
    },
    { clock: systemClock, logger: silentLogger, registry: new Registry() },
  );
  cleanup.push(
    () => bot.close(),
    () => fake.close(),
  );
  bot.start();
  for (let i = 0; i < waitMs / 10 && !bot.online(); i++)
    await new Promise((r) => setTimeout(r, 10));
  return bot;
}

describe('IRC supervisor', () => {
  it('authenticates with SASL PLAIN before registering', async () => {
    const fake = await fakeServer();
    const bot = await online(fake, { sasl: { account: 'monitor', password: 's3cret' } });
    expect(bot.online()).toBe(true);
    const auth = fake.got.find((l) => l.startsWith('AUTHENTICATE ') && l !== 'AUTHENTICATE PLAIN');
    expect(Buffer.from(auth?.split(' ')[1] ?? '', 'base64').toString()).toBe(
      'monitor\0monitor\0s3cret',
    );
  });

  it('identifies to NickServ when the network has no SASL', async () => {
    const fake = await fakeServer();
    await online(fake, { nickservPassword: 'pw' });
    expect(fake.got).toContain('PRIVMSG NickServ :IDENTIFY pw');
  });

  it('takes another nick when its own is in use, and asks for it back later', async () => {
    const fake = await fakeServer({ takenNicks: ['monbot'] });
    const bot = await online(fake, { regainNickMs: 50 });
    expect(bot.online()).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.got.filter((l) => l === 'NICK monbot').length).toBeGreaterThan(1);
  });

  it('talks TLS, and refuses a certificate it cannot trust unless told to accept it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'irc-tls-'));
    const { key, cert } = selfSignedCert(dir);
    const tls = { key, cert };
    const refusing = await fakeServer({ tls });
    const strict = await online(refusing, { tls: true }, 600);
    expect(strict.online()).toBe(false);
    // It did try, and keeps trying: the refusal is the certificate, not a dead server.
    expect(refusing.accepted).toBeGreaterThan(1);
    expect(refusing.connections).toBe(0);
    expect(refusing.got).toEqual([]);
    const lenient = await online(await fakeServer({ tls }), {
      tls: true,
      rejectUnauthorized: false,
    });
    expect(lenient.online()).toBe(true);
    expect(lenient.stats().joined).toEqual(['#ops']);
  });

  it('keeps reconnecting, well past the library’s three retries, until the server takes it', async () => {
    const fake = await fakeServer({ refuseFirst: 8 });
    const bot = await online(fake);
    expect(bot.online()).toBe(true);
    expect(bot.stats().connects).toBe(9);
  });
});
