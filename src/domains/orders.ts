// The cart, checkout and the registration job: from "add to cart" to a domain in the account.
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import { newId } from '../core/ids.js';
import type { AuditLog } from '../accounts/index.js';
import type { Jobs } from '../jobs/index.js';
import type { Registrar } from './registrars/index.js';
import type { Offer } from './search.js';
import { offerFor } from './search.js';
import type { CartItemRow, DomainsStore, OrderItemRow, OrderRow } from './store.js';

declare module '../jobs/index.js' {
  interface JobPayloads {
    'domains.register': { orderId: string };
  }
}

export interface OrdersDeps {
  store: DomainsStore;
  clock: Clock;
  audit: AuditLog;
  events: EventBus;
  jobs: Jobs;
  registrar: Registrar;
  offers(): Offer[];
  currency: string;
  years: number;
  nameservers: readonly string[];
  freeSubdomainsPerAccount: number;
  /** Is this name free to take now (registry and our own domains table)? */
  isAvailable(name: string): Promise<boolean>;
}

export function createOrders(deps: OrdersDeps) {
  const { store, clock, audit } = deps;
  const now = () => isoAt(clock.now());

  async function registerItem(order: OrderRow, item: OrderItemRow): Promise<void> {
    const domain = await store.domainByName(item.name);
    if (!domain || domain.account_id !== order.account_id || domain.status !== 'pending') return;
    try {
      let expiresAt: string | null = null;
      if (item.kind === 'registration') {
        const record = await deps.registrar.register({
          name: item.name,
          years: item.years,
          holder: order.account_id,
          nameservers: [...deps.nameservers],
        });
        expiresAt = record.expiresAt;
      }
      const status = item.kind === 'registration' ? 'registered' : 'active';
      await store.updateDomain(domain.id, {
        status,
        expires_at: expiresAt,
        registrar: item.kind === 'registration' ? deps.registrar.name : null,
        updated_at: now(),
      });
      await store.updateOrderItem(item.id, 'done');
      await audit.record({
        actor: { accountId: null, ip: null, channel: 'system' },
        ownerAccountId: order.account_id,
        action: 'domain.registered',
        objectType: 'domain',
        objectId: item.name,
        before: { status: 'pending' },
        after: { status, expiresAt },
      });
      await deps.events.emit('domain.registered', {
        accountId: order.account_id,
        domain: item.name,
        orderId: order.id,
        kind: item.kind,
      });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // transient: the job retries
      await store.updateDomain(domain.id, { status: 'failed', updated_at: now() });
      await store.updateOrderItem(item.id, 'failed');
    }
  }

  return {
    cart: (accountId: string) => store.cartOf(accountId),

    /** Put a name in the cart at today's price; the price is ours, never the client's. */
    async addToCart(accountId: string, name: string): Promise<CartItemRow> {
      const lower = name.trim().toLowerCase();
      const match = offerFor(lower, deps.offers());
      if (!match) throw new ValidationError(`“${name}” is not a name we offer.`);
      if (!(await deps.isAvailable(lower))) throw new ConflictError(`${lower} is not available.`);
      const existing = (await store.cartOf(accountId)).find((i) => i.name === lower);
      if (existing) return existing;
      const years = match.offer.kind === 'registration' ? deps.years : 1;
      const row: CartItemRow = {
        id: newId(),
        account_id: accountId,
        name: lower,
        kind: match.offer.kind,
        years,
        price: match.offer.pricePerYear * years,
        created_at: now(),
      };
      await store.insertCartItem(row);
      return row;
    },

    async removeFromCart(accountId: string, itemId: string): Promise<void> {
      if ((await store.deleteCartItem(accountId, itemId)) === 0)
        throw new NotFoundError('Cart item');
    },

    /**
     * Turn the cart into an order: each domain is reserved for this account at once (the unique
     * name makes a second customer's checkout of the same name fail), then a durable job
     * registers them.
     */
    async checkout(accountId: string, actor: Actor): Promise<OrderRow> {
      const items = await store.cartOf(accountId);
      if (items.length === 0) throw new ValidationError('Your cart is empty.');
      const free = items.filter((i) => i.kind === 'free-subdomain').length;
      if (
        free > 0 &&
        (await store.countFreeSubdomains(accountId)) + free > deps.freeSubdomainsPerAccount
      ) {
        throw new ValidationError(
          `Each account may have at most ${deps.freeSubdomainsPerAccount} free subdomain(s).`,
        );
      }
      for (const item of items) {
        if (!(await deps.isAvailable(item.name)))
          throw new ConflictError(`${item.name} is no longer available; remove it from your cart.`);
      }
      const t = now();
      const order: OrderRow = {
        id: newId(),
        account_id: accountId,
        total: items.reduce((s, i) => s + i.price, 0),
        currency: deps.currency,
        status: 'pending',
        created_at: t,
      };
      await store.transaction(async (tx) => {
        await tx.insertOrder(order);
        await tx.insertOrderItems(
          items.map((i) => ({
            id: newId(),
            order_id: order.id,
            name: i.name,
            kind: i.kind,
            years: i.years,
            price: i.price,
            status: 'pending' as const,
          })),
        );
        for (const i of items) {
          await tx.deleteFailedDomain(i.name);
          try {
            await tx.insertDomain({
              id: newId(),
              account_id: accountId,
              name: i.name,
              kind: i.kind,
              status: 'pending',
              registrar: null,
              order_id: order.id,
              expires_at: null,
              created_at: t,
              updated_at: t,
            });
          } catch {
            throw new ConflictError(`${i.name} is no longer available; remove it from your cart.`);
          }
        }
        await tx.clearCart(accountId);
      });
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'order.placed',
        objectType: 'order',
        objectId: order.id,
        after: { total: order.total, currency: order.currency, names: items.map((i) => i.name) },
      });
      await deps.jobs.enqueue(
        'domains.register',
        { orderId: order.id },
        { uniqueKey: `domains.register:${order.id}` },
      );
      return order;
    },

    /** The registration job: idempotent, each item is re-read before acting. */
    async runRegistration(orderId: string): Promise<void> {
      const order = await store.orderById(orderId);
      if (!order) return;
      for (const item of await store.itemsOf(orderId)) {
        if (item.status === 'pending') await registerItem(order, item);
      }
      const items = await store.itemsOf(orderId);
      const failed = items.filter((i) => i.status === 'failed').length;
      await store.updateOrder(
        orderId,
        failed === 0 ? 'complete' : failed === items.length ? 'failed' : 'partly-failed',
      );
    },

    orders: (accountId: string) => store.ordersOf(accountId),

    async order(
      accountId: string,
      orderId: string,
    ): Promise<{ order: OrderRow; items: OrderItemRow[] }> {
      const order = await store.orderById(orderId);
      if (!order || order.account_id !== accountId) throw new NotFoundError('Order');
      return { order, items: await store.itemsOf(orderId) };
    },
  };
}
