// A UDP worker process (node:cluster). On the batched transport each worker binds its own
// SO_REUSEPORT socket and the kernel spreads clients over them; on node:dgram (no reusePort in
// Node 20) cluster workers binding the same port share one handle, N workers reading one socket.
// Each worker keeps its own copy of the zone table and answer cache; anything off the fast
// path (UPDATE, TSIG, IXFR over UDP, malformed packets) is forwarded to the primary.
import cluster from 'node:cluster';
import { createLogger } from '../../core/logger.js';
import { systemClock } from '../../core/clock.js';
import { createAnswerCache } from './cache.js';
import { createEngine } from './engine.js';
import { createServerMetrics } from './metrics.js';
import { createRrl, defaultRrl } from './rrl.js';
import { startUdp, type UdpListener } from './udp.js';
import { loadUdpBatch, startUdpBatch } from './udp-batch.js';
import { createZoneTable } from './zone-table.js';
import type { FromWorker, ToWorker } from './cluster.js';

const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

function main(): void {
  const send = (m: FromWorker): void => void process.send?.(m);
  const table = createZoneTable();
  const metrics = createServerMetrics();
  let flushCache = (): void => undefined;
  let socket: UdpListener | undefined;

  process.on('message', (m: ToWorker) => {
    switch (m.t) {
      case 'init': {
        const logger = createLogger({ level: m.logLevel });
        const cache = createAnswerCache(m.cacheEntries);
        flushCache = () => cache.clear();
        const engine = createEngine({ table, cache, metrics, logger, chaos: m.chaos });
        const rrl =
          m.rrl === false ? undefined : createRrl({ ...defaultRrl, ...m.rrl }, systemClock);
        const slow = async (msg: Buffer, t: { address: string; port: number }): Promise<void> =>
          send({ t: 'slow', msg, address: t.address, port: t.port });
        const deps = { engine, slow, metrics, logger, rrl };
        const batch = m.transport === 'batch' ? loadUdpBatch() : undefined;
        const started = !batch
          ? startUdp(m.address, m.port, deps)
          : 'addon' in batch
            ? startUdpBatch(batch.addon, m.address, m.port, deps, {
                reusePort: true,
                spread: m.workers,
              })
            : Promise.reject(new Error(`batched UDP unavailable: ${batch.reason}`));
        started
          .then((s) => {
            socket = s;
            send({ t: 'ready' });
          })
          .catch((err: unknown) => {
            logger.error({ err }, 'dns worker: cannot bind');
            process.exit(1);
          });
        setInterval(() => send({ t: 'metrics', state: metrics.state() }), 1000).unref();
        return;
      }
      case 'zone': {
        const { previous } = table.replace(m.snapshot);
        if (!previous) flushCache();
        return;
      }
      case 'remove':
        table.remove(m.apex);
        flushCache();
        return;
      case 'reply':
        socket?.send(toBuffer(m.bytes), m.port, m.address);
        return;
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ t: 'hello' });
}

if (cluster.isWorker) main();
