// First start with the simulator: put its images in the catalogue and, when the fleet is empty,
// enrol a small simulated site of mixed models so that `npm start` gives a working Pi cloud.
import { existsSync } from 'node:fs';
import type { Actor } from '../core/actor.js';
import type { Catalogue } from './catalogue.js';
import type { PicloudContext } from './context.js';
import type { BuiltImage } from './drivers/index.js';
import type { Fleet } from './fleet.js';
import type { PiModel } from './models.js';

const system: Actor = { accountId: null, ip: null, channel: 'system', isAdmin: true };

/** The seeded mix, repeated: mostly Pi 3 and 4 (what customers order), a few older boards. */
const mix: { model: PiModel; memoryMb?: number; cpuMhz?: number }[] = [
  { model: '3B' },
  { model: '3B' },
  { model: '3B+' },
  { model: '4B', memoryMb: 4096 },
  { model: '4B', memoryMb: 8192 },
  { model: '3B' },
  { model: '3B+' },
  { model: '4B', memoryMb: 4096 },
  { model: '4B', memoryMb: 8192, cpuMhz: 2000 },
  { model: '2B' },
  { model: '1B' },
  { model: 'Zero W' },
];

/** Catalogue entries for the images the driver has on disk; newest defaults only when unset. */
export async function registerImages(
  ctx: PicloudContext,
  catalogue: Catalogue,
  built: readonly BuiltImage[],
): Promise<void> {
  for (const image of built) {
    const row = await ctx.store.image(image.name);
    if (row && !existsSync(row.archive)) await ctx.store.setImageArchive(row.name, image.archive);
    if (row) continue;
    await catalogue.addImage(
      {
        name: image.name,
        label: image.label,
        archive: image.archive,
        models: image.models,
        ...(image.defaultUser ? { defaultUser: image.defaultUser } : {}),
      },
      system,
    );
  }
  const defaults = await ctx.store.imageDefaults();
  for (const image of built)
    for (const model of image.models)
      if (!defaults.some((d) => d.model === model)) {
        await catalogue.setDefault(model, image.name, system);
        defaults.push({ model, image: image.name });
      }
}

/** Enrol `count` simulated Pis at `siteCode` and put them into service. */
export async function seedFleet(
  ctx: PicloudContext,
  fleet: Fleet,
  siteCode: string,
  count: number,
): Promise<void> {
  if (count === 0 || (await ctx.store.countHosts()) > 0) return;
  if (!(await ctx.store.site(siteCode)))
    await fleet.addSite(siteCode, `${siteCode} (simulated)`, system);
  const perSwitch = 48;
  for (let s = 0; s * perSwitch < count; s++)
    await fleet.addSwitch(
      { site: siteCode, name: `poe${s + 1}`, address: `192.0.2.${s + 10}`, ports: perSwitch },
      system,
    );
  for (let i = 0; i < count; i++) {
    const pick = mix[i % mix.length]!;
    const n = i + 1;
    const hex = n.toString(16).padStart(4, '0');
    // Real OUIs: the Raspberry Pi Foundation's for 1–3 and Zero, Raspberry Pi Trading's for 4.
    const oui = pick.model === '4B' ? 'dc:a6:32' : 'b8:27:eb';
    const host = await fleet.enrol(
      {
        serial: `5eed${hex}`,
        mac: `${oui}:5e:${hex.slice(0, 2)}:${hex.slice(2)}`,
        model: pick.model,
        memoryMb: pick.memoryMb,
        cpuMhz: pick.cpuMhz,
        site: siteCode,
        switchName: `poe${Math.floor(i / perSwitch) + 1}`,
        port: (i % perSwitch) + 1,
      },
      system,
    );
    await fleet.returnToService(host.id, system);
  }
  ctx.logger.info({ site: siteCode, pis: count }, 'seeded a simulated Pi site');
}
