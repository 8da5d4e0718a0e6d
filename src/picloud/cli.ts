// `npx bestiary pi …`: the operator's fleet commands. They only record and queue: the work on
// the hardware (switching a Pi off, wiping it) runs in the server's Pi job lane.
import { parseArgs } from 'node:util';
import { cliActor } from '../core/actor.js';
import type { Fleet } from './fleet.js';
import type { HostState } from './tables.js';
import { hostStates } from './tables.js';

export const piUsage = `  pi site add CODE [--name NAME]      Add a site (a data-centre code such as MER).
  pi switch add --site CODE --name NAME --address ADDR --ports N
                                       Add a PoE switch at a site.
  pi enrol --serial S --mac M --model MODEL --site CODE [--switch NAME --port N]
           [--memory MB] [--cpu MHZ] [--nic MBPS] [--no-service]
                                       Enrol a Pi and put it into service (MODEL: 1B 2B 3B 3B+ 4B "Zero W").
  pi service SERIAL                    Put a new, repaired or maintained Pi into service.
  pi maintenance SERIAL [--reason TEXT]
                                       Take an idle Pi out of service.
  pi list [--site CODE] [--state STATE]
                                       The fleet, one Pi a line.`;

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** Run one `pi` subcommand; returns the exit code. */
export async function runPiCli(
  fleet: Fleet,
  args: string[],
  out: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      site: { type: 'string' },
      address: { type: 'string' },
      ports: { type: 'string' },
      serial: { type: 'string' },
      mac: { type: 'string' },
      model: { type: 'string' },
      switch: { type: 'string' },
      port: { type: 'string' },
      memory: { type: 'string' },
      cpu: { type: 'string' },
      nic: { type: 'string' },
      reason: { type: 'string' },
      state: { type: 'string' },
      'no-service': { type: 'boolean' },
    },
  });
  const [what, verb, arg] = positionals;
  const need = (v: string | undefined, flag: string) => {
    if (!v) throw new Error(`${flag} is required`);
    return v;
  };
  if (what === 'site' && verb === 'add') {
    await fleet.addSite(need(arg, 'CODE'), values.name ?? '', cliActor);
    out(`Site ${arg!.toUpperCase()} added.`);
  } else if (what === 'switch' && verb === 'add') {
    await fleet.addSwitch(
      {
        site: need(values.site, '--site'),
        name: need(values.name, '--name'),
        address: need(values.address, '--address'),
        ports: Number(need(values.ports, '--ports')),
      },
      cliActor,
    );
    out(`Switch ${values.name} added at ${values.site}.`);
  } else if (what === 'enrol') {
    const host = await fleet.enrol(
      {
        serial: need(values.serial, '--serial'),
        mac: need(values.mac, '--mac'),
        model: need(values.model, '--model'),
        site: need(values.site, '--site'),
        switchName: values.switch,
        port: num(values.port),
        memoryMb: num(values.memory),
        cpuMhz: num(values.cpu),
        nicMbps: num(values.nic),
      },
      cliActor,
    );
    out(`Enrolled Pi ${host.serial} (${host.model}) at ${host.site_id}, slot ${host.slot}.`);
    if (!values['no-service']) {
      await fleet.commission(host.id, cliActor);
      out('Queued to be put into service by the running server.');
    }
  } else if (what === 'service') {
    const host = await fleet.commission(need(verb, 'SERIAL'), cliActor);
    out(`Pi ${host.serial} queued to be put into service.`);
  } else if (what === 'maintenance') {
    await fleet.maintenance(
      need(verb, 'SERIAL'),
      values.reason ?? 'by an operator (CLI)',
      cliActor,
    );
    out(`Pi ${verb} is in maintenance.`);
  } else if (what === 'list') {
    const state = (hostStates as readonly string[]).includes(values.state ?? '')
      ? (values.state as HostState)
      : undefined;
    for (const h of await fleet.hosts({
      ...(values.site ? { siteId: values.site.toUpperCase() } : {}),
      ...(state ? { state } : {}),
    }))
      out(
        [
          h.site_id,
          h.serial,
          h.mac,
          h.model,
          `${h.memory_mb}MB`,
          `slot ${h.slot}`,
          h.state,
          h.state_reason ?? '',
        ]
          .join('\t')
          .trimEnd(),
      );
  } else {
    out(`Usage:\n${piUsage}`);
    return 2;
  }
  return 0;
}
