// The accounts module's tables, as Kysely sees them.
import type { Channel } from '../core/actor.js';

export type Role = 'customer' | 'admin';
export type AccountStatus = 'active' | 'suspended';

export interface AccountsTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  status: AccountStatus;
  must_change_password: number;
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_step: number;
  password_changed_at: string;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id_hash: string;
  account_id: string;
  bound_to: string;
  second_factor_pending: number;
  flash: string | null;
  user_agent: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  label: string;
  secret_hash: string;
  scope: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface ApiTokensTable {
  token_hash: string;
  key_id: string;
  bound_to: string | null;
  created_at: string;
  expires_at: string;
}

export interface PasswordResetsTable {
  token_hash: string;
  account_id: string;
  requested_ip: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface PendingSignupsTable {
  token_hash: string;
  email: string;
  name: string;
  password_hash: string;
  requested_ip: string | null;
  created_at: string;
  expires_at: string;
}

export interface RecoveryCodesTable {
  account_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_account_id: string | null;
  owner_account_id: string | null;
  ip: string | null;
  channel: Channel;
  api_key_id: string | null;
  action: string;
  object_type: string;
  object_id: string;
  before: string | null;
  after: string | null;
}

export interface AccountsTables {
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  api_tokens: ApiTokensTable;
  password_resets: PasswordResetsTable;
  recovery_codes: RecoveryCodesTable;
  pending_signups: PendingSignupsTable;
  audit_log: AuditLogTable;
}
