// The steps of each Pi action, following drivers/README.md. Each step records that it is done,
// so a job resumed after a restart continues where it stopped; repeating a step is harmless.
import type { Actor } from '../../core/actor.js';
import { imageRefOf } from '../context.js';
import { DriverError } from '../drivers/index.js';
import type { ImageRow } from '../store.js';
import type { Run } from './runner.js';
import {
  bootWithRetries,
  failTask,
  failureReason,
  finishQuietly,
  isBefore,
  markLive,
  setStep,
  stepSeconds,
  within,
} from './runner.js';

interface Params {
  actor?: Pick<Actor, 'accountId' | 'ip' | 'channel'>;
  image?: string;
  keys?: string[] | null;
}

const paramsOf = (run: Run) => JSON.parse(run.task.params) as Params;
const keysOf = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

async function imageOf(run: Run, name: string): Promise<ImageRow> {
  const row = await run.ctx.store.image(name);
  if (!row) throw new Error(`image ${name} is not in the catalogue`);
  return row;
}

/** Power on and watch, or pick up the boot a restart interrupted; then live or broken. */
async function bootToLive(run: Run, first: 'on' | 'cycle', result?: unknown): Promise<boolean> {
  const resume = run.task.step === 'booting';
  if (!resume) await setStep(run, 'booting', 'Booting Raspberry Pi');
  const outcome = await bootWithRetries(run, resume ? 'resume' : first);
  if (outcome.ok) await markLive(run, outcome, result);
  else await failTask(run, failureReason(outcome));
  return outcome.ok;
}

/** A fresh root over the image with the keys and hostname in it, and the Pi set to netboot it. */
function layRoot(run: Run, image: ImageRow, keys: string[]) {
  return within(stepSeconds.root, 'Preparing the root filesystem', writeRoot(run, image, keys));
}

async function writeRoot(run: Run, image: ImageRow, keys: string[]) {
  const d = run.ctx.drivers();
  const ref = imageRefOf(image);
  // reimage, not create: whatever a previous tenant left on this Pi is dropped, even after a crash.
  await d.storage.reimage(run.pi, ref);
  const written = await d.storage.writeAuthorizedKeys(run.pi, keys);
  await d.storage.writeHostname(run.pi, run.server.name);
  await d.boot.configure(run.pi, { image: ref, sshPort: run.ctx.plan.sshPort(run.host.slot) });
  return [...written.paths, '/etc/hostname'];
}

export async function provision(run: Run): Promise<void> {
  const { ctx, host } = run;
  await ctx.store.setHostState(host.id, 'provisioning', null, ctx.now(), ['allocated', 'failed']);
  if (isBefore(run, 'configured')) {
    await setStep(run, 'root', 'Installing operating system');
    await layRoot(run, await imageOf(run, run.server.image), keysOf(run.server.ssh_keys));
    await setStep(run, 'configured');
  }
  await bootToLive(run, 'on');
}

export async function reboot(run: Run): Promise<void> {
  await bootToLive(run, 'cycle');
}

export async function powerOn(run: Run): Promise<void> {
  await bootToLive(run, 'on');
}

const switchOff = (run: Run) =>
  within(stepSeconds.power, 'Switching the Pi off', run.ctx.drivers().power.off(run.pi));

export async function powerOff(run: Run): Promise<void> {
  await switchOff(run);
  await finishQuietly(run, { power: 0, is_booting: 0, boot_phase: 'power', boot_progress: null });
  const { server, host } = run;
  await run.ctx.events.emit('pi.powered_off', {
    serverId: server.id,
    accountId: server.account_id,
    name: server.name,
    piId: host.id,
  });
}

