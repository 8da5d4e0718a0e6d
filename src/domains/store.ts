// All SQL of the domains module (the built-in registrar's registry SQL lives in its own file).
import type { Kysely, Selectable } from 'kysely';
import type {
  CartItemsTable,
  DomainsTable,
  DomainsTables,
  OrderItemsTable,
  OrdersTable,
} from './tables.js';

export type DomainRow = Selectable<DomainsTable>;
export type CartItemRow = Selectable<CartItemsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type OrderItemRow = Selectable<OrderItemsTable>;

function queries(db: Kysely<DomainsTables>) {
  return {
    domainsOf: (accountId: string) =>
      db
        .selectFrom('domains')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('name')
        .execute(),
    domainByName: (name: string) =>
      db.selectFrom('domains').selectAll().where('name', '=', name).executeTakeFirst(),
    existingNames: async (names: string[]) =>
      names.length
        ? (
            await db
              .selectFrom('domains')
              .select('name')
              .where('name', 'in', names)
              .where('status', '!=', 'failed')
              .execute()
          ).map((r) => r.name)
        : [],
    async countFreeSubdomains(accountId: string): Promise<number> {
      const row = await db
        .selectFrom('domains')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('kind', '=', 'free-subdomain')
        .where('status', '!=', 'failed')
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    insertDomain: (row: DomainRow) => db.insertInto('domains').values(row).execute(),
    async deleteFailedDomain(name: string): Promise<void> {
      await db
        .deleteFrom('domains')
        .where('name', '=', name)
        .where('status', '=', 'failed')
        .execute();
    },
    async updateDomain(id: string, changes: Partial<DomainRow>): Promise<void> {
      await db.updateTable('domains').set(changes).where('id', '=', id).execute();
    },

    cartOf: (accountId: string) =>
      db
        .selectFrom('cart_items')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .execute(),
    insertCartItem: (row: CartItemRow) =>
      db
        .insertInto('cart_items')
        .values(row)
        .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
        .execute(),
    async deleteCartItem(accountId: string, id: string): Promise<number> {
      const r = await db
        .deleteFrom('cart_items')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async clearCart(accountId: string): Promise<void> {
      await db.deleteFrom('cart_items').where('account_id', '=', accountId).execute();
    },

    insertOrder: (row: OrderRow) => db.insertInto('orders').values(row).execute(),
    insertOrderItems: (rows: OrderItemRow[]) => db.insertInto('order_items').values(rows).execute(),
    orderById: (id: string) =>
      db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst(),
    ordersOf: (accountId: string) =>
      db
        .selectFrom('orders')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute(),
    itemsOf: (orderId: string) =>
      db.selectFrom('order_items').selectAll().where('order_id', '=', orderId).execute(),
    async updateOrderItem(id: string, status: OrderItemRow['status']): Promise<void> {
      await db.updateTable('order_items').set({ status }).where('id', '=', id).execute();
    },
    async updateOrder(id: string, status: OrderRow['status']): Promise<void> {
      await db.updateTable('orders').set({ status }).where('id', '=', id).execute();
    },
  };
}

export type DomainsStore = ReturnType<typeof queries> & {
  transaction<T>(fn: (store: DomainsStore) => Promise<T>): Promise<T>;
};

export function createDomainsStore(db: Kysely<DomainsTables>): DomainsStore {
  return {
    ...queries(db),
    transaction: (fn) => db.transaction().execute((trx) => fn(createDomainsStore(trx))),
  };
}
