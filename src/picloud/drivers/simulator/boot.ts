// One simulated network boot: the same phases a real Pi goes through, with model timings and injected faults.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BootEvent } from '../types.js';
import { bootFiles, modelProfiles } from './models.js';
import { consumeFault, type Fault, type PiState } from './state.js';

export interface BootRunDeps {
  state: PiState;
  /** Multiplies hardware time; 0 = none (tests, benchmarks). */
  timeScale: number;
  signal: AbortSignal;
  now(): number;
  emit(event: BootEvent): void;
  /** Persist fault counters after one fires. */
  save(): Promise<void>;
  /** Start the Pi's SSH server once its root is up. */
  startSsh(): Promise<{ host: string; port: number }>;
}

/** The address dnsmasq would hand this MAC: stable, inside the lab's 10.99.0.0/16. */
export function leaseFor(mac: string): string {
  const h = createHash('sha256').update(mac.toLowerCase()).digest();
  return `10.99.${h[0]! % 254}.${(h[1]! % 200) + 50}`;
}

/** Wait hardware time `ms` (scaled); throws when the Pi loses power meanwhile. */
async function pause(deps: BootRunDeps, ms: number): Promise<void> {
  if (deps.timeScale > 0) await sleep(ms * deps.timeScale, undefined, { signal: deps.signal });
  else await new Promise((r) => setImmediate(r));
  deps.signal.throwIfAborted();
}

/** A stalled Pi just sits there until it is powered off; only the caller's timeout notices. */
const stall = (signal: AbortSignal) =>
  new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );

/**
 * Run one boot from power-on to SSH up. Resolves when SSH is up, never resolves on a stall,
 * and rejects with the abort reason when power is cut.
 */
export async function runBoot(deps: BootRunDeps): Promise<void> {
  const { state } = deps;
  const p = modelProfiles[state.target.model];
  const fired = async (fault: Fault, file?: string, isDefault = false) => {
    const hit = consumeFault(state, fault, file, isDefault);
    if (hit) await deps.save();
    return hit;
  };
  deps.emit({ kind: 'power-on', at: deps.now() });
  await pause(deps, 300); // PHY link-up before the ROM's first DISCOVER
  deps.emit({ kind: 'dhcp-discover', at: deps.now() });
  // An unconfigured Pi matches dnsmasq's dhcp-ignore and gets no answer, exactly like a fault.
  if (!state.boot || (await fired('no-dhcp'))) return stall(deps.signal);
  await pause(deps, p.dhcpMs);
  deps.emit({ kind: 'dhcp-offer', at: deps.now(), ip: leaseFor(state.target.mac) });
  const files = bootFiles(state.target.model, state.target.serial, state.arch);
  const firstPrefixed = files.findIndex((f) => f.name.includes('/'));
  for (const [i, f] of files.entries()) {
    const at = () => deps.now();
    if (await fired('missing-boot-file', f.name, i === firstPrefixed)) {
      deps.emit({ kind: 'tftp', at: at(), file: f.name, status: 'not-found', bytes: 0 });
      return stall(deps.signal);
    }
    deps.emit({ kind: 'tftp', at: at(), file: f.name, status: 'start', bytes: 0 });
    if (await fired('stalled-transfer', f.name, i === files.length - 1)) return stall(deps.signal);
    await pause(deps, (f.bytes / p.tftpBytesPerSecond) * 1000);
    deps.emit({ kind: 'tftp', at: at(), file: f.name, status: 'done', bytes: f.bytes });
  }
  await pause(deps, p.kernelMs);
  deps.emit({ kind: 'kernel-started', at: deps.now() });
  await pause(deps, p.rootfsMs);
  // No root filesystem to mount: the kernel panics and waits, as a real one does.
  if (!state.lower) return stall(deps.signal);
  deps.emit({ kind: 'rootfs-mounted', at: deps.now() });
  if (await fired('ssh-never-up')) return stall(deps.signal);
  await pause(deps, p.sshMs);
  const ssh = await deps.startSsh();
  deps.signal.throwIfAborted();
  deps.emit({ kind: 'ssh-up', at: deps.now(), ...ssh });
}
