// The monitor under test, in its own process: N checks, real probes, alerts to IRC; reports its own cost.
// With `sqlite` as the last argument, state batches and series go to the real SQL store on a SQLite
// file (WAL) in this process, so its CPU is counted; otherwise each batch is only serialised.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createDatabase, migrateToLatest } from '../../src/db/index.js';
import { createMonitoringStore } from '../../src/monitoring/store.js';
import type { MonitoringTables } from '../../src/monitoring/tables.js';
import type { SeriesStorage } from '../../src/monitoring/timeseries.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Alert, MonitoringPersistence } from '../../src/monitoring/index.js';
import { createIrcNotifier, createMonitoring, createRouter } from '../../src/monitoring/index.js';
import { benchChecks } from './shared.js';

const [size = 1000, ircPort = 0, hosts = 50, warmupS = 70, measureS = 150] = process.argv
  .slice(2, 7)
  .map(Number);
const storeKind = process.argv[7] === 'sqlite' ? 'sqlite' : 'json';
const defs = benchChecks(size, hosts);

/** Persistence that pays for serialising each batch, as a store would, and keeps nothing. */
let bytes = 0;
let batches = 0;
let series: SeriesStorage | undefined;
let save: MonitoringPersistence['saveResults'] = async (b) => {
  bytes += JSON.stringify(b).length;
};
if (storeKind === 'sqlite') {
  const database = createDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'bench-monitor-')) });
  await migrateToLatest(database.kysely, database.dialect);
  const store = createMonitoringStore(database.forModule<MonitoringTables>(), { rollupDays: 400 });
  for (const def of defs) {
    const { id, ...rest } = def;
    await store.insertCheck({
      id,
      account_id: null,
      source: 'config',
      origin: null,
      type: def.type,
      name: def.name,
      ref: def.ref,
      definition: JSON.stringify(rest),
      public: 0,
      push_token: null,
      created_at: Date.now(),
      updated_at: Date.now(),
    });
  }
  series = store.series;
  save = store.persistence.saveResults;
}
const persistence: MonitoringPersistence = {
  loadState: async () => null,
  saveResults: async (b) => {
    await save(b);
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
  ...(series ? { series } : {}),
  notify: (a: Alert) => {
    process.send?.({ alert: { line: a.line, kind: a.kind, at: Date.now() } });
    return router.dispatch(a);
  },
});
for (const def of defs) monitoring.upsert(def);
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
