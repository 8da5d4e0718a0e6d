// Customers' checks may not probe the monitor's own neighbourhood (loopback, private, link-local):
// a check is a request made from inside our network, and an HTTP check's alert quotes the body.
import { lookup } from 'node:dns/promises';
import { cidrContains, parseIp } from '../core/net.js';
import { ValidationError } from '../core/errors.js';
import type { Check, CheckRegistry } from './checks/index.js';
import type { CheckType } from './types.js';

const inside = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  '64:ff9b::/96',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
];

/** Is this address one of ours rather than the internet's? */
export const isInsideAddress = (ip: string): boolean => inside.some((c) => cidrContains(c, ip));

/** The addresses a host stands for: itself when it is an address, else what DNS says. */
async function addressesOf(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (parseIp(bare)) return [bare];
  try {
    return (await lookup(bare, { all: true })).map((a) => a.address);
  } catch {
    // A name that does not resolve probes nothing; the check itself will say so.
    return [];
  }
}

/** Why a target may not be probed for a customer, or null when it may. */
export async function refusedTarget(host: string): Promise<string | null> {
  if (host === '') return null;
  const bad = (await addressesOf(host)).find(isInsideAddress);
  return bad
    ? `${host} is a private or local address (${bad}), which customers' checks may not probe`
    : null;
}

/** Refuse a customer's check whose target is inside, at creation. */
export async function assertPublicTarget(
  registry: CheckRegistry,
  type: CheckType,
  params: unknown,
) {
  const host = (registry[type] as Check).hostOf(params as never);
  const why = await refusedTarget(host);
  if (why) throw new ValidationError('That target cannot be monitored', [why]);
}

/**
 * The registry, with every probe of a guarded check (a customer's own) preceded by the same
 * test: a name may have been pointed somewhere else since the check was made.
 */
export function guardedRegistry(
  registry: CheckRegistry,
  guarded: (checkId: string) => boolean,
): CheckRegistry {
  const wrap = <T extends CheckType>(check: Check<T>): Check<T> => ({
    type: check.type,
    hostOf: check.hostOf,
    async run(params, ctx) {
      if (guarded(ctx.checkId)) {
        const why = await refusedTarget(check.hostOf(params));
        if (why) return { status: 'unknown', message: why };
      }
      return check.run(params, ctx);
    },
  });
  return Object.fromEntries(
    Object.entries(registry).map(([k, v]) => [k, wrap(v as Check)]),
  ) as unknown as CheckRegistry;
}
