// Hardware driver interfaces for the Pi cloud: power, boot/network, storage and telemetry, one per concern.
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/clock.js';

/** Raspberry Pi models the fleet can hold (issue 4). 4B memory is a spec, not a model. */
export type PiModel = '1B' | '2B' | '3B' | '3B+' | '4B' | 'Zero W';

export const piModels: readonly PiModel[] = ['1B', '2B', '3B', '3B+', '4B', 'Zero W'];

/**
 * What a driver needs to reach one Pi. Plain values (ids, never live objects) so a durable job
 * can rebuild it after a restart. `port` is where a real PoE switch powers it.
 */
export interface PiTarget {
  serial: string;
  mac: string;
  model: PiModel;
  port?: { switchId: string; group: number; port: number };
}

/** A root-filesystem image: an archive on disk (tar, optionally zstd-compressed). */
export interface ImageRef {
  name: string;
  archive: string;
  /** The image's default login user (e.g. `pi`); detected from its /etc/passwd when absent. */
  defaultUser?: string;
}

/** A coded failure of the hardware itself (a switch refusing SNMP, a disk error). */
export class DriverError extends Error {
  readonly driver: string;
  constructor(driver: string, message: string) {
    super(message);
    this.name = 'DriverError';
    this.driver = driver;
  }
}

export type PowerState = 'on' | 'off' | 'unknown';

/** Switches a Pi's power, as a managed PoE switch does. Throws DriverError when the switch fails. */
export interface PowerDriver {
  on(pi: PiTarget): Promise<void>;
  off(pi: PiTarget): Promise<void>;
  /** Off then on again; a Pi already off is simply switched on. */
  cycle(pi: PiTarget): Promise<void>;
  state(pi: PiTarget): Promise<PowerState>;
}

/** One boot phase as the server side sees it: DHCP, TFTP, root filesystem, SSH banner. */
export type BootEvent =
  | { kind: 'power-on'; at: number }
  | { kind: 'power-off'; at: number }
  | { kind: 'dhcp-discover'; at: number }
  | { kind: 'dhcp-offer'; at: number; ip: string }
  /** A boot file was requested (`start`), fully sent (`done`), or is absent on the server. */
  | {
      kind: 'tftp';
      at: number;
      file: string;
      status: 'start' | 'done' | 'not-found';
      bytes: number;
    }
  | { kind: 'kernel-started'; at: number }
  | { kind: 'rootfs-mounted'; at: number }
  | { kind: 'ssh-up'; at: number; host: string; port: number };

export type BootEventKind = BootEvent['kind'];

/** Where a booting Pi has got to; `ssh` is set once it is reachable. */
export interface BootStatus {
  power: PowerState;
  last: BootEvent | null;
  ssh: { host: string; port: number } | null;
}

/** Per-Pi network boot settings, the equivalent of a dnsmasq dhcp-host line and a TFTP prefix dir. */
export interface BootConfig {
  image: ImageRef;
  /** Preferred SSH port on the front address; 0 or absent lets the driver choose. */
  sshPort?: number;
}

/**
 * Serves network boot and reports what it sees. Timeouts are the caller's: it waits for the
 * next event and decides when a phase has taken too long (DHCP 45 s, each TFTP file 15 s).
 */
export interface BootDriver {
  /** Let this Pi netboot (DHCP answer, TFTP files, root export). Idempotent. */
  configure(pi: PiTarget, config: BootConfig): Promise<void>;
  /** Stop serving this Pi: it will get no DHCP answer. Idempotent. */
  deconfigure(pi: PiTarget): Promise<void>;
  /**
   * Every boot event of this Pi from the call on, until `signal` aborts or `return()` is called.
   * Call it before powering on. `replay` first yields the current boot's earlier events, so a job
   * resumed after a restart sees where the boot has got to.
   */
  events(
    pi: PiTarget,
    options?: { signal?: AbortSignal; replay?: boolean },
  ): AsyncIterableIterator<BootEvent>;
  /** Callback form of `events`; returns the unsubscribe function. */
  subscribe(pi: PiTarget, listener: (event: BootEvent) => void): () => void;
  status(pi: PiTarget): Promise<BootStatus>;
}

/** Result of writing keys: the paths inside the Pi's root that now hold them. */
export interface KeysWritten {
  paths: string[];
}

/** Per-Pi root filesystems as copy-on-write layers over images. */
export interface StorageDriver {
  /** Give the Pi a fresh root over `image`; a no-op when it already has one over that image. */
  create(pi: PiTarget, image: ImageRef): Promise<void>;
  /** Throw away everything the Pi wrote and start again over `image` (all data deleted). */
  reimage(pi: PiTarget, image: ImageRef): Promise<void>;
  /** Destroy the Pi's root entirely (cancel). Idempotent. */
  destroy(pi: PiTarget): Promise<void>;
  /** Replace authorized_keys of root and of the image's default user (0700 dir, 0600 file). */
  writeAuthorizedKeys(pi: PiTarget, keys: readonly string[]): Promise<KeysWritten>;
  /** Set /etc/hostname inside the Pi's root. */
  writeHostname(pi: PiTarget, hostname: string): Promise<void>;
  /** The image the Pi's root is over and the bytes it has written, or null when it has none. */
  describe(pi: PiTarget): Promise<{ image: string; bytesUsed: number } | null>;
}

/** Sensors the Pi reports. */
export interface TelemetryDriver {
  /** SoC temperature in °C, or null when the Pi is off or does not answer. */
  temperature(pi: PiTarget): Promise<number | null>;
}

/** One kind of hardware: every concern's driver, plus shutdown. */
export interface DriverSet {
  kind: DriverKind;
  power: PowerDriver;
  boot: BootDriver;
  storage: StorageDriver;
  telemetry: TelemetryDriver;
  close(): Promise<void>;
}

/** What every driver factory is given. */
export interface DriverDeps {
  logger: Logger;
  clock: Clock;
  /** Where the driver keeps its state (simulator: images, roots, power and fault flags). */
  dataDir: string;
}

/** Driver kinds the registry (drivers/index.ts) knows. Real hardware adds one file per kind. */
export type DriverKind = 'simulator';
