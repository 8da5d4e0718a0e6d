// Bestiary's authoritative DNS server (the door of src/dns/server). It serves immutable zone
// snapshots built by the DNS module, over UDP and TCP, with transfers, NOTIFY, UPDATE and TSIG.
// It owns no data: the DNS module pushes snapshots in and applies updates through its own code.
//
// How the pieces fit:
//   DNS module ──replaceZone(snapshot)──▶ server ──index once──▶ zone table (Map by apex)
//   query ─▶ fast path: readQuery → answer cache (patched copy) | lookup → encode → cache
//   AXFR/IXFR, UPDATE, NOTIFY, TSIG ─▶ slow path: full parse, dispatch by opcode
//   provider.getChanges (IXFR history, else an in-memory journal), provider.getTsigKey,
//   onUpdate (apply an RFC 2136 update, call replaceZone, return an RCODE), signer (DNSSEC seam).
//
// Choices the DNS module relies on:
// - The closest enclosing zone is found by the server's own table (one Map read per label), not
//   by the provider: the hot path must be synchronous. The provider is asked only for history,
//   keys and the zones to load at start.
// - Names are canonical text: absolute, lower-case, minimal escapes (wire/name.ts).
// - Delegation points are derived (non-apex NS owners); DS at a cut is answered by the parent.
// - ANY (RFC 8482): one real RRset (the lowest type present) over UDP, every RRset over TCP.
// - DNSSEC: a snapshot that carries RRSIG, NSEC3 and NSEC3PARAM records is a signed zone. With DO
//   its answers get their RRSIGs and the NSEC3 proofs of RFC 5155 §7.2 (dnssec-answer.ts); DS at
//   a child's apex is answered from the parent when we serve both; IXFR of it is a full zone.
// - Positive answers are minimal (no NS in authority); NS/MX/SRV targets get A/AAAA we serve.
// - UPDATE needs TSIG with a key scoped to the zone; updates run one at a time and `onUpdate`
//   must call replaceZone before it resolves. IXFR history falls back to an in-memory journal of
//   the last 64 changes per zone (lost on restart: secondaries then get AXFR).
// - UDP runs on native/udp-batch (recvmmsg/sendmmsg, one JS call per batch) when the addon was
//   built, else on node:dgram (`udpTransport`). With `workers`, UDP is answered by node:cluster
//   processes: each owns an SO_REUSEPORT socket on the batched transport, or they share one
//   dgram socket; TCP, transfers, UPDATE and NOTIFY stay in this process.
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { canonicalName, nameToWire, wireToName } from '../wire/name.js';
import { createAnswerCache } from './cache.js';
import { startWorkers, type WorkerPool } from './cluster.js';
import type { ChaosOptions } from './chaos.js';
import { createEngine } from './engine.js';
import { createSlowPath } from './handler.js';
import { createJournal } from './journal.js';
import { resolve } from './lookup.js';
import { createServerMetrics, type ServerMetrics } from './metrics.js';
import { createNotifier } from './notify.js';
import { createRrl, defaultRrl, type RrlOptions } from './rrl.js';
import type { AnswerSigner } from './signer.js';
import { startTcp } from './tcp.js';
import type {
  NotifyTarget,
  TransferRule,
  UpdateHandler,
  ZoneProvider,
  ZoneSnapshot,
} from './types.js';
import { startUdp, type UdpListener } from './udp.js';
import { chooseUdpTransport, loadUdpBatch, startUdpBatch, type UdpTransport } from './udp-batch.js';
import { createZoneTable } from './zone-table.js';

export type * from './types.js';
export type { AnswerSigner, SignRequest } from './signer.js';
export type { Answer, AnswerKind, SectionEntry } from './answer.js';
export type { IndexedZone, RRset, ZoneNode } from './zone-index.js';
export type { RrlOptions } from './rrl.js';
export type { ChaosOptions } from './chaos.js';
export { encodeSoa } from './zone-index.js';

