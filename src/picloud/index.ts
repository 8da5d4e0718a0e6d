// The Raspberry Pi cloud: fleet (sites, switches, Pis), catalogue (specs, images), customers' SSH
// keys and servers, and the provisioning pipeline that drives the hardware through drivers/.
// Owns the pi_* tables and its own lane of the job queue. Other modules enter here only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditLog } from '../accounts/index.js';
import type { Clock } from '../core/clock.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/index.js';
import { createJobs } from '../jobs/index.js';
import { addressPlan } from './addresses.js';
import { createCatalogue } from './catalogue.js';
import type { PicloudConfig, PicloudContext } from './context.js';
import { nowIso } from './context.js';
import type { DriverSet, SimulatorControl } from './drivers/index.js';
import { createSimulator } from './drivers/index.js';
import { PicloudNotStarted } from './errors.js';
import { createFleet } from './fleet.js';
import { createKeys } from './keys.js';
import { defineCommissionJob, definePiJobs, recoverTasks } from './pipeline/jobs.js';
import { registerImages, seedFleet } from './seed.js';
import { createServers } from './servers.js';
import { createPicloudStore } from './store.js';
import type { PicloudTables } from './tables.js';

export type { PicloudConfig } from './context.js';
export type { EnrolInput, Fleet } from './fleet.js';
export type { Catalogue, ImageView, SpecView } from './catalogue.js';
export type { SshKeyView } from './keys.js';
export type { OrderInput } from './order.js';
export { checkName } from './order.js';
export type { ServerView, TaskView } from './views.js';
export { sshCommand } from './views.js';
export type { HostRow as PiHost } from './store.js';
export type { HostState, ServerStatus, TaskKind } from './tables.js';
export { hostStates } from './tables.js';
export type { BootPhase } from './pipeline/boot-watch.js';
export { bootSteps } from './pipeline/boot-watch.js';
export type { PiModel } from './models.js';
export { apiModelOf, isPiModel, modelsForApiNumber, piModels } from './models.js';
export { NameInUse, NotProvisioned, OutOfStock, ServerBusy, ServerNotFound } from './errors.js';
export { parsePublicKey, parsePublicKeys } from './sshkeys.js';
export { piUsage, runPiCli } from './cli.js';

export interface PicloudDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  audit: AuditLog;
  config: PicloudConfig;
  /** Bestiary's data directory; the simulator keeps its state under it by default. */
  dataDir: string;
  jobs: { pollMs: number; leaseSeconds: number };
}

/** Build the Pi cloud. Nothing touches hardware until start(). */
export function createPicloudModule(deps: PicloudDeps) {
  const { config } = deps;
  const logger = deps.logger.child({ module: 'picloud' });
  const store = createPicloudStore(deps.db.forModule<PicloudTables>(), deps.db.dialect);
  // Their own lane: Pi jobs mostly wait on hardware, and must not starve other modules' jobs.
  const lane = createJobs({
    db: deps.db,
    clock: deps.clock,
    logger,
    pollMs: deps.jobs.pollMs,
    concurrency: config.concurrency,
    leaseSeconds: deps.jobs.leaseSeconds,
  });
  let drivers: DriverSet | null = null;
  let simulator: SimulatorControl | null = null;
  let scratch: string | null = null;
  let stopping = false;

  const ctx: PicloudContext = {
    store,
    clock: deps.clock,
    logger,
    events: deps.events,
    audit: deps.audit,
    config,
    plan: addressPlan(config.ipv6Prefix, config.sshPortBase),
    jobs: lane,
    drivers: () => {
      if (!drivers) throw new PicloudNotStarted();
      return drivers;
    },
    now: () => nowIso(deps.clock),
  };
  const fleet = createFleet(ctx);
  const catalogue = createCatalogue(ctx);
  const keys = createKeys(ctx);
  const servers = createServers(ctx, catalogue);
  definePiJobs(ctx, () => stopping);
  defineCommissionJob(ctx, (piId) =>
    fleet.returnToService(piId, { accountId: null, ip: null, channel: 'system', isAdmin: true }),
  );

  function simulatorDir(): string {
    if (config.simulator.dataDir) return config.simulator.dataDir;
    if (deps.dataDir !== ':memory:') return join(deps.dataDir, 'picloud');
    scratch = mkdtempSync(join(tmpdir(), 'bestiary-picloud-'));
    return scratch;
  }

  return {
    fleet,
    catalogue,
    keys,
    servers,
    /** The simulator's own controls (faults, load), or null with real hardware or before start. */
    get simulator(): SimulatorControl | null {
      return simulator;
    },
    get started(): boolean {
      return drivers !== null;
    },
    /**
     * Start the drivers (the simulator builds its images on first start), fill the catalogue,
     * seed a simulated site into an empty fleet, re-queue interrupted tasks, and run Pi jobs.
     */
    async start(options: { runJobs?: boolean } = {}): Promise<void> {
      if (drivers) return;
      const sim = await createSimulator(
        { logger, clock: deps.clock, dataDir: simulatorDir() },
        {
          timeScale: config.simulator.timeScale,
          ...(config.simulator.imagesDir ? { imagesDir: config.simulator.imagesDir } : {}),
        },
      );
      drivers = sim;
      simulator = sim.sim;
      stopping = false;
      await registerImages(ctx, catalogue, sim.sim.images);
      await seedFleet(ctx, fleet, config.simulator.seedSite, config.simulator.seedPis);
      const resumed = await recoverTasks(ctx);
      await deps.events.emit('pi.cloud_started', { domain: config.domain });
      if (options.runJobs) lane.start();
      logger.info({ resumed, driver: config.driver }, 'Pi cloud started');
    },
    /** Run due Pi jobs until none is left (tests and the CLI). */
    drain: () => lane.drain(),
    /** Start working Pi jobs in the background. */
    runJobs: () => lane.start(),
    /** Stop Pi jobs (aborted after graceMs; they resume on the next start) and the drivers. */
    async stop(graceMs = 10_000): Promise<void> {
      stopping = true;
      await lane.stop(graceMs);
      await drivers?.close();
      drivers = null;
      simulator = null;
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      scratch = null;
    },
  };
}

export type PicloudModule = ReturnType<typeof createPicloudModule>;
