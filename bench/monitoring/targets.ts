// Bench targets in their own process, so the monitor's CPU figures are its own: HTTP, SSH banner, DNS on many loopback hosts.
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { hostAt, ports } from './shared.js';

const hosts = Number(process.argv[2] ?? 50);
const broken = new Set<string>();
const dir = mkdtempSync(join(tmpdir(), 'bench-tls-'));
// RSA 2048, as most sites still serve: the handshake cost is what the bench should see.
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '90',
    '-subj',
    '/CN=bench',
    '-keyout',
    join(dir, 'k'),
    '-out',
    join(dir, 'c'),
  ],
  { stdio: 'ignore' },
);
const cert = { key: readFileSync(join(dir, 'k')), cert: readFileSync(join(dir, 'c')) };

const http = (host: string) =>
  createHttpServer((req, res) => {
    const id = req.url?.split('/')[2] ?? '';
    if (broken.has(id))
      return res
        .writeHead(404, { 'content-type': 'text/html' })
        .end('<html>\r\n<head><title>404 Not Found</title></head>\r\n</html>\r\n');
    res.end('<html><body>Welcome, the service is OK</body></html>');
  }).listen(ports.http, host);

const ssh = (host: string) =>
  createServer((s) => {
    s.on('error', () => undefined);
    s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
  }).listen(ports.ssh, host);

/** One A record for any name: 192.0.2.10. */
const dns = (host: string) => {
  const sock = createSocket('udp4');
  sock.on('message', (q, from) => {
    let i = 12;
    while (q[i]) i += q[i]! + 1;
    const head = Buffer.from([q[0]!, q[1]!, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
    const answer = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10]);
    sock.send(Buffer.concat([head, q.subarray(12, i + 5), answer]), from.port, from.address);
  });
  sock.bind(ports.dns, host);
};

for (let h = 1; h <= hosts; h++) {
  const host = hostAt(h);
  createTlsServer(cert, (s) => s.end())
    .on('tlsClientError', () => undefined)
    .listen(ports.tls, host);
  http(host);
  ssh(host);
  dns(host);
}

process.on('message', (m: { break?: string; fix?: string }) => {
  if (m.break) broken.add(m.break);
  if (m.fix) broken.delete(m.fix);
});
process.send?.({ ready: true });
