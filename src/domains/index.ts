// Domains: search across the TLDs we sell and our free subdomains, a cart, orders, and the
// registrars behind them. Owns registry_names, domains, cart_items, orders and order_items.
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { NotFoundError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { Database } from '../db/index.js';
import type { AuditLog } from '../accounts/index.js';
import type { Jobs } from '../jobs/index.js';
import { createOrders } from './orders.js';
import { createBuiltinRegistrar } from './registrars/index.js';
import type { Candidate, Offer } from './search.js';
import { candidatesFor } from './search.js';
import type { DomainRow } from './store.js';
import { createDomainsStore } from './store.js';
import type { DomainsTables } from './tables.js';

export type { CartItemRow, DomainRow, OrderItemRow, OrderRow } from './store.js';
export type { DomainKind, DomainStatus } from './tables.js';
export type { Candidate } from './search.js';

export interface SearchResult extends Candidate {
  available: boolean;
}

export interface DomainsConfig {
  tlds: readonly { tld: string; pricePerYear: number }[];
  freeSubdomainParents: readonly string[];
  reservedLabels: readonly string[];
  registrationYears: number;
  freeSubdomainsPerAccount: number;
  currency: string;
  nameservers: readonly string[];
}

export interface DomainsDeps {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  events: EventBus;
  jobs: Jobs;
  config: DomainsConfig;
}

/** Build the domains module and register its jobs. */
export function createDomainsModule(deps: DomainsDeps) {
  const db = deps.db.forModule<DomainsTables>();
  const store = createDomainsStore(db);
  const { config } = deps;
  const registrar = createBuiltinRegistrar({
    db,
    clock: deps.clock,
    reserved: config.reservedLabels,
  });
  const reserved = new Set(config.reservedLabels);
  const offers: Offer[] = [
    ...config.tlds.map((t) => ({
      suffix: t.tld,
      kind: 'registration' as const,
      pricePerYear: t.pricePerYear,
    })),
    ...config.freeSubdomainParents.map((p) => ({
      suffix: p,
      kind: 'free-subdomain' as const,
      pricePerYear: 0,
    })),
  ];

  async function availability(names: string[]): Promise<Map<string, boolean>> {
    const fromRegistry = await registrar.availability(names);
    const ours = new Set(await store.existingNames(names));
    return new Map(
      names.map((n) => [
        n,
        !ours.has(n) && !reserved.has(n.split('.')[0]!) && (fromRegistry.get(n) ?? false),
      ]),
    );
  }

  const orders = createOrders({
    store,
    clock: deps.clock,
    audit: deps.audit,
    events: deps.events,
    jobs: deps.jobs,
    registrar,
    offers: () => offers,
    currency: config.currency,
    years: config.registrationYears,
    nameservers: config.nameservers,
    freeSubdomainsPerAccount: config.freeSubdomainsPerAccount,
    isAvailable: async (name) => (await availability([name])).get(name) ?? false,
  });

  deps.jobs.define({
    name: 'domains.register',
    maxAttempts: 8,
    run: ({ orderId }) => orders.runRegistration(orderId),
  });

  return {
    currency: config.currency,
    /** Availability and price of what the customer typed, across every offer. */
    async search(term: string): Promise<SearchResult[]> {
      const candidates = candidatesFor(term, offers);
      const available = await availability(candidates.map((c) => c.name));
      return candidates.map((c) => ({ ...c, available: available.get(c.name) ?? false }));
    },
    cart: orders.cart,
    addToCart: orders.addToCart,
    removeFromCart: orders.removeFromCart,
    checkout: (accountId: string, actor: Actor) => orders.checkout(accountId, actor),
    orders: orders.orders,
    order: orders.order,
    /** The account's domains. */
    list: (accountId: string) => store.domainsOf(accountId),
    /** One domain of this account; another account's is "not found". */
    async get(accountId: string, name: string): Promise<DomainRow> {
      const row = await store.domainByName(name.toLowerCase().replace(/\.$/, ''));
      if (!row || row.account_id !== accountId) throw new NotFoundError('Domain');
      return row;
    },
    /**
     * A zone's DS set changed: a domain registered through us gets it at the registry (the
     * built-in registrar publishes the DS itself, so the customer has nothing to copy).
     */
    async publishDs(name: string, ds: string[]): Promise<void> {
      const domain = await store.domainByName(name);
      if (!domain || domain.kind !== 'registration' || domain.registrar !== registrar.name) return;
      const current = await registrar.info(name);
      if (current && JSON.stringify(current.ds) !== JSON.stringify(ds))
        await registrar.setDs(name, ds);
    },
    /** What the registry says of a domain (nameservers, expiry), for the Domains API. */
    registryInfo: (name: string) => registrar.info(name),
  };
}

export type DomainsModule = ReturnType<typeof createDomainsModule>;
