// The domains module's tables: the built-in registrar's registry, customers' domains, carts, orders.

export type DomainKind = 'registration' | 'free-subdomain';
/** pending → registered (or active, for free subdomains); failed if registration did not happen. */
export type DomainStatus = 'pending' | 'registered' | 'active' | 'dns-only' | 'failed' | 'expired';

export interface RegistryNamesTable {
  name: string;
  holder: string;
  status: string;
  nameservers: string;
  ds_records: string;
  created_at: string;
  expires_at: string;
}

export interface DomainsTable {
  id: string;
  account_id: string;
  name: string;
  kind: DomainKind;
  status: DomainStatus;
  registrar: string | null;
  order_id: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CartItemsTable {
  id: string;
  account_id: string;
  name: string;
  kind: DomainKind;
  years: number;
  price: number;
  created_at: string;
}

export interface OrdersTable {
  id: string;
  account_id: string;
  total: number;
  currency: string;
  status: 'pending' | 'complete' | 'partly-failed' | 'failed';
  created_at: string;
}

export interface OrderItemsTable {
  id: string;
  order_id: string;
  name: string;
  kind: DomainKind;
  years: number;
  price: number;
  status: 'pending' | 'done' | 'failed';
}

export interface DomainsTables {
  registry_names: RegistryNamesTable;
  domains: DomainsTable;
  cart_items: CartItemsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
}
