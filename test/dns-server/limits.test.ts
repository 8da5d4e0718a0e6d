// Abuse limits over real sockets: response rate limiting with slip, the TCP connection cap and
// the TCP idle timeout.
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/dns/wire/reader.js';
import { encodeQuery } from '../../src/dns/wire/writer.js';
import { startServer, udpTransports } from './helpers.js';

const query = (id: number) => encodeQuery({ id, name: 'www.example.org.', type: 1 });
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('abuse limits', () => {
  it.each(udpTransports())(
    'rate-limits identical responses to one network, slipping truncated replies (UDP on %s)',
    async (udpTransport) => {
      const s = await startServer({ rrl: { responsesPerSecond: 5, slip: 2 }, udpTransport });
      stop = s.stop;
      const udp = createSocket('udp4');
      const replies: ReturnType<typeof parseMessage>[] = [];
      udp.on('message', (m) => replies.push(parseMessage(m)));
      for (let i = 0; i < 40; i++) udp.send(query(i), s.port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 300));
      udp.close();
      const full = replies.filter((r) => r.answers.length === 1);
      const slipped = replies.filter((r) => (r.flags & 0x0200) !== 0);
      expect(full.length).toBeGreaterThanOrEqual(5);
      expect(full.length).toBeLessThan(10);
      expect(slipped.length).toBeGreaterThan(5);
      expect(replies.length).toBeLessThan(40);
      expect(await s.registry.metrics()).toMatch(/bestiary_dns_rrl_total\{action="drop"\} [1-9]/);
    },
  );

  it('closes connections past the limit and idle ones', async () => {
    const s = await startServer({ tcp: { maxConnections: 2, idleMs: 300 } });
    stop = s.stop;
    const open = (): Promise<{ sock: Socket; closed: Promise<void> }> =>
      new Promise((resolve) => {
        const sock = connect(s.port, '127.0.0.1', () => resolve({ sock, closed }));
        const closed = new Promise<void>((r) => sock.on('close', () => r()));
        sock.on('error', () => undefined);
      });
    const a = await open();
    const b = await open();
    const c = await open();
    await c.closed;
    // The idle ones are closed by the server, no data ever sent.
    await Promise.all([a.closed, b.closed]);
    expect(await s.registry.metrics()).toMatch(
      /bestiary_dns_tcp_connections_total\{result="rejected"\} [1-9]/,
    );
  });
});
