// Where alerts go: the operators' destinations from config, and customers' own (for their checks only).
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { MonitoringStore } from './store.js';
import type { DestinationKind, DestinationRow } from './tables.js';
import { refusedTarget } from './targets.js';

export interface DestinationView {
  id: string;
  accountId: string | null;
  kind: DestinationKind;
  target: string;
  format: 'json' | 'slack' | 'matrix' | null;
  label: string;
  createdAt: number;
}

const channel = z
  .string()
  .trim()
  // eslint-disable-next-line no-control-regex -- BEL is one of the few bytes a channel name may not hold
  .regex(/^[#&][^\s,\x07]{1,49}$/, 'an IRC channel such as #my-alerts');
const email = z.email().max(254);
const webhook = z.url({ protocol: /^https?$/ }).max(2000);

export const destinationInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('irc'), target: channel, label: z.string().max(80).optional() }),
  z.object({ kind: z.literal('email'), target: email, label: z.string().max(80).optional() }),
  z.object({
    kind: z.literal('webhook'),
    target: webhook,
    format: z.enum(['json', 'slack', 'matrix']).default('json'),
    label: z.string().max(80).optional(),
  }),
]);

/** A customer may have this many destinations. */
const perAccount = 10;

const view = (r: DestinationRow): DestinationView => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind,
  target: r.target,
  format: (r.format as DestinationView['format']) ?? null,
  label: r.label,
  createdAt: r.created_at,
});

export interface DestinationDeps {
  store: MonitoringStore;
  clock: Clock;
  operatorsChannel: string;
  allowPrivateTargets: boolean;
  enabled: boolean;
  /** Told after every change, so the IRC bot joins or parts channels. */
  changed(): void;
}

export function createDestinations(deps: DestinationDeps) {
  let cache: DestinationView[] = [];
  const reload = async () => {
    cache = (await deps.store.destinations()).map(view);
    deps.changed();
  };
  return {
    load: reload,
    /** Every customer destination, from memory (read on each alert). */
    all: (): readonly DestinationView[] => cache,
    list: (actor: Actor): DestinationView[] =>
      cache.filter((d) => d.accountId !== null && d.accountId === actor.accountId),
    async add(actor: Actor, raw: unknown): Promise<DestinationView> {
      if (!deps.enabled)
        throw new ValidationError('Your own alert destinations are not offered here');
      if (actor.accountId === null) throw new ValidationError('Destinations belong to an account');
      const r = destinationInputSchema.safeParse(raw);
      if (!r.success)
        throw new ValidationError(
          'That destination is not valid',
          r.error.issues.map((i) => `${i.path.join('.') || 'destination'}: ${i.message}`),
        );
      const input = r.data;
      if (
        input.kind === 'irc' &&
        input.target.toLowerCase() === deps.operatorsChannel.toLowerCase()
      )
        throw new ValidationError('That channel is the operators’ own');
      if (input.kind === 'webhook' && !deps.allowPrivateTargets) {
        const why = await refusedTarget(new URL(input.target).hostname);
        if (why) throw new ValidationError('That webhook cannot be used', [why]);
      }
      const mine = cache.filter((d) => d.accountId === actor.accountId);
      if (mine.length >= perAccount)
        throw new ValidationError(`You already have ${perAccount} destinations, the most allowed`);
      if (mine.some((d) => d.kind === input.kind && d.target === input.target))
        throw new ValidationError('You already have that destination');
      const row: DestinationRow = {
        id: newId(),
        account_id: actor.accountId,
        kind: input.kind,
        target: input.target,
        format: input.kind === 'webhook' ? input.format : null,
        label: input.label?.trim() || input.target,
        created_at: deps.clock.now(),
      };
      await deps.store.insertDestination(row);
      await reload();
      return view(row);
    },
    async remove(actor: Actor, id: string): Promise<void> {
      if (actor.accountId === null || !(await deps.store.deleteDestination(actor.accountId, id)))
        throw new NotFoundError('Destination');
      await reload();
    },
  };
}

export type Destinations = ReturnType<typeof createDestinations>;
