// The monitor under test, in its own process: N checks, real probes, alerts to IRC; reports its own cost.
import { Registry } from 'prom-client';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Alert, MonitoringPersistence } from '../../src/monitoring/index.js';
import { createIrcNotifier, createMonitoring, createRouter } from '../../src/monitoring/index.js';
import { benchChecks } from './shared.js';

const [size = 1000, ircPort = 0, hosts = 50, warmupS = 70, measureS = 150] = process.argv
  .slice(2)
  .map(Number);

/** Persistence that pays for serialising each batch, as a store would, and keeps nothing. */
let bytes = 0;
let batches = 0;
const persistence: MonitoringPersistence = {
  loadState: async () => null,
  saveResults: async (b) => {
    bytes += JSON.stringify(b).length;
    batches++;
  },
};
const registry = new Registry();
const bot = createIrcNotifier(
  { host: '127.0.0.1', port: ircPort, nick: `bench${size}`, channels: ['#alerts'] },
  { clock: systemClock, logger: silentLogger, registry },
);
const router = createRouter([{ notifier: bot, target: '#alerts', scope: 'all' }], silentLogger);
const monitoring = createMonitoring({
  clock: systemClock,
  logger: silentLogger,
  registry,
  persistence,
  notify: (a: Alert) => {
    process.send?.({ alert: { line: a.line, kind: a.kind, at: Date.now() } });
    return router.dispatch(a);
  },
});
for (const def of benchChecks(size, hosts)) monitoring.upsert(def);
bot.start();
await monitoring.start();

let rssMax = 0;
const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 1000);
await new Promise((r) => setTimeout(r, warmupS * 1000));
const cpu0 = process.cpuUsage();
const started0 = monitoring.schedulerStats().started;
const t0 = performance.now();
const batches0 = batches;
process.send?.({ measuring: true });
await new Promise((r) => setTimeout(r, measureS * 1000));
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;
const stats = monitoring.schedulerStats();
const checksRun = stats.started - started0;
clearInterval(sampler);
process.send?.({
  report: {
    size,
    cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    cpuMsPerCheck: (cpu.user + cpu.system) / 1000 / checksRun,
    checksPerSec: checksRun / (wallMs / 1000),
    rssMaxMB: rssMax / 1048576,
    lagP50: stats.lagP50,
    lagP99: stats.lagP99,
    missed: stats.missed,
    writesPerSec: (batches - batches0) / (wallMs / 1000),
    bytesPerBatch: Math.round(bytes / Math.max(1, batches)),
    ircOnline: bot.online(),
    ircConnects: bot.stats().connects,
  },
});
await monitoring.stop();
await bot.close();
process.exit(0);
