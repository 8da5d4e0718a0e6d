// The UDP listener (RFC 1035 §4.2.1): standard queries take the fast path (cache, RRL, send);
// everything else goes to the slow path. Nothing a client sends can throw out of here.
import { createSocket } from 'node:dgram';
import type { Logger } from '../../core/logger.js';
import { Rcode, RRType } from '../wire/constants.js';
import { createQueryView, readQuery, type QueryView } from '../wire/query.js';
import type { CachedAnswer } from './cache.js';
import type { Engine } from './engine.js';
import type { SlowPath, Transport } from './handler.js';
import type { ServerMetrics } from './metrics.js';
import { RrlVerdict, type Rrl } from './rrl.js';

export interface UdpDeps {
  engine: Engine;
  slow: SlowPath;
  metrics: ServerMetrics;
  logger: Logger;
  rrl?: Rrl;
}

/** A bound UDP listener, whichever transport serves it (node:dgram here, or udp-batch.ts). */
export interface UdpListener {
  readonly transport: 'dgram' | 'batch';
  port(): number;
  /** One datagram outside the fast path (slow-path replies, replies forwarded by the primary). */
  send(bytes: Buffer, port: number, address: string): void;
  close(): Promise<void>;
}

/** The identity RRL counts a response under: NXDOMAINs by zone, errors together, others by question. */
export function rrlIdentity(entry: CachedAnswer, v: QueryView): string {
  if (entry.rcode === Rcode.NXDOMAIN) return `nx|${entry.apex}`;
  if (entry.rcode !== Rcode.NOERROR) return 'err';
  return v.key;
}

/** A slipped reply: the question only, TC=1, so a real client retries over TCP. */
function slipReply(msg: Buffer, v: QueryView): Buffer {
  const out = Buffer.allocUnsafe(v.nameEnd + 4);
  slipReplyInto(msg, v, out, 0);
  return out;
}

/** slipReply written into `out` at `at`; returns its length. */
export function slipReplyInto(msg: Buffer, v: QueryView, out: Buffer, at: number): number {
  msg.copy(out, at, 0, v.nameEnd + 4);
  out[at + 2] = 0x80 | 0x02 | (msg[2]! & 0x01);
  out[at + 3] = 0;
  out[at + 4] = 0;
  out[at + 5] = 1;
  out.fill(0, at + 6, at + 12);
  return v.nameEnd + 4;
}

/** Bind a UDP socket on address:port and serve it. */
export async function startUdp(address: string, port: number, deps: UdpDeps): Promise<UdpListener> {
  // Replies go to the literal address the query came from: skip dns.lookup and its nextTick.
  const lookup = (
    addr: string,
    _o: unknown,
    cb: (err: Error | null, a: string, family: number) => void,
  ): void => cb(null, addr, addr.includes(':') ? 6 : 4);
  const sock = createSocket({
    type: address.includes(':') ? 'udp6' : 'udp4',
    recvBufferSize: 8 << 20,
    sendBufferSize: 8 << 20,
    lookup: lookup,
  });
  const view = createQueryView();
  const scratch = Buffer.allocUnsafe(512);
  const { engine, metrics, rrl } = deps;

  sock.on('message', (msg, rinfo) => {
    const started = performance.now();
    try {
      if (
        readQuery(msg, view, scratch, false) &&
        view.qtype !== RRType.AXFR &&
        view.qtype !== RRType.IXFR
      ) {
        const entry = engine.lookup(msg, view, false);
        const verdict = rrl ? rrl.check(rinfo.address, rrlIdentity(entry, view)) : RrlVerdict.Send;
        if (verdict === RrlVerdict.Send)
          sock.send(engine.materialize(entry, msg, view), rinfo.port, rinfo.address);
        else {
          metrics.rrl(verdict === RrlVerdict.Slip);
          if (verdict === RrlVerdict.Slip)
            sock.send(slipReply(msg, view), rinfo.port, rinfo.address);
        }
        metrics.query(view.qtype, entry.rcode, performance.now() - started);
        return;
      }
    } catch (err) {
      metrics.crash();
      deps.logger.error({ err }, 'dns: UDP fast path threw');
      return;
    }
    const t: Transport = {
      tcp: false,
      address: rinfo.address,
      port: rinfo.port,
      send: (b) => sock.send(b, rinfo.port, rinfo.address),
      drain: () => Promise.resolve(),
    };
    void deps.slow(msg, t);
  });
  sock.on('error', (err) => deps.logger.error({ err }, 'dns: UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, address, () => {
      sock.off('error', reject);
      resolve();
    });
  });
  return {
    transport: 'dgram',
    port: () => sock.address().port,
    send: (bytes, p, a) => sock.send(bytes, p, a),
    close: () => new Promise<void>((r) => sock.close(() => r())),
  };
}
