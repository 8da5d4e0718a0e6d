// The TCP listener (RFC 1035 §4.2.2, RFC 7766): 2-byte length framing, pipelined queries answered
// in order, an idle timeout and a connection limit. Zone transfers stream on the same connection.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { RRType } from '../wire/constants.js';
import { createQueryView, readQuery } from '../wire/query.js';
import type { Engine } from './engine.js';
import type { SlowPath, Transport } from './handler.js';
import type { ServerMetrics } from './metrics.js';

export interface TcpOptions {
  maxConnections: number;
  /** Close a connection with no traffic for this long (RFC 7766 §6.2.3 suggests seconds). */
  idleMs: number;
}

export interface TcpDeps {
  engine: Engine;
  slow: SlowPath;
  metrics: ServerMetrics;
  logger: Logger;
}

function frame(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length + 2);
  out.writeUInt16BE(bytes.length, 0);
  bytes.copy(out, 2);
  return out;
}

function serveConnection(sock: Socket, o: TcpOptions, deps: TcpDeps): void {
  const view = createQueryView();
  const scratch = Buffer.allocUnsafe(512);
  let pending: Buffer = Buffer.alloc(0);
  // Slow work (transfers, updates) runs one at a time; later messages wait so replies never interleave.
  let chain: Promise<void> | null = null;
  const t: Transport = {
    tcp: true,
    address: sock.remoteAddress ?? '',
    port: sock.remotePort ?? 0,
    send: (b) => {
      if (!sock.destroyed) sock.write(frame(b));
    },
    drain: () =>
      sock.writableNeedDrain && !sock.destroyed
        ? new Promise((r) => sock.once('drain', () => r()))
        : Promise.resolve(),
  };

  const handle = (msg: Buffer): Promise<void> | null => {
    const started = performance.now();
    try {
      if (
        readQuery(msg, view, scratch, true) &&
        view.qtype !== RRType.AXFR &&
        view.qtype !== RRType.IXFR
      ) {
        const entry = deps.engine.lookup(msg, view, true);
        t.send(deps.engine.materialize(entry, msg, view));
        deps.metrics.query(view.qtype, entry.rcode, performance.now() - started);
        return null;
      }
    } catch (err) {
      deps.metrics.crash();
      deps.logger.error({ err }, 'dns: TCP fast path threw');
      return null;
    }
    return deps.slow(msg, t);
  };

  const track = (p: Promise<void>): void => {
    const mine: Promise<void> = p.finally(() => {
      if (chain === mine) chain = null;
    });
    chain = mine;
  };
  const enqueue = (msg: Buffer): void => {
    if (chain) return track(chain.then(() => handle(msg) ?? undefined));
    const p = handle(msg);
    if (p) track(p);
  };

  sock.setNoDelay(true);
  sock.setTimeout(o.idleMs, () => sock.destroy());
  sock.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const len = pending.readUInt16BE(0);
      if (len === 0) {
        sock.destroy();
        return;
      }
      if (pending.length < len + 2) break;
      const msg = Buffer.from(pending.subarray(2, len + 2));
      pending = pending.subarray(len + 2);
      enqueue(msg);
    }
  });
  sock.on('error', () => sock.destroy());
  sock.on('close', () => deps.metrics.tcpClosed());
}

/** Listen for TCP on address:port. */
export async function startTcp(
  address: string,
  port: number,
  o: TcpOptions,
  deps: TcpDeps,
): Promise<{ server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    deps.metrics.tcpOpened();
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    serveConnection(sock, o, deps);
  });
  server.maxConnections = o.maxConnections;
  server.on('drop', () => deps.metrics.tcpRejected());
  server.on('error', (err) => deps.logger.error({ err }, 'dns: TCP server error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, sockets };
}
