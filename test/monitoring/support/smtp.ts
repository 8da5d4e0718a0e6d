// A minimal SMTP receiver on loopback (RFC 5321 without extensions): keeps every message it accepts.
import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  /** The body after the headers: CRLFs made LFs, dot-stuffing and quoted-printable undone. */
  text: string;
}

/** Undo quoted-printable (RFC 2045 §6.7): soft line breaks and =XX bytes, read as UTF-8. */
function unQuote(text: string): string {
  const joined = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined[i] === '=' ? /^[0-9A-F]{2}/i.exec(joined.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export async function smtpReceiver() {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    const reply = (line: string) => sock.write(`${line}\r\n`);
    let from = '';
    let to: string[] = [];
    let data: string[] | null = null;
    let buf = '';
    reply('220 localhost test SMTP');
    sock.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data) {
          if (line !== '.') {
            data.push(line.startsWith('.') ? line.slice(1) : line);
            continue;
          }
          const blank = data.indexOf('');
          const headers = data.slice(0, blank);
          const subject = headers.find((h) => /^subject:/i.test(h))?.replace(/^subject:\s*/i, '');
          const body = data.slice(blank + 1).join('\n');
          const qp = headers.some((h) => /^content-transfer-encoding:\s*quoted-printable/i.test(h));
          mails.push({ from, to, subject: subject ?? '', text: qp ? unQuote(body) : body });
          data = null;
          to = [];
          reply('250 queued');
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
        switch (verb) {
          case 'EHLO':
          case 'HELO':
            reply('250 localhost');
            break;
          case 'MAIL':
            from = address;
            reply('250 ok');
            break;
          case 'RCPT':
            to.push(address);
            reply('250 ok');
            break;
          case 'DATA':
            data = [];
            reply('354 go ahead');
            break;
          case 'QUIT':
            reply('221 bye');
            sock.end();
            break;
          case 'RSET':
            to = [];
            reply('250 ok');
            break;
          default:
            reply('250 ok');
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mails,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