/** Drop the Pi's root layer and start again over the image, with a receipt that the data is gone. */
export async function reimage(run: Run): Promise<void> {
  const { ctx, server } = run;
  const d = ctx.drivers();
  const params = paramsOf(run);
  const image = await imageOf(run, params.image ?? server.image);
  const keys = params.keys ?? keysOf(server.ssh_keys);
  if (isBefore(run, 'off')) {
    await ctx.store.setHostState(run.host.id, 'provisioning', null, ctx.now());
    await switchOff(run);
    await setStep(run, 'off', 'Powered off; installing operating system');
  }
  if (isBefore(run, 'configured')) {
    const before = await d.storage.describe(run.pi);
    const holds = await layRoot(run, image, keys);
    const after = await d.storage.describe(run.pi);
    const receipt = {
      server: server.name,
      pi: run.host.serial,
      previousImage: before?.image ?? null,
      previousBytesWritten: before?.bytesUsed ?? 0,
      discardedAt: ctx.now(),
      newImage: image.name,
      newLayerBytes: after?.bytesUsed ?? 0,
      newLayerHolds: holds,
      statement:
        `The previous copy-on-write layer (${before?.bytesUsed ?? 0} bytes written over ` +
        `${before?.image ?? 'no image'}) was deleted. The Pi now runs a fresh layer over ` +
        `${image.name} holding only the files Bestiary wrote: ${holds.join(', ')}.`,
    };
    await ctx.store.updateTask(run.task.id, { result: JSON.stringify(receipt) });
    await ctx.store.updateServer(server.id, {
      image: image.name,
      ssh_keys: keys.length ? `${keys.join('\n')}\n` : '',
    });
    run.task = { ...run.task, result: JSON.stringify(receipt) };
    await setStep(run, 'configured');
  }
  const receipt = JSON.parse(run.task.result ?? '{}') as Record<string, unknown>;
  if (!(await bootToLive(run, 'on', receipt))) return;
  await ctx.audit.record({
    actor: {
      ...(params.actor ?? { accountId: null, ip: null }),
      channel: params.actor?.channel ?? 'system',
    },
    ownerAccountId: server.account_id,
    action: 'pi.reimaged',
    objectType: 'pi_server',
    objectId: server.name,
    after: receipt,
  });
  await ctx.events.emit('pi.reimaged', {
    serverId: server.id,
    accountId: server.account_id,
    name: server.name,
    piId: run.host.id,
    image: image.name,
    taskId: run.task.id,
  });
}

/** Switch off, stop netbooting, destroy the root: the customer's data is gone; the Pi is free. */
export async function cancel(run: Run): Promise<void> {
  const { ctx, server, host } = run;
  const d = ctx.drivers();
  const now = () => ctx.now();
  // A Pi an operator has already taken back (and wiped) is no longer this server's to touch.
  if (host.server_id !== server.id) return finishQuietly(run, {}, { dataDestroyed: true });
  if (host.state !== 'broken') await ctx.store.setHostState(host.id, 'releasing', null, now());
  let powerProblem: string | null = null;
  try {
    await switchOff(run);
  } catch (err) {
    if (!(err instanceof DriverError)) throw err;
    powerProblem = err.message;
  }
  await d.boot.deconfigure(run.pi);
  await d.storage.destroy(run.pi);
  const gone = (await d.storage.describe(run.pi)) === null;
  const receipt = { server: server.name, pi: host.serial, dataDestroyed: gone, at: now() };
  if (powerProblem) {
    await ctx.store.releaseHost(host.id, 'broken', `while releasing: ${powerProblem}`, now());
    await ctx.events.emit('pi.broken', {
      piId: host.id,
      serial: host.serial,
      reason: powerProblem,
      serverId: server.id,
    });
  } else {
    const wasBroken = host.state === 'broken';
    await ctx.store.releaseHost(
      host.id,
      wasBroken ? 'broken' : 'ready',
      wasBroken ? host.state_reason : null,
      now(),
    );
  }
  await finishQuietly(run, { power: 0 }, receipt);
  const params = paramsOf(run);
  await ctx.audit.record({
    actor: {
      ...(params.actor ?? { accountId: null, ip: null }),
      channel: params.actor?.channel ?? 'system',
    },
    ownerAccountId: server.account_id,
    action: 'pi.cancelled',
    objectType: 'pi_server',
    objectId: server.name,
    after: receipt,
  });
}
