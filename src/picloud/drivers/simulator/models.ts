// Per-model behaviour of simulated Pis: boot timings, the files their firmware fetches, kernels, heat.
import type { PiModel } from '../types.js';

/** Hardware time a boot phase takes on a real Pi of the model, in ms (before timeScale). */
export interface ModelProfile {
  /** DISCOVER to OFFER, including dnsmasq's dhcp-reply-delay for Pi 3 firmware. */
  dhcpMs: number;
  /** TFTP throughput: the firmware uses blksize but no windowsize, so it is far below line rate. */
  tftpBytesPerSecond: number;
  kernelMs: number;
  rootfsMs: number;
  /** Root mounted to the SSH banner: init, systemd units, host keys. */
  sshMs: number;
  /** Boot ROM/EEPROM: the 4B fetches no bootcode.bin. */
  bootcode: boolean;
  dtb: string;
  /** Kernel image name for 32-bit images; 64-bit ones always use kernel8.img. */
  kernel32: 'kernel.img' | 'kernel7.img' | 'kernel7l.img';
  /** SoC temperature idle and the extra it reaches at full load, °C above a 25 °C room. */
  idleRise: number;
  loadRise: number;
  armv6: boolean;
}

export const modelProfiles: Record<PiModel, ModelProfile> = {
  '1B': {
    dhcpMs: 2500,
    tftpBytesPerSecond: 1_500_000,
    kernelMs: 9000,
    rootfsMs: 4000,
    sshMs: 14000,
    bootcode: true,
    dtb: 'bcm2708-rpi-b.dtb',
    kernel32: 'kernel.img',
    idleRise: 17,
    loadRise: 12,
    armv6: true,
  },
  '2B': {
    dhcpMs: 2000,
    tftpBytesPerSecond: 2_500_000,
    kernelMs: 6000,
    rootfsMs: 3000,
    sshMs: 9000,
    bootcode: true,
    dtb: 'bcm2709-rpi-2-b.dtb',
    kernel32: 'kernel7.img',
    idleRise: 19,
    loadRise: 14,
    armv6: false,
  },
  '3B': {
    dhcpMs: 1800,
    tftpBytesPerSecond: 3_000_000,
    kernelMs: 4500,
    rootfsMs: 2500,
    sshMs: 7000,
    bootcode: true,
    dtb: 'bcm2710-rpi-3-b.dtb',
    kernel32: 'kernel7.img',
    idleRise: 23,
    loadRise: 22,
    armv6: false,
  },
  '3B+': {
    dhcpMs: 1500,
    tftpBytesPerSecond: 4_000_000,
    kernelMs: 4000,
    rootfsMs: 2000,
    sshMs: 6000,
    bootcode: true,
    dtb: 'bcm2710-rpi-3-b-plus.dtb',
    kernel32: 'kernel7.img',
    idleRise: 21,
    loadRise: 20,
    armv6: false,
  },
  '4B': {
    dhcpMs: 1200,
    tftpBytesPerSecond: 8_000_000,
    kernelMs: 3000,
    rootfsMs: 1500,
    sshMs: 4000,
    bootcode: false,
    dtb: 'bcm2711-rpi-4-b.dtb',
    kernel32: 'kernel7l.img',
    idleRise: 20,
    loadRise: 30,
    armv6: false,
  },
  'Zero W': {
    dhcpMs: 3000,
    tftpBytesPerSecond: 1_000_000,
    kernelMs: 11000,
    rootfsMs: 5000,
    sshMs: 16000,
    bootcode: true,
    dtb: 'bcm2708-rpi-zero-w.dtb',
    kernel32: 'kernel.img',
    idleRise: 13,
    loadRise: 12,
    armv6: true,
  },
};

/** A file the firmware fetches over TFTP, with its size as in the lab (Pi 3 sizes). */
export interface BootFile {
  name: string;
  bytes: number;
}

/**
 * The TFTP requests of one boot, in order. After bootcode.bin every file carries the serial
 * prefix, as the Pi firmware requests them once `<serial>/start.elf` is found.
 */
export function bootFiles(model: PiModel, serial: string, arch: 'arm64' | 'armhf'): BootFile[] {
  const p = modelProfiles[model];
  const four = model === '4B';
  const files: BootFile[] = [
    { name: four ? 'start4.elf' : 'start.elf', bytes: four ? 2_250_000 : 2_900_000 },
    { name: four ? 'fixup4.dat' : 'fixup.dat', bytes: 7_300 },
    { name: 'config.txt', bytes: 1_200 },
    { name: 'cmdline.txt', bytes: 180 },
    { name: p.dtb, bytes: 52_000 },
    {
      name: arch === 'arm64' ? 'kernel8.img' : p.kernel32,
      bytes: arch === 'arm64' ? 8_300_000 : 5_200_000,
    },
  ];
  return [
    ...(p.bootcode ? [{ name: 'bootcode.bin', bytes: 52_000 }] : []),
    ...files.map((f) => ({ ...f, name: `${serial}/${f.name}` })),
  ];
}

/** `uname` fields of a model running an image of the given architecture. */
export function kernelOf(model: PiModel, arch: 'arm64' | 'armhf') {
  const p = modelProfiles[model];
  const flavour = arch === 'arm64' ? 'v8' : p.armv6 ? 'v6' : model === '4B' ? 'v7l' : 'v7';
  return {
    release: `6.6.51+rpt-rpi-${flavour}`,
    version: '#1 SMP PREEMPT Debian 1:6.6.51-1+rpt3 (2024-10-08)',
    machine: arch === 'arm64' ? 'aarch64' : p.armv6 ? 'armv6l' : 'armv7l',
  };
}

/**
 * SoC temperature in °C for a load between 0 and 1. A slow deterministic wobble keeps graphs
 * alive without making tests flaky; the 4B throttles at 80 °C so it never reads higher.
 */
export function temperatureOf(model: PiModel, load: number, now: number): number {
  const p = modelProfiles[model];
  const wobble = Math.sin(now / 97_000) * 0.6;
  const t = 25 + p.idleRise + Math.min(Math.max(load, 0), 1) * p.loadRise + wobble;
  return Math.round(Math.min(t, 80) * 10) / 10;
}