export interface DnsServerOptions {
  /** Listen address; default 127.0.0.1. */
  address?: string;
  /** UDP and TCP port; default 5300, 0 picks a free port (see `addresses()`). */
  port?: number;
  tcp?: { maxConnections?: number; idleMs?: number };
  /** Response rate limiting for UDP; false turns it off. Defaults: 20/s per /24 and /56, slip 2. */
  rrl?: Partial<RrlOptions> | false;
  /** Cached encoded answers; 0 disables the cache. Default 200,000. */
  cacheEntries?: number;
  /** Who may AXFR/IXFR; empty (the default) refuses every transfer. */
  transferRules?: readonly TransferRule[];
  /** Secondaries to NOTIFY for every zone (snapshots can add their own). */
  notify?: readonly NotifyTarget[];
  notifyRetryMs?: number;
  notifyMaxAttempts?: number;
  /** Answers to version.bind / id.server in class CH; omitted names are REFUSED. */
  chaos?: ChaosOptions;
  /**
   * UDP worker processes (node:cluster) sharing the port, one per core is a good start; 0 (the
   * default) answers UDP in this process. Workers cannot run an in-process `signer`.
   */
  workers?: number;
  /** Log level inside worker processes. */
  workerLogLevel?: string;
  /**
   * 'batch': native/udp-batch (recvmmsg/sendmmsg; fails to start without it); 'dgram': node:dgram;
   * 'auto' (the default): batch when the addon loads, else dgram with the reason logged.
   */
  udpTransport?: UdpTransport;
}

export interface DnsServerDeps {
  logger: Logger;
  clock?: Clock;
  registry?: Registry;
  provider?: ZoneProvider;
  signer?: AnswerSigner;
  onUpdate?: UpdateHandler;
}

/** A record as served, for in-process checks such as the API's `?verify`. */
export interface ServedRecord {
  name: string;
  type: number;
  ttl: number;
  rdata: Uint8Array;
}

export interface DnsServer {
  /** Bind UDP and TCP and load `provider.loadZones()`. Resolves once both sockets listen. */
  start(): Promise<void>;
  /** Close the sockets, pending NOTIFYs and connections. */
  stop(): Promise<void>;
  /** Serve `snapshot` from now on (its answers replace cached ones at once) and NOTIFY secondaries. */
  replaceZone(snapshot: ZoneSnapshot): void;
  /** Stop serving a zone; its names become REFUSED. */
  removeZone(apex: string): void;
  /** The serial being served for a zone, or undefined. */
  servedSerial(apex: string): number | undefined;
  /** Answer records for name/type exactly as the wire would (no sockets). */
  lookup(name: string, type: number): { rcode: number; answer: ServedRecord[] };
  /** The bound UDP and TCP ports (useful with port 0). */
  addresses(): { address: string; udpPort: number; tcpPort: number };
  /** NOTIFYs still waiting for an acknowledgement. */
  pendingNotifies(): number;
  readonly metrics: ServerMetrics;
}

