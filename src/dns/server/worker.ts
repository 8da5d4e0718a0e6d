// A UDP worker process (node:cluster). Node 20 has no SO_REUSEPORT for dgram, but cluster workers
// binding the same port share one socket handle, so N workers read one socket on N cores.
// Each worker keeps its own copy of the zone table and answer cache; anything off the fast
// path (UPDATE, TSIG, IXFR over UDP, malformed packets) is forwarded to the primary.
import cluster from 'node:cluster';
import { createLogger } from '../../core/logger.js';
import { systemClock } from '../../core/clock.js';
import { createAnswerCache } from './cache.js';
import { createEngine } from './engine.js';
import { createServerMetrics } from './metrics.js';
import { createRrl, defaultRrl } from './rrl.js';
import { startUdp } from './udp.js';
import { createZoneTable } from './zone-table.js';
import type { FromWorker, ToWorker } from './cluster.js';

const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

function main(): void {
  const send = (m: FromWorker): void => void process.send?.(m);
  const table = createZoneTable();
  const metrics = createServerMetrics();
  let flushCache = (): void => undefined;
  let socket: Awaited<ReturnType<typeof startUdp>> | undefined;

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
        startUdp(m.address, m.port, { engine, slow, metrics, logger, rrl })
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
