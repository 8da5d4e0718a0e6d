// The batched UDP transport: native/udp-batch receives up to `batch` datagrams with recvmmsg into
// buffers shared with this file, calls `onBatch` once per batch, and sends the replies it wrote
// with one sendmmsg. Same fast path, RRL, metrics and slow path as udp.ts, without a Buffer,
// rinfo or reply allocation per packet (the cache key string is the one left).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../core/logger.js';
import { RRType } from '../wire/constants.js';
import { createQueryView, readQuery } from '../wire/query.js';
import { RrlVerdict } from './rrl.js';
import { rrlIdentity, slipReplyInto, type UdpDeps, type UdpListener } from './udp.js';

export interface BatchShape {
  /** Datagrams per recvmmsg, and replies per sendmmsg. */
  batch: number;
  /** Bytes per received datagram; longer ones are dropped and counted as malformed. */
  slot: number;
  /** Bytes per reply slot; a longer reply is sent on its own. */
  outSlot: number;
  /** Bytes per sender address (the kernel's sockaddr_in/sockaddr_in6, Linux layout). */
  peerStride: number;
}

/** The memory both sides read and write (see native/udp-batch/udp_batch.cc). */
export interface SharedBuffers {
  in: Buffer;
  inLen: Int32Array;
  peers: Buffer;
  out: Buffer;
  outLen: Int32Array;
  outPeer: Int32Array;
}

interface NativeSocket {
  start(onBatch: (count: number) => number): void;
  port(): number;
  peerAddress(index: number): string;
  sendTo(bytes: Buffer, address: string, port: number): boolean;
  stats(): Record<
    'batches' | 'received' | 'oversized' | 'sent' | 'sendErrors' | 'stalls' | 'spread',
    number
  >;
  close(): void;
}

export interface UdpBatchAddon {
  UdpBatchSocket: new (
    options: {
      address: string;
      port: number;
      reusePort: boolean;
      /** Sockets in the reuseport group to spread datagrams over at random (0: kernel hash). */
      spread?: number;
      recvBuffer: number;
      sendBuffer: number;
      batch: number;
      slot: number;
      outSlot: number;
    },
    buffers: SharedBuffers,
  ) => NativeSocket;
  peerStride: number;
  maxBatch: number;
}

export type UdpTransport = 'auto' | 'batch' | 'dgram';

const addonPath = fileURLToPath(
  new URL('../../../native/udp-batch/build/Release/udp_batch.node', import.meta.url),
);
let loaded: { addon: UdpBatchAddon } | { reason: string } | undefined;

/** The addon, or why it cannot be used (the build's own note when `npm install` could not build it). */
export function loadUdpBatch(): { addon: UdpBatchAddon } | { reason: string } {
  if (loaded) return loaded;
  const note = join(dirname(addonPath), '..', 'unavailable.txt');
  if (existsSync(note)) return (loaded = { reason: readFileSync(note, 'utf8').trim() });
  if (!existsSync(addonPath))
    return (loaded = { reason: 'not built (run `node native/udp-batch/build.mjs`)' });
  try {
    return (loaded = { addon: createRequire(import.meta.url)(addonPath) as UdpBatchAddon });
  } catch (err) {
    return (loaded = { reason: `cannot load ${addonPath}: ${(err as Error).message}` });
  }
}

/** The transport to run: 'auto' takes the addon when it loads, else dgram, saying why once. */
export function chooseUdpTransport(
  wanted: UdpTransport,
  logger: Logger,
  load = loadUdpBatch,
): 'batch' | 'dgram' {
  if (wanted === 'dgram') return 'dgram';
  const l = load();
  if ('addon' in l) return 'batch';
  if (wanted === 'batch') throw new Error(`dns: batched UDP unavailable: ${l.reason}`);
  logger.warn({ reason: l.reason }, 'dns: batched UDP unavailable; serving UDP with node:dgram');
  return 'dgram';
}

export const defaultShape = (peerStride: number): BatchShape => ({
  batch: 64,
  slot: 4096,
  outSlot: 4096,
  peerStride,
});

export function createSharedBuffers(s: BatchShape): SharedBuffers {
  return {
    in: Buffer.alloc(s.batch * s.slot),
    inLen: new Int32Array(s.batch),
    peers: Buffer.alloc(s.batch * s.peerStride),
    out: Buffer.alloc(s.batch * s.outSlot),
    outLen: new Int32Array(s.batch),
    outPeer: new Int32Array(s.batch),
  };
}

/** What the handler needs from the socket besides the shared buffers. */
export interface PeerSide {
  /** Text address of datagram i's sender (only asked for by RRL and the slow path). */
  peerAddress(index: number): string;
  sendTo(bytes: Buffer, address: string, port: number): void;
}

const AF_INET = 2;
/** Views for queries up to this size are made once per slot and length, then reused. */
const VIEW_MAX = 512;

/**
 * The per-batch callback: answer `count` datagrams from `bufs.in`, write the replies to
 * `bufs.out`/`outLen`/`outPeer`, return how many. Slow-path messages are copied and handed on.
 */
