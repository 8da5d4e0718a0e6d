// A minimal UDP prober for the freshness benchmarks: one outstanding A query at a time, from this
// process, through our own wire codec, so polling costs the server one query per look.
import { createSocket } from 'node:dgram';
import { parseMessage } from '../../src/dns/wire/reader.js';
import { encodeQuery } from '../../src/dns/wire/writer.js';

export interface Prober {
  /** The first A record of `name` at 127.0.0.1:port as text, or '' (none, or no reply in 200 ms). */
  ask(port: number, name: string): Promise<string>;
  close(): void;
}

export function createProber(): Prober {
  const sock = createSocket('udp4');
  let waiting: ((b: Buffer) => void) | undefined;
  sock.on('message', (m) => waiting?.(m));
  return {
    ask(port, name) {
      const id = Math.floor(Math.random() * 65536);
      const query = encodeQuery({ id, name, type: 1 });
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(''), 200);
        waiting = (b) => {
          const m = parseMessage(b);
          if (m.id !== id) return;
          clearTimeout(timer);
          const a = m.answers.find((r) => r.type === 1);
          resolve(a ? [...a.rdata].join('.') : '');
        };
        sock.send(query, port, '127.0.0.1');
      });
    },
    close: () => sock.close(),
  };
}
