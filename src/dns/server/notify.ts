// NOTIFY sender (RFC 1996): tell each secondary that a zone changed, retrying with backoff until
// it answers; a newer change to the same zone replaces a pending notification.
import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { Flag, Opcode, RRClass, RRType } from '../wire/constants.js';
import { parseMessage } from '../wire/reader.js';
import { signMessage } from '../wire/tsig.js';
import { encodeMessage } from '../wire/writer.js';
import type { ServerMetrics } from './metrics.js';
import type { NotifyTarget, ZoneProvider } from './types.js';
import type { IndexedZone } from './zone-index.js';

export interface NotifierOptions {
  targets: readonly NotifyTarget[];
  /** First retry delay; it doubles up to 60 s (RFC 1996 §3.6 leaves the schedule to us). */
  retryMs: number;
  maxAttempts: number;
}

export interface Notifier {
  zoneChanged(zone: IndexedZone): void;
  /** Pending notifications, for tests and shutdown. */
  pending(): number;
  close(): void;
}

interface Pending {
  id: number;
  apex: string;
  target: NotifyTarget;
  attempt: number;
  timer?: NodeJS.Timeout;
}

export function createNotifier(
  o: NotifierOptions,
  deps: { logger: Logger; metrics: ServerMetrics; provider: ZoneProvider; clock: Clock },
): Notifier {
  const pending = new Map<string, Pending>();
  const sockets = new Map<'udp4' | 'udp6', Socket>();
  const key = (apex: string, t: NotifyTarget): string => `${apex}|${t.address}|${t.port ?? 53}`;

  function socketFor(address: string): Socket {
    const family = isIPv6(address) ? 'udp6' : 'udp4';
    let s = sockets.get(family);
    if (!s) {
      s = createSocket(family);
      s.on('message', onReply);
      s.on('error', (err) => deps.logger.warn({ err }, 'dns: notify socket error'));
      s.unref();
      sockets.set(family, s);
    }
    return s;
  }

  function onReply(buf: Buffer, rinfo: { address: string; port: number }): void {
    let msg;
    try {
      msg = parseMessage(buf);
    } catch {
      return;
    }
    if ((msg.flags & Flag.QR) === 0 || msg.opcode !== Opcode.NOTIFY) return;
    for (const [k, p] of pending) {
      if (
        p.id !== msg.id ||
        p.target.address !== rinfo.address ||
        (p.target.port ?? 53) !== rinfo.port
      )
        continue;
      clearTimeout(p.timer);
      pending.delete(k);
      deps.metrics.notify(msg.rcode === 0);
      if (msg.rcode !== 0)
        deps.logger.warn(
          { zone: p.apex, target: p.target.address, rcode: msg.rcode },
          'dns: secondary refused NOTIFY',
        );
    }
  }

  async function send(p: Pending, zone: IndexedZone): Promise<void> {
    const soa = {
      owner: zone.soa.owner,
      type: RRType.SOA,
      class: RRClass.IN,
      ttl: zone.soa.ttl,
      rdata: zone.soa.rdata[0]!,
    };
    // RFC 1996 §3.7: the answer section may carry the new SOA as a hint.
    let bytes = encodeMessage({
      id: p.id,
      flags: (Opcode.NOTIFY << 11) | Flag.AA,
      rcode: 0,
      question: { wire: zone.soa.owner, type: RRType.SOA, class: RRClass.IN },
      answer: [soa],
      authority: [],
      additional: [],
    });
    if (p.target.keyName) {
      const k = await deps.provider.getTsigKey?.(p.target.keyName);
      if (k) bytes = signMessage(bytes, k, { now: Math.floor(deps.clock.now() / 1000) }).bytes;
    }
    socketFor(p.target.address).send(bytes, p.target.port ?? 53, p.target.address);
  }

  function schedule(p: Pending, zone: IndexedZone): void {
    if (p.attempt >= o.maxAttempts) {
      pending.delete(key(p.apex, p.target));
      deps.metrics.notify(false);
      deps.logger.warn({ zone: p.apex, target: p.target.address }, 'dns: gave up on NOTIFY');
      return;
    }
    p.attempt++;
    send(p, zone).catch((err: unknown) => deps.logger.warn({ err }, 'dns: NOTIFY send failed'));
    const delay = Math.min(o.retryMs * 2 ** (p.attempt - 1), 60_000);
    p.timer = setTimeout(() => schedule(p, zone), delay);
    p.timer.unref();
  }

  return {
    zoneChanged(zone) {
      for (const target of [...o.targets, ...(zone.snapshot.notify ?? [])]) {
        const k = key(zone.apex, target);
        const old = pending.get(k);
        if (old) clearTimeout(old.timer);
        const p: Pending = { id: randomInt(0, 65536), apex: zone.apex, target, attempt: 0 };
        pending.set(k, p);
        schedule(p, zone);
      }
    },
    pending: () => pending.size,
    close() {
      for (const p of pending.values()) clearTimeout(p.timer);
      pending.clear();
      for (const s of sockets.values()) s.close();
      sockets.clear();
    },
  };
}
