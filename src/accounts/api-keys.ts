// API keys (a key id plus a secret shown once) and the short-lived bearer tokens exchanged for
// them at POST /login (reference apis.md §1). Tokens are bound to the requesting network.
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../core/errors.js';
import { newSecret, randomToken, safeEqual, sha256Hex } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { networkOf } from '../core/net.js';
import type { RateLimiter } from '../core/rate-limit.js';
import type { AuditLog } from './audit.js';
import type { Scope } from './scope.js';
import { validateScope } from './scope.js';
import type { AccountsStore, ApiKeyRow } from './store.js';

export interface ApiKey {
  id: string;
  accountId: string;
  label: string;
  scope: Scope;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

/** Who an API request acts as: an account, through one key, within that key's scope. */
export interface ApiPrincipal {
  accountId: string;
  keyId: string;
  scope: Scope;
}

const toApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  accountId: r.account_id,
  label: r.label,
  scope: JSON.parse(r.scope) as Scope,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
  lastUsedIp: r.last_used_ip,
});

const auditView = (k: ApiKey) => ({ label: k.label, scope: k.scope, revokedAt: k.revokedAt });

export interface ApiKeysDeps {
  store: AccountsStore;
  clock: Clock;
  audit: AuditLog;
  logger: Logger;
  tokenTtlSeconds: number;
  ipv4Prefix: number;
  ipv6Prefix: number;
  tokenPerIp: RateLimiter;
  tokenPerKey: RateLimiter;
}

const LAST_USED_EVERY_MS = 60_000;

export function createApiKeys(deps: ApiKeysDeps) {
  const { store, clock, audit } = deps;
  const now = () => isoAt(clock.now());
  const bind = (ip: string) => networkOf(ip, deps.ipv4Prefix, deps.ipv6Prefix) ?? `unknown:${ip}`;

  async function noteUse(row: ApiKeyRow, ip: string): Promise<void> {
    const stale =
      !row.last_used_at || clock.now() - Date.parse(row.last_used_at) >= LAST_USED_EVERY_MS;
    if (stale || row.last_used_ip !== ip)
      await store.updateApiKey(row.id, { last_used_at: now(), last_used_ip: ip });
  }

  /** A usable key row for these credentials, or null; never says which part was wrong. */
  async function check(keyId: string, secret: string): Promise<ApiKeyRow | null> {
    if (!/^[0-9a-z]{16}$/.test(keyId) || secret.length > 200) return null;
    const row = await store.apiKeyById(keyId);
    if (!row || row.revoked_at || !safeEqual(row.secret_hash, sha256Hex(secret))) return null;
    const account = await store.accountById(row.account_id);
    return account?.status === 'active' ? row : null;
  }

  return {
    /** Create a key; the secret is returned here once and never stored in the clear. */
    async create(
      accountId: string,
      input: { label: string; scope: unknown },
      actor: Actor,
    ): Promise<{ key: ApiKey; secret: string }> {
      const label = input.label.trim();
      if (!label)
        throw new ValidationError('Give the key a label, so you can tell it apart later.');
      if (label.length > 100) throw new ValidationError('Key labels are at most 100 characters.');
      const scope = validateScope(input.scope);
      const secret = newSecret(32);
      const row: ApiKeyRow = {
        id: randomToken(16),
        account_id: accountId,
        label,
        secret_hash: sha256Hex(secret),
        scope: JSON.stringify(scope),
        created_at: now(),
        revoked_at: null,
        last_used_at: null,
        last_used_ip: null,
      };
      await store.insertApiKey(row);
      const key = toApiKey(row);
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'api_key.created',
        objectType: 'api_key',
        objectId: key.id,
        after: auditView(key),
      });
      return { key, secret };
    },

    async list(accountId: string): Promise<ApiKey[]> {
      return (await store.apiKeysOf(accountId)).map(toApiKey);
    },

    /** One key of this account; another account's key is "not found", like a missing one. */
    async get(accountId: string, keyId: string): Promise<ApiKey> {
      const row = await store.apiKeyById(keyId);
      if (!row || row.account_id !== accountId) throw new NotFoundError('API key');
      return toApiKey(row);
    },

    /** Revoke a key and every token issued for it. */
    async revoke(accountId: string, keyId: string, actor: Actor): Promise<ApiKey> {
      const row = await store.apiKeyById(keyId);
      if (!row || row.account_id !== accountId) throw new NotFoundError('API key');
      const before = toApiKey(row);
      if (row.revoked_at) return before;
      const revokedAt = now();
      await store.updateApiKey(keyId, { revoked_at: revokedAt });
      await store.deleteTokensOfKey(keyId);
      const after = { ...before, revokedAt };
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'api_key.revoked',
        objectType: 'api_key',
        objectId: keyId,
        before: auditView(before),
        after: auditView(after),
      });
      return after;
    },

    /** HTTP Basic with the key itself (reference §1.5). */
    async authenticateBasic(keyId: string, secret: string, ip: string): Promise<ApiPrincipal> {
      const row = await check(keyId, secret);
      if (!row) throw new UnauthenticatedError('Invalid credentials');
      await noteUse(row, ip);
      return { accountId: row.account_id, keyId: row.id, scope: JSON.parse(row.scope) as Scope };
    },

    /** POST /login: exchange key credentials for a bearer token bound to the caller's network. */
    async issueToken(
      keyId: string,
      secret: string,
      ip: string,
    ): Promise<{ token: string; expiresIn: number }> {
      deps.tokenPerIp.hit(ip);
      deps.tokenPerKey.hit(keyId.slice(0, 32));
      const row = await check(keyId, secret);
      if (!row) throw new UnauthenticatedError('Invalid credentials');
      // Letters, digits and a dot, like the reference's tokens; 160 bits of randomness.
      const token = `${randomToken(24)}.${randomToken(8)}`;
      await store.insertToken({
        token_hash: sha256Hex(token),
        key_id: row.id,
        bound_to: bind(ip),
        created_at: now(),
        expires_at: isoAt(clock.now() + deps.tokenTtlSeconds * 1000),
      });
      await noteUse(row, ip);
      return { token, expiresIn: deps.tokenTtlSeconds };
    },

    /** Resolve a bearer token; from another network it is refused (and logged). */
    async authenticateToken(token: string, ip: string): Promise<ApiPrincipal> {
      if (token.length > 100) throw new UnauthenticatedError('Invalid token');
      const found = await store.tokenByHash(sha256Hex(token));
      if (!found || found.expires_at <= now())
        throw new UnauthenticatedError('Invalid or expired token');
      if (found.bound_to !== null && found.bound_to !== bind(ip)) {
        deps.logger.warn(
          { keyId: found.key_id, boundTo: found.bound_to, ip },
          'bearer token presented from another address; refused',
        );
        throw new UnauthenticatedError('Token was issued to another address');
      }
      const row = await store.apiKeyById(found.key_id);
      const account = row && (await store.accountById(row.account_id));
      if (!row || row.revoked_at || account?.status !== 'active')
        throw new UnauthenticatedError('Invalid or expired token');
      await noteUse(row, ip);
      return { accountId: row.account_id, keyId: row.id, scope: JSON.parse(row.scope) as Scope };
    },

    purgeExpiredTokens: () => store.deleteExpiredTokens(now()),
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