/** Build the DNS server; nothing listens until `start()`. */
export function createDnsServer(deps: DnsServerDeps, options: DnsServerOptions = {}): DnsServer {
  const clock = deps.clock ?? systemClock;
  const provider = deps.provider ?? {};
  const logger = deps.logger;
  const metrics = createServerMetrics(deps.registry);
  const table = createZoneTable();
  const journal = createJournal();
  const cache = createAnswerCache(options.cacheEntries ?? 200_000);
  const engine = createEngine({
    table,
    cache,
    metrics,
    logger,
    signer: deps.signer,
    chaos: options.chaos,
  });
  const slow = createSlowPath({
    engine,
    table,
    provider,
    journal,
    transferRules: options.transferRules ?? [],
    clock,
    metrics,
    logger,
    signer: deps.signer,
    onUpdate: deps.onUpdate,
  });
  const rrl =
    options.rrl === false ? undefined : createRrl({ ...defaultRrl, ...options.rrl }, clock);
  const notifier = createNotifier(
    {
      targets: options.notify ?? [],
      retryMs: options.notifyRetryMs ?? 1000,
      maxAttempts: options.notifyMaxAttempts ?? 10,
    },
    { logger, metrics, provider, clock },
  );
  const address = options.address ?? '127.0.0.1';
  const workers = options.workers ?? 0;
  if (workers > 0 && deps.signer)
    throw new Error('dns: an in-process signer cannot run with UDP workers');
  let pool: WorkerPool | undefined;
  let udp: UdpListener | undefined;
  let tcp: Awaited<ReturnType<typeof startTcp>> | undefined;
  let udpPort = 0;

  const install = (snapshot: ZoneSnapshot, notify: boolean): void => {
    const { zone, previous } = table.replace(snapshot);
    if (previous) journal.record(previous, zone);
    else engine.flush(); // a new apex can take names away from a parent zone or from REFUSED
    pool?.zone(snapshot);
    if (notify && previous?.serial !== zone.serial) notifier.zoneChanged(zone);
  };

  return {
    metrics,
    async start() {
      for (const s of (await provider.loadZones?.()) ?? []) install(s, false);
      const transport = chooseUdpTransport(options.udpTransport ?? 'auto', logger);
      const tcpOptions = {
        maxConnections: options.tcp?.maxConnections ?? 256,
        idleMs: options.tcp?.idleMs ?? 10_000,
      };
      if (workers > 0) {
        // TCP first so port 0 resolves to a port the workers then bind for UDP.
        tcp = await startTcp(address, options.port ?? 5300, tcpOptions, {
          engine,
          slow,
          metrics,
          logger,
        });
        udpPort = (tcp.server.address() as { port: number }).port;
        const init = {
          t: 'init' as const,
          address,
          port: udpPort,
          rrl: options.rrl ?? {},
          cacheEntries: options.cacheEntries ?? 200_000,
          chaos: options.chaos,
          logLevel: options.workerLogLevel ?? 'warn',
          transport,
          workers,
        };
        pool = await startWorkers(workers, init, {
          slow,
          metrics,
          logger,
          snapshots: () => [...table.list()].map((z) => z.snapshot),
        });
        return;
      }
      const udpDeps = { engine, slow, metrics, logger, rrl };
      const addon = transport === 'batch' ? loadUdpBatch() : undefined;
      // Port 0 (tests, a second instance on one host) lets the kernel pick a free UDP port, but
      // that number may be taken for TCP by someone else: then try another pair.
      for (let attempt = 1; ; attempt++) {
        udp =
          addon && 'addon' in addon
            ? await startUdpBatch(addon.addon, address, options.port ?? 5300, udpDeps, {
                reusePort: false,
              })
            : await startUdp(address, options.port ?? 5300, udpDeps);
        udpPort = udp.port();
        try {
          tcp = await startTcp(address, udpPort, tcpOptions, { engine, slow, metrics, logger });
          return;
        } catch (err) {
          const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
          if (options.port !== 0 || !taken || attempt >= 5) {
            await udp.close();
            udp = undefined;
            throw err;
          }
          await udp.close();
        }
      }
    },
    async stop() {
      notifier.close();
      await pool?.stop();
      pool = undefined;
      await udp?.close();
      if (tcp) {
        for (const s of tcp.sockets) s.destroy();
        await new Promise<void>((r) => tcp!.server.close(() => r()));
      }
      udp = tcp = undefined;
    },
    replaceZone: (snapshot) => install(snapshot, true),
    removeZone(apex) {
      const z = table.remove(apex);
      if (z) {
        journal.forget(z.apex);
        engine.flush();
        pool?.remove(z.apex);
      }
    },
    servedSerial: (apex) => table.getZone(apex)?.serial,
    lookup(name, type) {
      const canonical = canonicalName(name);
      const ans = resolve(table, {
        name: canonical,
        wire: nameToWire(canonical),
        type,
        dnssecOk: false,
        tcp: true,
      });
      return {
        rcode: ans.rcode,
        answer: ans.answer.flatMap((e) =>
          e.rrset.rdata.map((rdata) => ({
            name: wireToName(e.owner, 0, true),
            type: e.rrset.type,
            ttl: e.rrset.ttl,
            rdata,
          })),
        ),
      };
    },
    addresses() {
      const t = tcp?.server.address();
      return { address, udpPort, tcpPort: t && typeof t === 'object' ? t.port : 0 };
    },
    pendingNotifies: () => notifier.pending(),
  };
}
