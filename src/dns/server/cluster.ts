// The primary's side of the UDP workers: fork them, keep them supplied with zone snapshots,
// answer their forwarded slow-path messages and collect their metrics.
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../core/logger.js';
import type { ChaosOptions } from './chaos.js';
import type { SlowPath } from './handler.js';
import type { MetricsState, ServerMetrics } from './metrics.js';
import type { RrlOptions } from './rrl.js';
import type { ZoneSnapshot } from './types.js';

export type ToWorker =
  | {
      t: 'init';
      address: string;
      port: number;
      rrl: Partial<RrlOptions> | false;
      cacheEntries: number;
      chaos?: ChaosOptions;
      logLevel: string;
      /** 'batch': each worker binds its own SO_REUSEPORT socket; 'dgram': they share one. */
      transport: 'batch' | 'dgram';
      /** How many workers share the port (the batched transport spreads datagrams over them). */
      workers: number;
    }
  | { t: 'zone'; snapshot: ZoneSnapshot }
  | { t: 'remove'; apex: string }
  | { t: 'reply'; bytes: Uint8Array; address: string; port: number };

export type FromWorker =
  | { t: 'hello' }
  | { t: 'ready' }
  | { t: 'slow'; msg: Uint8Array; address: string; port: number }
  | { t: 'metrics'; state: MetricsState };

export interface WorkerPool {
  zone(snapshot: ZoneSnapshot): void;
  remove(apex: string): void;
  stop(): Promise<void>;
}

export interface PoolDeps {
  slow: SlowPath;
  metrics: ServerMetrics;
  logger: Logger;
  /** Every snapshot currently served, for a worker that starts (or restarts) later. */
  snapshots(): ZoneSnapshot[];
}

const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Fork `count` UDP workers bound to address:port; resolves when all of them listen. */
export async function startWorkers(
  count: number,
  init: Extract<ToWorker, { t: 'init' }>,
  deps: PoolDeps,
): Promise<WorkerPool> {
  const exec = fileURLToPath(
    new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url),
  );
  const tsx =
    exec.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx'))
      ? ['--import', 'tsx']
      : [];
  cluster.setupPrimary({
    exec,
    serialization: 'advanced',
    execArgv: [...process.execArgv, ...tsx],
    silent: false,
  });
  const workers = new Set<Worker>();
  let stopping = false;

  const fork = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = cluster.fork();
      workers.add(w);
      w.on('message', (m: FromWorker) => {
        // The worker says hello once its listener is attached (ESM loads asynchronously, so
        // messages sent at 'online' could arrive before anyone listens).
        if (m.t === 'hello') {
          w.send(init satisfies ToWorker);
          for (const snapshot of deps.snapshots())
            w.send({ t: 'zone', snapshot } satisfies ToWorker);
        } else if (m.t === 'ready') resolve();
        else if (m.t === 'metrics') deps.metrics.absorb(`worker-${w.id}`, m.state);
        else if (m.t === 'slow') {
          const send = (bytes: Buffer): void => {
            if (w.isConnected())
              w.send({ t: 'reply', bytes, address: m.address, port: m.port } satisfies ToWorker);
          };
          void deps.slow(toBuffer(m.msg), {
            tcp: false,
            address: m.address,
            port: m.port,
            send,
            drain: () => Promise.resolve(),
          });
        }
      });
      w.on('exit', (code) => {
        workers.delete(w);
        if (stopping) return;
        deps.logger.error({ code }, 'dns: UDP worker exited; starting another');
        reject(new Error(`dns worker exited with ${code}`));
        fork().catch((err: unknown) =>
          deps.logger.error({ err }, 'dns: cannot restart a UDP worker'),
        );
      });
    });

  await Promise.all(Array.from({ length: count }, fork));
  const broadcast = (m: ToWorker): void => {
    for (const w of workers) if (w.isConnected()) w.send(m);
  };
  return {
    zone: (snapshot) => broadcast({ t: 'zone', snapshot }),
    remove: (apex) => broadcast({ t: 'remove', apex }),
    async stop() {
      stopping = true;
      await Promise.all(
        [...workers].map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.kill();
            }),
        ),
      );
    },
  };
}
