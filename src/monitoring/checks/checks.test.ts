// Each network check against a real listener on loopback.
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProbeContext } from './check.js';
import { selfSignedCert } from '../../../test/support/tls.js';
import { checks } from './index.js';

const servers: Array<{ close(): unknown }> = [];
afterAll(() => servers.forEach((s) => s.close()));

const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  checkId: 'c',
  now: () => Date.now(),
  timeoutMs: 1000,
  intervalMs: 60_000,
  beat: () => undefined,
  metric: () => undefined,
  ...over,
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A TCP server that writes `text` to each connection and then leaves it open (or closes it). */
const banner = (text: string, close = false) =>
  listen(createServer((s) => (close ? s.end(text) : s.write(text))).on('error', () => undefined));

async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  s.close();
  return port;
}

describe('tcp', () => {
  it('is up when the port accepts, with a latency', async () => {
    const r = await checks.tcp.run({ host: '127.0.0.1', port: await banner('') }, ctx());
    expect(r.status).toBe('up');
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });
  it('says the connection was refused when nothing listens', async () => {
    const port = await closedPort();
    expect(await checks.tcp.run({ host: '127.0.0.1', port }, ctx())).toEqual({
      status: 'down',
      message: `connection refused on port ${port}`,
    });
  });

  it('blames itself, not the target, when its own event loop stalled past the timeout', async () => {
    const port = await listen(createServer(() => undefined));
    const pending = checks.ssh.run({ host: '127.0.0.1', port }, ctx({ timeoutMs: 100 }));
    const until = Date.now() + 600;
    while (Date.now() < until); // a stalled event loop, as on an overloaded host
    expect(await pending).toEqual({
      status: 'unknown',
      message: 'monitor too busy to time this probe',
    });
  });
});

describe('ssh banner', () => {
  it.each([
    {
      name: 'accepts an SSH-2.0 banner',
      send: 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n',
      pattern: undefined,
      status: 'up',
      message: 'SSH-2.0-OpenSSH_9.2p1 Debian-2',
    },
    {
      name: 'reports what came back instead of a banner',
      send: 'HTTP/1.1 400 Bad Request\r\n\r\n',
      pattern: undefined,
      status: 'down',
      message: "bad banner from `127.0.0.1': HTTP/1.1 400 Bad Request",
    },
    {
      name: 'rejects SSH-1.5',
      send: 'SSH-1.5-old\r\n',
      pattern: undefined,
      status: 'down',
      message: "bad banner from `127.0.0.1': SSH-1.5-old",
    },
    {
      name: 'holds a pinned pattern',
      send: 'SSH-2.0-dropbear_2022.83\r\n',
      pattern: '^SSH-2\\.0-OpenSSH_',
      status: 'down',
      message:
        "bad banner from `127.0.0.1': SSH-2.0-dropbear_2022.83 (expected /^SSH-2\\.0-OpenSSH_/)",
    },
    {
      name: 'reports an empty banner when the server hangs up',
      send: '',
      pattern: undefined,
      status: 'down',
      message: "bad banner from `127.0.0.1':",
    },
    {
      name: 'strips control characters from the banner',
      send: 'PRIVMSG #x :hi\x03\x07\r\n',
      pattern: undefined,
      status: 'down',
      message: "bad banner from `127.0.0.1': PRIVMSG #x :hi",
    },
  ])('$name', async ({ send, pattern, status, message }) => {
    const port = await banner(send, send === '');
    const r = await checks.ssh.run({ host: '127.0.0.1', port, pattern }, ctx());
    expect({ status: r.status, message: r.message }).toEqual({ status, message });
  });
  it('gives up after the timeout when the server says nothing', async () => {
    const port = await listen(createServer(() => undefined));
    const r = await checks.ssh.run({ host: '127.0.0.1', port }, ctx({ timeoutMs: 200 }));
    expect(r.message).toBe("bad banner from `127.0.0.1': no banner within 0.2s");
  });
});

describe('http', () => {
  const nginx404 =
    '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
  const server = createHttpServer((req, res) => {
    if (req.url === '/missing')
      return res.writeHead(404, { 'content-type': 'text/html' }).end(nginx404);
    if (req.url === '/moved') return res.writeHead(301, { location: '/ok' }).end();
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
    res.end('<h1>Welcome to alpha</h1>');
  });
  const base = async () =>
    `http://127.0.0.1:${server.listening ? (server.address() as AddressInfo).port : await listen(server)}`;

  it.each([
    {
      name: 'is up on 200 with the keyword',
      path: '/ok',
      keyword: 'Welcome',
      status: 'up',
      message: 'Status 200',
    },
    {
      name: 'puts an excerpt of the body in a 404',
      path: '/missing',
      keyword: undefined,
      status: 'down',
      message: 'Status 404 (<html> <head><title>404 Not Found</title></head> ...)',
    },
    {
      name: 'follows redirects to the final status',
      path: '/moved',
      keyword: undefined,
      status: 'up',
      message: 'Status 200',
    },
    {
      name: 'is down when the keyword is missing',
      path: '/ok',
      keyword: 'Goodbye',
      status: 'down',
      message: 'keyword "Goodbye" not found (<h1>Welcome to alpha</h1>)',
    },
  ])('$name', async ({ path, keyword, status, message }) => {
    const r = await checks.http.run({ url: `${await base()}${path}`, keyword }, ctx());
    expect({ status: r.status, message: r.message }).toEqual({ status, message });
  });
  it('reports the 3xx itself when redirects are not followed', async () => {
    const r = await checks.http.run(
      { url: `${await base()}/moved`, maxRedirects: 0, statuses: [200] },
      ctx(),
    );
    expect(r.message).toBe('Status 301 ()');
  });
  it('times out a slow server', async () => {
    const r = await checks.http.run({ url: `${await base()}/slow` }, ctx({ timeoutMs: 300 }));
    expect(r).toEqual({ status: 'down', message: 'no answer within 0.3s' });
  });
});