export function createBatchHandler(
  shape: BatchShape,
  bufs: SharedBuffers,
  deps: UdpDeps,
  peer: PeerSide,
): (count: number) => number {
  const { engine, metrics, rrl } = deps;
  const { slot, outSlot, peerStride } = shape;
  const { in: inBuf, inLen, peers, out, outLen, outPeer } = bufs;
  const view = createQueryView();
  const scratch = Buffer.allocUnsafe(512);
  const views: (Buffer | undefined)[] = new Array<Buffer | undefined>(shape.batch * (VIEW_MAX + 1));
  const datagram = (i: number, len: number): Buffer => {
    if (len > VIEW_MAX) return inBuf.subarray(i * slot, i * slot + len);
    const k = i * (VIEW_MAX + 1) + len;
    return (views[k] ??= inBuf.subarray(i * slot, i * slot + len));
  };
  // Most consecutive datagrams come from few clients: keep the last address text.
  const memo = Buffer.alloc(16);
  let memoLen = 0;
  let memoText = '';
  const addressOf = (i: number): string => {
    const o = i * peerStride;
    const v4 = (peers[o]! | (peers[o + 1]! << 8)) === AF_INET;
    const start = v4 ? o + 4 : o + 8;
    const len = v4 ? 4 : 16;
    if (len === memoLen) {
      let k = 0;
      while (k < len && peers[start + k] === memo[k]) k++;
      if (k === len) return memoText;
    }
    memoText = peer.peerAddress(i);
    peers.copy(memo, 0, start, start + len);
    memoLen = len;
    return memoText;
  };
  const portOf = (i: number): number => peers.readUInt16BE(i * peerStride + 2);

  const one = (i: number, replies: number): number => {
    const len = inLen[i]!;
    if (len === 0) {
      metrics.malformed(); // empty, or larger than a slot (the kernel cut it)
      return replies;
    }
    const msg = datagram(i, len);
    const started = performance.now();
    try {
      if (
        readQuery(msg, view, scratch, false) &&
        view.qtype !== RRType.AXFR &&
        view.qtype !== RRType.IXFR
      ) {
        const entry = engine.lookup(msg, view, false);
        const verdict = rrl ? rrl.check(addressOf(i), rrlIdentity(entry, view)) : RrlVerdict.Send;
        if (verdict === RrlVerdict.Send) {
          if (entry.bytes.length <= outSlot) {
            outLen[replies] = engine.materializeInto(entry, msg, view, out, replies * outSlot);
            outPeer[replies++] = i;
          } else peer.sendTo(engine.materialize(entry, msg, view), addressOf(i), portOf(i));
        } else {
          metrics.rrl(verdict === RrlVerdict.Slip);
          if (verdict === RrlVerdict.Slip) {
            outLen[replies] = slipReplyInto(msg, view, out, replies * outSlot);
            outPeer[replies++] = i;
          }
        }
        metrics.query(view.qtype, entry.rcode, performance.now() - started);
        return replies;
      }
    } catch (err) {
      metrics.crash();
      deps.logger.error({ err }, 'dns: UDP fast path threw');
      return replies;
    }
    // The slot is reused by the next batch: the slow path, which may wait, gets its own copy.
    const address = addressOf(i);
    const port = portOf(i);
    void deps.slow(Buffer.from(msg), {
      tcp: false,
      address,
      port,
      send: (b) => peer.sendTo(b, address, port),
      drain: () => Promise.resolve(),
    });
    return replies;
  };

  return (count) => {
    let replies = 0;
    for (let i = 0; i < count; i++) {
      try {
        replies = one(i, replies);
      } catch (err) {
        // Nothing may escape into the addon (it would become an uncaught exception).
        metrics.crash();
        deps.logger.error({ err }, 'dns: batched UDP handler threw');
      }
    }
    return replies;
  };
}

/**
 * Bind a batched UDP socket on address:port. Workers pass `reusePort` and `spread` (their count):
 * each owns a socket of one SO_REUSEPORT group, and datagrams go to a random one of them.
 */
export async function startUdpBatch(
  addon: UdpBatchAddon,
  address: string,
  port: number,
  deps: UdpDeps,
  options: { reusePort: boolean; spread?: number; batch?: number },
): Promise<UdpListener> {
  const shape = { ...defaultShape(addon.peerStride), batch: options.batch ?? 64 };
  const bufs = createSharedBuffers(shape);
  const sock = new addon.UdpBatchSocket(
    {
      address,
      port,
      reusePort: options.reusePort,
      spread: options.spread ?? 0,
      recvBuffer: 8 << 20,
      sendBuffer: 8 << 20,
      batch: shape.batch,
      slot: shape.slot,
      outSlot: shape.outSlot,
    },
    bufs,
  );
  const send = (bytes: Buffer, a: string, p: number): void => void sock.sendTo(bytes, a, p);
  sock.start(
    createBatchHandler(shape, bufs, deps, {
      peerAddress: (i) => sock.peerAddress(i),
      sendTo: send,
    }),
  );
  return {
    transport: 'batch',
    port: () => sock.port(),
    send: (bytes, p, a) => send(bytes, a, p),
    close: async () => sock.close(),
  };
}
