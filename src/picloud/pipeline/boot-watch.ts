// Watching one boot from the server side, with a deadline per phase: DHCP, each boot file,
// kernel, root filesystem, SSH. A phase that overruns is reported, never waited on for ever.
import type { BootEvent, DriverSet, PiTarget } from '../drivers/index.js';
import { DriverError } from '../drivers/index.js';

/** The steps a customer sees: power on → DHCP → bootloader → kernel → root filesystem → SSH up. */
export type BootPhase =
  'prepare' | 'power' | 'dhcp' | 'bootloader' | 'kernel' | 'rootfs' | 'ssh' | 'up';

export const bootSteps: readonly { phase: BootPhase; label: string }[] = [
  { phase: 'power', label: 'Power on' },
  { phase: 'dhcp', label: 'DHCP' },
  { phase: 'bootloader', label: 'Bootloader' },
  { phase: 'kernel', label: 'Kernel' },
  { phase: 'rootfs', label: 'Root filesystem' },
  { phase: 'ssh', label: 'SSH up' },
];

export interface PhaseTimeouts {
  dhcpSeconds: number;
  tftpFileSeconds: number;
  kernelSeconds: number;
  rootfsSeconds: number;
  sshSeconds: number;
}

export type BootOutcome =
  { ok: true; host: string; port: number } | { ok: false; phase: BootPhase; reason: string };

/** The phase a boot is in after `e`, and the words the API's boot_progress shows. */
export function phaseAfter(e: BootEvent): { phase: BootPhase; progress: string } {
  switch (e.kind) {
    case 'power-on':
    case 'dhcp-discover':
      return { phase: 'dhcp', progress: 'Waiting for initial DHCP' };
    case 'power-off':
      return { phase: 'power', progress: 'Powered off' };
    case 'dhcp-offer':
      return { phase: 'bootloader', progress: `DHCP answered (${e.ip}); loading boot files` };
    case 'tftp':
      return {
        phase: 'bootloader',
        progress: `Loading boot files: ${e.file.split('/').pop()}${e.status === 'done' ? ' done' : ''}`,
      };
    case 'kernel-started':
      return { phase: 'rootfs', progress: 'Kernel started; mounting the root filesystem' };
    case 'rootfs-mounted':
      return { phase: 'ssh', progress: 'Root filesystem mounted; waiting for SSH' };
    case 'ssh-up':
      return { phase: 'up', progress: 'SSH is up' };
  }
}

interface Expectation {
  phase: BootPhase;
  what: string;
  seconds: number;
  deadline: number;
}

function expectAfter(
  e: BootEvent | null,
  t: PhaseTimeouts,
  previous: Expectation | null,
): Expectation {
  const at = (phase: BootPhase, what: string, seconds: number): Expectation => ({
    phase,
    what,
    seconds,
    deadline: Date.now() + seconds * 1000,
  });
  if (e === null) return at('dhcp', 'DHCP answer', t.dhcpSeconds);
  switch (e.kind) {
    case 'power-on':
      return at('dhcp', 'DHCP answer', t.dhcpSeconds);
    case 'dhcp-discover':
    case 'power-off':
      // DHCP's deadline runs from power-on, however many DISCOVERs the ROM sends.
      return previous ?? at('dhcp', 'DHCP answer', t.dhcpSeconds);
    case 'dhcp-offer':
      return at('bootloader', 'first boot file', t.tftpFileSeconds);
    case 'tftp':
      return e.status === 'start'
        ? at('bootloader', `boot file ${e.file.split('/').pop()}`, t.tftpFileSeconds)
        : at('kernel', 'next boot file or kernel', Math.max(t.tftpFileSeconds, t.kernelSeconds));
    case 'kernel-started':
      return at('rootfs', 'root filesystem', t.rootfsSeconds);
    case 'rootfs-mounted':
      return at('ssh', 'SSH banner', t.sshSeconds);
    case 'ssh-up':
      return at('up', 'nothing', 0);
  }
}

const timedOut = Symbol('timed out');

/** The next event, or `timedOut` once `deadline` has passed. */
function nextBefore(it: AsyncIterator<BootEvent>, deadline: number) {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    it.next(),
    new Promise<typeof timedOut>(
      (r) => (timer = setTimeout(() => r(timedOut), Math.max(0, deadline - Date.now()))),
    ),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Watch the Pi boot until SSH is up or a phase overruns. `start` (a power call) runs after the
 * subscription, so no event is missed; a power-driver error is a failed `power` phase. With
 * `replay`, the current boot's earlier events come first (a job resumed after a restart).
 */
export async function watchBoot(args: {
  drivers: DriverSet;
  pi: PiTarget;
  timeouts: PhaseTimeouts;
  signal: AbortSignal;
  replay?: boolean;
  start?: () => Promise<void>;
  onEvent(e: BootEvent): Promise<void>;
}): Promise<BootOutcome> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  args.signal.addEventListener('abort', stop);
  const it = args.drivers.boot.events(args.pi, { signal: ac.signal, replay: args.replay ?? false });
  try {
    if (args.start) {
      try {
        await args.start();
      } catch (err) {
        if (err instanceof DriverError) return { ok: false, phase: 'power', reason: err.message };
        throw err;
      }
    }
    let expect = expectAfter(null, args.timeouts, null);
    for (;;) {
      const next = await nextBefore(it, expect.deadline);
      args.signal.throwIfAborted();
      if (next === timedOut)
        return {
          ok: false,
          phase: expect.phase,
          reason: `no ${expect.what} within ${expect.seconds} s`,
        };
      if (next.done) args.signal.throwIfAborted();
      if (next.done) return { ok: false, phase: expect.phase, reason: 'the boot was interrupted' };
      const e = next.value;
      await args.onEvent(e);
      if (e.kind === 'tftp' && e.status === 'not-found')
        return {
          ok: false,
          phase: 'bootloader',
          reason: `the boot file ${e.file.split('/').pop()} is missing on the boot server`,
        };
      if (e.kind === 'ssh-up') return { ok: true, host: e.host, port: e.port };
      expect = expectAfter(e, args.timeouts, expect);
    }
  } finally {
    stop();
    args.signal.removeEventListener('abort', stop);
  }
}