describe('tls certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-check-'));
  const cert = (days: number) => {
    const { key, cert } = selfSignedCert(dir, days, `${days}-`);
    return { key, cert };
  };
  const serve = (days: number) => listen(createTlsServer(cert(days), (s) => s.end()));

  it('reads days to expiry on every check, not only the first', async () => {
    const port = await serve(90);
    for (let i = 0; i < 3; i++) {
      const r = await checks.tls.run({ host: '127.0.0.1', port, verify: false }, ctx());
      expect(r.status).toBe('up');
      expect(r.value).toBeGreaterThanOrEqual(88);
    }
  });
  it('checks HTTPS: refuses an untrusted certificate, and accepts it when told not to verify', async () => {
    const port = await listen(
      createHttpsServer(cert(30), (_req, res) => res.end('<h1>secure alpha</h1>')),
    );
    const url = `https://127.0.0.1:${port}/`;
    const strict = await checks.http.run({ url, keyword: 'secure' }, ctx());
    expect(strict.status).toBe('down');
    expect(strict.message).toMatch(/certificate/i);
    const lenient = await checks.http.run({ url, keyword: 'secure', verifyTls: false }, ctx());
    expect({ status: lenient.status, message: lenient.message }).toEqual({
      status: 'up',
      message: 'Status 200',
    });
  });

  it('is down when the certificate expires within the warning period', async () => {
    const r = await checks.tls.run(
      { host: '127.0.0.1', port: await serve(5), verify: false, warnDays: 14 },
      ctx(),
    );
    expect(r.status).toBe('down');
    expect(r.message).toMatch(/^certificate expires in [45] days \(\d{4}-\d\d-\d\d\)$/);
  });
  it('is down when the chain is not trusted', async () => {
    const r = await checks.tls.run(
      { host: '127.0.0.1', port: await serve(30), servername: 'localhost' },
      ctx(),
    );
    expect(r.message).toBe('certificate not trusted: DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});

describe('ping', () => {
  it('is up for loopback with a round trip time', async () => {
    const r = await checks.ping.run({ host: '127.0.0.1' }, ctx());
    expect(r.status).toBe('up');
    expect(r.message).toMatch(/^rtt [\d.]+ ms, 0% loss$/);
  });
  it('is down when nothing answers', async () => {
    const r = await checks.ping.run({ host: '203.0.113.1' }, ctx({ timeoutMs: 1000 }));
    expect(r.status).toBe('down');
  });
});

describe('dns', () => {
  /** A one-record UDP DNS server: answers A for alpha.test, NXDOMAIN otherwise. */
  async function dnsServer(): Promise<number> {
    const sock = createSocket('udp4');
    servers.push(sock);
    sock.on('message', (q, from) => {
      let i = 12;
      const labels: string[] = [];
      while (q[i]) {
        labels.push(q.subarray(i + 1, i + 1 + q[i]!).toString());
        i += q[i]! + 1;
      }
      const question = q.subarray(12, i + 5);
      const found = labels.join('.') === 'alpha.test';
      const head = Buffer.from([
        q[0]!,
        q[1]!,
        0x84,
        found ? 0x00 : 0x03,
        0,
        1,
        0,
        found ? 1 : 0,
        0,
        0,
        0,
        0,
      ]);
      const answer = found
        ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10])
        : Buffer.alloc(0);
      sock.send(Buffer.concat([head, question, answer]), from.port, from.address);
    });
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    return sock.address().port;
  }

  it.each([
    {
      name: 'is up when the answer matches',
      qname: 'alpha.test',
      expect: ['192.0.2.10'],
      status: 'up',
      message: (s: string) => `alpha.test A @${s}: 192.0.2.10`,
    },
    {
      name: 'is down with both answers when it differs',
      qname: 'alpha.test',
      expect: ['192.0.2.99'],
      status: 'down',
      message: (s: string) => `alpha.test A @${s} answered 192.0.2.10, expected 192.0.2.99`,
    },
    {
      name: 'says NXDOMAIN for a missing name',
      qname: 'beta.test',
      expect: undefined,
      status: 'down',
      message: (s: string) => `beta.test A @${s}: NXDOMAIN`,
    },
  ])('$name', async ({ qname, expect: want, status, message }) => {
    const server = `127.0.0.1:${await dnsServer()}`;
    const r = await checks.dns.run({ server, name: qname, type: 'A', expect: want }, ctx());
    expect({ status: r.status, message: r.message }).toEqual({ status, message: message(server) });
  });
});
