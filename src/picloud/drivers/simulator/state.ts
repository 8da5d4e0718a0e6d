// What a simulated Pi remembers across restarts (power, image, boot config, faults), kept beside its root.
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '../../../core/ids.js';
import { DriverError, type BootConfig, type ImageRef, type PiTarget } from '../types.js';

/** Faults an operator or a test can inject into one simulated Pi. */
export type Fault =
  'no-dhcp' | 'missing-boot-file' | 'stalled-transfer' | 'ssh-never-up' | 'power-error';

export const faults: readonly Fault[] = [
  'no-dhcp',
  'missing-boot-file',
  'stalled-transfer',
  'ssh-never-up',
  'power-error',
];

export interface FaultOptions {
  /** How many boots (power calls for `power-error`) it affects before clearing; forever when absent. */
  times?: number;
  /** Boot file (basename, e.g. `kernel8.img`) for `missing-boot-file` and `stalled-transfer`. */
  file?: string;
}

export interface ActiveFault {
  fault: Fault;
  remaining: number | null;
  file?: string;
}

export interface PiState {
  target: PiTarget;
  power: 'on' | 'off';
  image: ImageRef | null;
  /** The unpacked image directory this Pi's root is layered over. */
  lower: string | null;
  /** Architecture of the image (from its /var/lib/dpkg/arch): picks the kernel the firmware fetches. */
  arch: 'arm64' | 'armhf';
  boot: BootConfig | null;
  faults: ActiveFault[];
  /** Customer workload between 0 and 1, for temperature. */
  load: number;
}

/** A Pi's own directory; serials are checked so they can never name a path outside the data dir. */
export function piDir(dataDir: string, serial: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(serial))
    throw new DriverError('simulator', `invalid serial "${serial}"`);
  return join(dataDir, 'pis', serial);
}

export const freshState = (target: PiTarget): PiState => ({
  target,
  power: 'off',
  image: null,
  lower: null,
  arch: 'arm64',
  boot: null,
  faults: [],
  load: 0,
});

/** Read every Pi's saved state (after a restart of Bestiary). */
export async function loadStates(dataDir: string): Promise<PiState[]> {
  const root = join(dataDir, 'pis');
  if (!existsSync(root)) return [];
  const out: PiState[] = [];
  for (const serial of await fs.readdir(root)) {
    const text = await fs.readFile(join(root, serial, 'state.json'), 'utf8').catch(() => null);
    if (text) out.push(JSON.parse(text) as PiState);
  }
  return out;
}

/** Save atomically, so a crash mid-write never leaves a half-written state file. */
export async function saveState(dataDir: string, state: PiState): Promise<void> {
  const dir = piDir(dataDir, state.target.serial);
  await fs.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.state.${randomToken(6)}`);
  await fs.writeFile(tmp, JSON.stringify(state, null, 1));
  await fs.rename(tmp, join(dir, 'state.json'));
}

/**
 * Use up one occurrence of `fault` if it is active (and, for file faults, names `file` or names
 * no file and `isDefault` says this is the file it hits by default). True when it fires.
 */
export function consumeFault(
  state: PiState,
  fault: Fault,
  file?: string,
  isDefault = false,
): boolean {
  const i = state.faults.findIndex(
    (f) =>
      f.fault === fault &&
      (file === undefined ||
        (f.file === undefined ? isDefault : file.endsWith(`/${f.file}`) || file === f.file)),
  );
  const f = state.faults[i];
  if (!f) return false;
  if (f.remaining !== null && --f.remaining <= 0) state.faults.splice(i, 1);
  return true;
}
