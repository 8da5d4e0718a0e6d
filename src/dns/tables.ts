// The DNS module's tables, as Kysely sees them.

/** A zone exists for a domain ordered here, or on its own for DNS-only hosting. */
export type ZoneKind = 'domain' | 'dns-only';
/** Where a record came from: the customer, the provider's template, or Bestiary itself. */
export type RecordOrigin = 'user' | 'template' | 'generated';

export interface ZonesTable {
  id: string;
  account_id: string;
  /** Lower-case, without the final dot. */
  name: string;
  kind: ZoneKind;
  default_ttl: number;
  serial: number;
  created_at: string;
  updated_at: string;
  /** 1 when the zone is served signed (DNSSEC). */
  dnssec: number;
}

export interface ZoneRecordsTable {
  id: string;
  zone_id: string;
  /** Relative to the zone; '@' is the apex. */
  host: string;
  type: string;
  ttl: number;
  /** Presentation form (names absolute): lossless, and what zone files print. */
  rdata: string;
  origin: RecordOrigin;
  /** Insertion order, so lists come back in the order records were added. */
  seq: number;
  created_at: string;
}

export interface ZoneChangesTable {
  id: string;
  zone_id: string;
  old_serial: number;
  new_serial: number;
  /** JSON arrays of {host, type, ttl, rdata}. */
  removed: string;
  added: string;
  at: string;
}

export interface TsigKeysTable {
  id: string;
  /** The key's DNS name, absolute and lower-case (what nsupdate and certbot are told). */
  name: string;
  account_id: string;
  label: string;
  algorithm: string;
  /** Sealed base64 secret. */
  secret: string;
  /** JSON: the zones, hosts and types the key may update (a DNS grant). */
  scope: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Where a key is in its life (RFC 6781 §4.1): published, then active, retired, removed. */
export type DnssecKeyState = 'published' | 'active' | 'retired' | 'removed';

export interface DnssecKeysTable {
  id: string;
  zone_id: string;
  role: 'ksk' | 'zsk';
  algorithm: number;
  key_tag: number;
  /** Base64 of the DNSKEY public key field. */
  public_key: string;
  /** Sealed base64 PKCS#8 private key. */
  private_key: string;
  state: DnssecKeyState;
  created_at: string;
  published_at: string | null;
  active_at: string | null;
  retired_at: string | null;
  removed_at: string | null;
}

/** What the last check of the parent zone found for a signed zone (dnssec/parent.ts). */
export interface DnssecStatusTable {
  zone_id: string;
  status: 'unknown' | 'waiting' | 'secure' | 'mismatch';
  /** JSON `Record<dsText, {since: string; goneAt: string | null}>`. */
  parent_ds: string;
  ds_ttl: number | null;
  checked_at: string | null;
  error: string | null;
  ds_absent_since: string | null;
  turning_off_at: string | null;
}

export interface DnsTables {
  dnssec_keys: DnssecKeysTable;
  dnssec_status: DnssecStatusTable;
  zones: ZonesTable;
  zone_records: ZoneRecordsTable;
  zone_changes: ZoneChangesTable;
  tsig_keys: TsigKeysTable;
}
