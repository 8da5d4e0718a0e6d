// The simulator driver, Bestiary's embedded default: simulated Pis that boot like real ones and serve real SSH.
import { existsSync, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import ssh2 from 'ssh2';
import {
  DriverError,
  type BootDriver,
  type BootEvent,
  type DriverDeps,
  type DriverSet,
  type PiTarget,
  type PowerDriver,
} from '../types.js';
import { runBoot } from './boot.js';
import { ensureDefaultImages, type BuiltImage } from './images.js';
import { kernelOf, temperatureOf } from './models.js';
import { newHostKey, startPiSsh, type PiSshServer } from './ssh-server.js';
import * as st from './state.js';
import { createSimStorage, openRoot } from './storage.js';

export type { Fault, FaultOptions, ActiveFault } from './state.js';
export type { BuiltImage } from './images.js';

export interface SimulatorOptions {
  /** Multiplies simulated hardware time: 1 = realistic, 0 = none (tests, benchmarks). */
  timeScale?: number;
  /** Where image archives live; default `<dataDir>/images`. Default images are built there if absent. */
  imagesDir?: string;
}

/** Controls only a simulator has: faults, workload, and the images it built. */
export interface SimulatorControl {
  /** Make a Pi misbehave; `times` limits it to that many boots (or power calls). Settable at runtime. */
  injectFault(serial: string, fault: st.Fault, options?: st.FaultOptions): Promise<void>;
  clearFaults(serial: string): Promise<void>;
  faults(serial: string): st.ActiveFault[];
  /** Customer workload, 0–1, which heats the SoC. */
  setLoad(serial: string, load: number): Promise<void>;
  /** The image archives on disk, default ones included. */
  images: BuiltImage[];
}

export interface SimulatorDrivers extends DriverSet {
  sim: SimulatorControl;
}

interface Runtime {
  state: st.PiState;
  dir: string;
  listeners: Set<(e: BootEvent) => void>;
  history: BootEvent[];
  run: AbortController | null;
  ssh: PiSshServer | null;
  bootedAt: number | null;
  sessions: number;
  lock: Promise<unknown>;
}

/** Build the simulator. Pis left powered on by a previous run boot again, as after a power blip. */
export async function createSimulator(
  deps: DriverDeps,
  options: SimulatorOptions = {},
): Promise<SimulatorDrivers> {
  const timeScale = options.timeScale ?? 1;
  const log = deps.logger.child({ driver: 'simulator' });
  const pis = new Map<string, Runtime>();
  const images = await ensureDefaultImages({
    imagesDir: options.imagesDir ?? join(deps.dataDir, 'images'),
  });

  const runtime = (target: PiTarget): Runtime => {
    let rt = pis.get(target.serial);
    if (!rt) {
      const dir = st.piDir(deps.dataDir, target.serial);
      rt = {
        state: st.freshState(target),
        dir,
        listeners: new Set(),
        history: [],
        run: null,
        ssh: null,
        bootedAt: null,
        sessions: 0,
        lock: Promise.resolve(),
      };
      pis.set(target.serial, rt);
    }
    rt.state.target = { ...rt.state.target, ...target };
    return rt;
  };
  const known = (serial: string): Runtime => {
    const rt = pis.get(serial);
    if (!rt) throw new DriverError('simulator', `no simulated Pi with serial ${serial}`);
    return rt;
  };
  /** Serialise every change to one Pi, then persist it. */
  const withRt = <T>(rt: Runtime, fn: () => Promise<T>): Promise<T> => {
    const next = rt.lock.then(async () => {
      const out = await fn();
      await st.saveState(deps.dataDir, rt.state);
      return out;
    });
    rt.lock = next.catch(() => undefined);
    return next;
  };

  const emit = (rt: Runtime, event: BootEvent) => {
    log.debug({ serial: rt.state.target.serial, event }, 'boot event');
    rt.history.push(event);
    for (const l of rt.listeners) {
      try {
        l(event);
      } catch (err) {
        log.error({ err }, 'boot event listener failed');
      }
    }
  };

  /**
   * The Pi's SSH host key, made on its first boot and kept, as sshd's first start does. Written
   * to a temporary file and renamed, so a boot that overlaps another (a power cycle during the
   * first start) never reads or leaves half a key; one that cannot be parsed is made again.
   */
  async function hostKey(rt: Runtime): Promise<string> {
    const file = join(rt.dir, 'ssh_host_ed25519_key');
    if (existsSync(file)) {
      const key = await fs.readFile(file, 'utf8');
      if (!(ssh2.utils.parseKey(key) instanceof Error)) return key;
      log.warn({ serial: rt.state.target.serial }, 'SSH host key unreadable; making a new one');
    }
    const key = newHostKey();
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
    await fs.writeFile(temp, key, { mode: 0o600 });
    await fs.rename(temp, file);
    return key;
  }

  async function startSsh(rt: Runtime, signal: AbortSignal) {
    const { model } = rt.state.target;
    const common = {
      logger: log,
      hostKey: await hostKey(rt),
      host: '127.0.0.1' as const,
      openRoot: () => openRoot(rt.state, rt.dir),
      shellEnv: {
        kernel: kernelOf(model, rt.state.arch),
        uptimeSeconds: () => (deps.clock.now() - (rt.bootedAt ?? deps.clock.now())) / 1000,
        load: () => loadOf(rt),
        now: () => deps.clock.now(),
      },
      onSessions: (n: number) => void (rt.sessions = n),
    };
    const wanted = rt.state.boot?.sshPort ?? 0;
    const server = await startPiSsh({ ...common, port: wanted }).catch(
      (err: NodeJS.ErrnoException) => {
        if (wanted === 0 || err.code !== 'EADDRINUSE') throw err;
        log.warn(
          { serial: rt.state.target.serial, port: wanted },
          'ssh port in use; using another',
        );
        return startPiSsh({ ...common, port: 0 });
      },
    );
    if (signal.aborted) {
      await server.close();
      signal.throwIfAborted();
    }
    rt.ssh = server;
    rt.bootedAt = deps.clock.now();
    return { host: '127.0.0.1', port: server.port };
  }

  function startBoot(rt: Runtime): void {
    const ac = new AbortController();
    rt.run = ac;
    rt.history = [];
    const save = () => st.saveState(deps.dataDir, rt.state);
    runBoot({
      state: rt.state,
      timeScale,
      signal: ac.signal,
      now: () => deps.clock.now(),
      emit: (e) => emit(rt, e),
      save,
      startSsh: () => startSsh(rt, ac.signal),
    }).catch((err: unknown) => {
      if (!ac.signal.aborted)
        log.error({ err, serial: rt.state.target.serial }, 'simulated boot failed');
    });
  }

  async function cutPower(rt: Runtime): Promise<void> {
    rt.run?.abort(new Error('power off'));
    rt.run = null;
    await rt.ssh?.close();
    rt.ssh = null;
    rt.bootedAt = null;
  }

  const powerFault = async (rt: Runtime) => {
    if (st.consumeFault(rt.state, 'power-error')) {
      await st.saveState(deps.dataDir, rt.state);
      throw new DriverError(
        'simulator',
        `PoE switch did not answer for Pi ${rt.state.target.serial} (injected fault)`,
      );
    }
  };

  const power: PowerDriver = {
    on: (pi) => {
      const rt = runtime(pi);
      return withRt(rt, async () => {
        await powerFault(rt);
        if (rt.state.power === 'on') return;
        rt.state.power = 'on';
        startBoot(rt);
      });
    },
    off: (pi) => {
      const rt = runtime(pi);
      return withRt(rt, async () => {
        await powerFault(rt);
        if (rt.state.power === 'off') return;
        await cutPower(rt);
        rt.state.power = 'off';
        emit(rt, { kind: 'power-off', at: deps.clock.now() });
      });
    },
    cycle: (pi) => {
      const rt = runtime(pi);
      return withRt(rt, async () => {
        await powerFault(rt);
        if (rt.state.power === 'on') {
          await cutPower(rt);
          emit(rt, { kind: 'power-off', at: deps.clock.now() });
          // Let the Pi's capacitors drain before power returns (MAAS waits 5 s; a Pi needs ~2 s).
          if (timeScale > 0) await sleep(2000 * timeScale);
        }
        rt.state.power = 'on';
        startBoot(rt);
      });
    },
    state: async (pi) => pis.get(pi.serial)?.state.power ?? 'off',
  };

  function subscribe(pi: PiTarget, listener: (e: BootEvent) => void): () => void {
    const rt = runtime(pi);
    rt.listeners.add(listener);
    return () => void rt.listeners.delete(listener);
  }

  const boot: BootDriver = {
    configure: (pi, config) => {
      const rt = runtime(pi);
      return withRt(rt, async () => void (rt.state.boot = config));
    },
    deconfigure: (pi) => {
      const rt = runtime(pi);
      return withRt(rt, async () => void (rt.state.boot = null));
    },
    subscribe,
    events(pi, opts = {}) {
      // Subscribe now, not at the first next(), so nothing between the call and the loop is lost.
      const queue: BootEvent[] = opts.replay ? [...runtime(pi).history] : [];
      let wake: (() => void) | null = null;
      const unsubscribe = subscribe(pi, (e) => {
        queue.push(e);
        wake?.();
      });
      const onAbort = () => wake?.();
      opts.signal?.addEventListener('abort', onAbort);
      return (async function* () {
        try {
          while (!opts.signal?.aborted) {
            const e = queue.shift();
            if (e) yield e;
            else await new Promise<void>((r) => (wake = r));
          }
        } finally {
          unsubscribe();
          opts.signal?.removeEventListener('abort', onAbort);
        }
      })();
    },
    status: async (pi) => {
      const rt = pis.get(pi.serial);
      const last = rt?.history.at(-1) ?? null;
      return {
        power: rt?.state.power ?? 'off',
        last,
        ssh: last?.kind === 'ssh-up' ? { host: last.host, port: last.port } : null,
      };
    },
  };

  const loadOf = (rt: Runtime) =>
    Math.min(1, Math.max(rt.state.load, rt.run && !rt.ssh ? 0.6 : 0, rt.sessions * 0.15));

  const sim: SimulatorControl = {
    injectFault: (serial, fault, o = {}) =>
      withRt(known(serial), async () => {
        known(serial).state.faults.push({
          fault,
          remaining: o.times ?? null,
          ...(o.file ? { file: o.file } : {}),
        });
      }),
    clearFaults: (serial) =>
      withRt(known(serial), async () => void (known(serial).state.faults = [])),
    faults: (serial) => structuredClone(known(serial).state.faults),
    setLoad: (serial, load) =>
      withRt(known(serial), async () => void (known(serial).state.load = load)),
    images,
  };

  for (const saved of await st.loadStates(deps.dataDir)) {
    const rt = runtime(saved.target);
    rt.state = saved;
    if (saved.power === 'on') startBoot(rt);
  }
  log.info({ pis: pis.size, timeScale }, 'simulator ready');

  return {
    kind: 'simulator',
    power,
    boot,
    storage: createSimStorage({
      dataDir: deps.dataDir,
      withPi: (pi, fn) => {
        const rt = runtime(pi);
        return withRt(rt, () => fn(rt.state, rt.dir));
      },
    }),
    telemetry: {
      temperature: async (pi) => {
        const rt = pis.get(pi.serial);
        return rt?.state.power === 'on'
          ? temperatureOf(rt.state.target.model, loadOf(rt), deps.clock.now())
          : null;
      },
    },
    sim,
    close: async () => {
      for (const rt of pis.values()) await cutPower(rt);
    },
  };
}
