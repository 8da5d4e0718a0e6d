// Operators' fleet: sites, switches and ports, enrolling Pis, maintenance, and the fleet view.
import type { Actor } from '../core/actor.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { PicloudContext } from './context.js';
import { targetOf } from './context.js';
import { DriverError } from './drivers/index.js';
import { isPiModel, modelDefaults } from './models.js';
import type { HostRow } from './store.js';
import type { HostState } from './tables.js';
import { hostStates } from './tables.js';

export interface EnrolInput {
  serial: string;
  mac: string;
  model: string;
  memoryMb?: number | undefined;
  cpuMhz?: number | undefined;
  nicMbps?: number | undefined;
  site: string;
  switchName?: string | undefined;
  port?: number | undefined;
}

/** A Pi can be sent to maintenance only when no customer has it. */
const idle: HostState[] = ['new', 'ready', 'broken', 'failed'];

export function createFleet(ctx: PicloudContext) {
  const { store } = ctx;
  const audit = (actor: Actor, action: string, id: string, after: unknown) =>
    ctx.audit.record({
      actor,
      ownerAccountId: null,
      action,
      objectType: 'pi',
      objectId: id,
      after,
    });

  async function hostOf(serialOrId: string): Promise<HostRow> {
    const host =
      (await store.hostBySerial(serialOrId.toLowerCase())) ?? (await store.host(serialOrId));
    if (!host) throw new NotFoundError('Pi');
    return host;
  }

  /** Switch it off, clear its boot config and wipe its root: nothing of a customer survives. */
  async function wipe(host: HostRow): Promise<string | null> {
    const d = ctx.drivers();
    const pi = targetOf(host);
    try {
      await d.power.off(pi);
    } catch (err) {
      if (err instanceof DriverError) return err.message;
      throw err;
    }
    await d.boot.deconfigure(pi);
    await d.storage.destroy(pi);
    return null;
  }

  return {
    async addSite(code: string, name: string, actor: Actor): Promise<void> {
      const id = code.trim().toUpperCase();
      if (!/^[A-Z0-9]{2,8}$/.test(id))
        throw new ValidationError('A site code is 2 to 8 letters or digits, such as MER.');
      if (await store.site(id)) throw new ConflictError(`Site ${id} already exists.`);
      await store.insertSite({ id, name: name.trim() || id, created_at: ctx.now() });
      await audit(actor, 'pi.site_added', id, { name });
    },

    async addSwitch(
      input: { site: string; name: string; address: string; ports: number },
      actor: Actor,
    ): Promise<void> {
      const site = await store.site(input.site.toUpperCase());
      if (!site) throw new ValidationError(`There is no site ${input.site}.`);
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(input.name))
        throw new ValidationError('A switch name is letters, digits and hyphens.');
      if (!Number.isInteger(input.ports) || input.ports < 1 || input.ports > 512)
        throw new ValidationError('A switch has from 1 to 512 ports.');
      if (await store.switchByName(site.id, input.name))
        throw new ConflictError(`Switch ${input.name} already exists at ${site.id}.`);
      const id = newId();
      await store.insertSwitch({
        id,
        site_id: site.id,
        name: input.name,
        address: input.address.trim(),
        ports: input.ports,
        created_at: ctx.now(),
      });
      await audit(actor, 'pi.switch_added', id, input);
    },

    /** Record a new Pi (state new): its hardware, where it sits and which PoE port powers it. */
    async enrol(input: EnrolInput, actor: Actor): Promise<HostRow> {
      const problems: string[] = [];
      const serial = input.serial.trim().toLowerCase();
      const mac = input.mac.trim().toLowerCase().replace(/-/g, ':');
      if (!/^[0-9a-f]{8}$/.test(serial))
        problems.push('The serial is 8 hexadecimal digits (see /proc/cpuinfo), e.g. 1a2b3c4d.');
      if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac))
        problems.push('The MAC address is six pairs of hex digits, e.g. dc:a6:32:01:02:03.');
      if (!isPiModel(input.model))
        problems.push(`The model must be one of 1B, 2B, 3B, 3B+, 4B or Zero W.`);
      const site = await store.site(input.site.trim().toUpperCase());
      if (!site) problems.push(`There is no site ${input.site}.`);
      let switchId: string | null = null;
      if (site && input.switchName) {
        const sw = await store.switchByName(site.id, input.switchName);
        if (!sw) problems.push(`There is no switch ${input.switchName} at ${site.id}.`);
        else if (!input.port || input.port < 1 || input.port > sw.ports)
          problems.push(`Switch ${sw.name} has ports 1 to ${sw.ports}.`);
        else switchId = sw.id;
      }
      if (problems.length > 0 || !site || !isPiModel(input.model))
        throw new ValidationError('The Pi could not be enrolled.', problems);
      if (await store.hostBySerial(serial)) throw new ConflictError(`Pi ${serial} is enrolled.`);
      if (await store.hostByMac(mac)) throw new ConflictError(`MAC ${mac} is enrolled already.`);
      const spec = modelDefaults[input.model];
      const now = ctx.now();
      let host: HostRow;
      try {
        host = await store.insertHost({
          id: newId(),
          serial,
          mac,
          model: input.model,
          memory_mb: input.memoryMb ?? spec.memoryMb,
          cpu_mhz: input.cpuMhz ?? spec.cpuMhz,
          nic_mbps: input.nicMbps ?? spec.nicMbps,
          site_id: site.id,
          switch_id: switchId,
          port: switchId ? (input.port ?? null) : null,
          state: 'new',
          state_reason: null,
          server_id: null,
          created_at: now,
          updated_at: now,
        });
      } catch {
        throw new ConflictError('That switch port already powers another Pi.');
      }
      if (host.slot > ctx.plan.capacity)
        throw new ConflictError('The IPv6 prefix or SSH port range has no room for more Pis.');
      await audit(actor, 'pi.enrolled', host.id, { serial, mac, model: host.model, site: site.id });
      await ctx.events.emit('pi.enrolled', {
        piId: host.id,
        serial,
        site: site.id,
        model: host.model,
      });
      return host;
    },

    /**
     * Into service (new, maintenance or broken → ready): the Pi is switched off, which proves
     * its PoE port answers, and wiped. A port that does not answer leaves it broken.
     */
    async returnToService(serialOrId: string, actor: Actor): Promise<HostRow> {
      const host = await hostOf(serialOrId);
      if (!['new', 'maintenance', 'broken'].includes(host.state))
        throw new ConflictError(
          `Pi ${host.serial} is ${host.state}; it cannot be put into service.`,
        );
      const problem = await wipe(host);
      if (problem) {
        await store.setHostState(host.id, 'broken', problem, ctx.now());
        await audit(actor, 'pi.commission_failed', host.id, { reason: problem });
        throw new ConflictError(`Pi ${host.serial} did not answer: ${problem}`);
      }
      await store.releaseHost(host.id, 'ready', null, ctx.now());
      await audit(actor, 'pi.in_service', host.id, { from: host.state });
      return (await store.host(host.id))!;
    },

    /** Queue putting a Pi into service; the job runs where the drivers are (the server). */
    async commission(serialOrId: string, actor: Actor): Promise<HostRow> {
      const host = await hostOf(serialOrId);
      if (!['new', 'maintenance', 'broken'].includes(host.state))
        throw new ConflictError(
          `Pi ${host.serial} is ${host.state}; it cannot be put into service.`,
        );
      await ctx.jobs.enqueue('picloud.commission', { piId: host.id });
      await audit(actor, 'pi.commission_requested', host.id, { from: host.state });
      return host;
    },

    /** Take an idle Pi out of service for an engineer. */
    async maintenance(serialOrId: string, reason: string, actor: Actor): Promise<void> {
      const host = await hostOf(serialOrId);
      const ok = await store.setHostState(host.id, 'maintenance', reason || null, ctx.now(), idle);
      if (!ok)
        throw new ConflictError(
          `Pi ${host.serial} is ${host.state} for a customer; cancel or wait for that first.`,
        );
      await audit(actor, 'pi.maintenance', host.id, { reason, from: host.state });
    },

    host: hostOf,
    sites: () => store.sites(),
    switches: () => store.switches(),
    hosts: (filter: { siteId?: string; state?: HostState } = {}) => store.hosts(filter),

    /** SoC temperatures of the Pis that are on (for monitoring to log and graph). */
    async temperatures(): Promise<
      { piId: string; serial: string; serverId: string | null; celsius: number }[]
    > {
      const out = [];
      for (const h of await store.hosts()) {
        const celsius = await ctx.drivers().telemetry.temperature(targetOf(h));
        if (celsius !== null)
          out.push({ piId: h.id, serial: h.serial, serverId: h.server_id, celsius });
      }
      return out;
    },

    /** Every site with its count of Pis in each state. */
    async overview() {
      const hosts = await store.hosts();
      const sites = await store.sites();
      return sites.map((s) => {
        const mine = hosts.filter((h) => h.site_id === s.id);
        const counts = Object.fromEntries(
          hostStates.map((st) => [st, mine.filter((h) => h.state === st).length]),
        ) as Record<HostState, number>;
        return { site: s, total: mine.length, counts };
      });
    },
  };
}

export type Fleet = ReturnType<typeof createFleet>;
