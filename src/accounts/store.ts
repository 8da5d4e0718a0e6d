// All SQL of the accounts module: accounts, sessions, API keys, tokens, resets, recovery codes
// and the audit log.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type {
  AccountsTable,
  AccountsTables,
  ApiKeysTable,
  AuditLogTable,
  PendingSignupsTable,
  SessionsTable,
} from './tables.js';

export type AccountRow = Selectable<AccountsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AuditRow = Selectable<AuditLogTable>;

export interface AuditQuery {
  ownerAccountId?: string;
  limit: number;
  before?: string;
}

function queries(db: Kysely<AccountsTables>) {
  return {
    // Accounts
    insertAccount: (row: AccountRow) => db.insertInto('accounts').values(row).execute(),
    accountById: (id: string) =>
      db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst(),
    accountByEmail: (email: string) =>
      db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst(),
    async updateAccount(id: string, changes: Updateable<AccountsTable>): Promise<void> {
      await db.updateTable('accounts').set(changes).where('id', '=', id).execute();
    },
    listAccounts: (limit: number, offset: number, search?: string) => {
      let q = db
        .selectFrom('accounts')
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(limit)
        .offset(offset);
      if (search) q = q.where('email', 'like', `%${search.replace(/[%_\\]/g, '')}%`);
      return q.execute();
    },
    async countAccounts(): Promise<number> {
      const row = await db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    anyAdmin: () =>
      db.selectFrom('accounts').select('id').where('role', '=', 'admin').executeTakeFirst(),

    // Sessions (stored by the SHA-256 of their id)
    insertSession: (row: SessionRow) => db.insertInto('sessions').values(row).execute(),
    sessionByHash: (idHash: string) =>
      db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst(),
    async updateSession(idHash: string, changes: Partial<SessionRow>): Promise<void> {
      await db.updateTable('sessions').set(changes).where('id_hash', '=', idHash).execute();
    },
    async deleteSession(idHash: string): Promise<void> {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteSessionsOf(accountId: string, exceptHash?: string): Promise<void> {
      let q = db.deleteFrom('sessions').where('account_id', '=', accountId);
      if (exceptHash) q = q.where('id_hash', '!=', exceptHash);
      await q.execute();
    },
    async deleteExpiredSessions(now: string): Promise<void> {
      await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
    },

    // API keys and tokens
    insertApiKey: (row: ApiKeyRow) => db.insertInto('api_keys').values(row).execute(),
    apiKeyById: (id: string) =>
      db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst(),
    apiKeysOf: (accountId: string) =>
      db
        .selectFrom('api_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at', 'desc')
        .execute(),
    async updateApiKey(id: string, changes: Partial<ApiKeyRow>): Promise<void> {
      await db.updateTable('api_keys').set(changes).where('id', '=', id).execute();
    },
    async insertToken(row: {
      token_hash: string;
      key_id: string;
      bound_to: string | null;
      created_at: string;
      expires_at: string;
    }) {
      await db.insertInto('api_tokens').values(row).execute();
    },
    tokenByHash: (hash: string) =>
      db
        .selectFrom('api_tokens')
        .innerJoin('api_keys', 'api_keys.id', 'api_tokens.key_id')
        .select(['api_tokens.bound_to', 'api_tokens.expires_at', 'api_keys.id as key_id'])
        .where('api_tokens.token_hash', '=', hash)
        .executeTakeFirst(),
    async deleteTokensOfKey(keyId: string): Promise<void> {
      await db.deleteFrom('api_tokens').where('key_id', '=', keyId).execute();
    },
    async deleteExpiredTokens(now: string): Promise<void> {
      await db.deleteFrom('api_tokens').where('expires_at', '<', now).execute();
    },

    // Password resets
    insertReset: (row: {
      token_hash: string;
      account_id: string;
      requested_ip: string | null;
      created_at: string;
      expires_at: string;
    }) =>
      db
        .insertInto('password_resets')
        .values({ ...row, used_at: null })
        .execute(),
    resetByHash: (hash: string) =>
      db
        .selectFrom('password_resets')
        .selectAll()
        .where('token_hash', '=', hash)
        .executeTakeFirst(),
    /** Mark a reset token used; false if someone used it first. */
    async useReset(hash: string, now: string): Promise<boolean> {
      const r = await db
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('token_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async expireResetsOf(accountId: string, now: string): Promise<void> {
      await db
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('account_id', '=', accountId)
        .where('used_at', 'is', null)
        .execute();
    },

    // Pending sign-ups
    insertPendingSignup: (row: Selectable<PendingSignupsTable>) =>
      db.insertInto('pending_signups').values(row).execute(),
    pendingSignupByHash: (hash: string) =>
      db
        .selectFrom('pending_signups')
        .selectAll()
        .where('token_hash', '=', hash)
        .executeTakeFirst(),
    /** Take a pending sign-up (once): false if it was already used. */
    async takePendingSignup(hash: string): Promise<boolean> {
      const r = await db
        .deleteFrom('pending_signups')
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    async deleteExpiredSignups(now: string): Promise<void> {
      await db.deleteFrom('pending_signups').where('expires_at', '<', now).execute();
    },

    // Recovery codes
    async replaceRecoveryCodes(accountId: string, hashes: string[]): Promise<void> {
      await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
      if (hashes.length) {
        await db
          .insertInto('recovery_codes')
          .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, used_at: null })))
          .execute();
      }
    },
    async useRecoveryCode(accountId: string, hash: string, now: string): Promise<boolean> {
      const r = await db
        .updateTable('recovery_codes')
        .set({ used_at: now })
        .where('account_id', '=', accountId)
        .where('code_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async unusedRecoveryCodes(accountId: string): Promise<number> {
      const row = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    // Audit log
    insertAudit: (row: AuditRow) => db.insertInto('audit_log').values(row).execute(),
    listAudit(q: AuditQuery) {
      let query = db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.limit);
      if (q.ownerAccountId) query = query.where('owner_account_id', '=', q.ownerAccountId);
      if (q.before) query = query.where('at', '<', q.before);
      return query.execute();
    },
  };
}

export type AccountsStore = ReturnType<typeof queries> & {
  /** Run `fn` in one transaction, with a store bound to it. */
  transaction<T>(fn: (store: AccountsStore) => Promise<T>): Promise<T>;
};

export function createAccountsStore(db: Kysely<AccountsTables>): AccountsStore {
  return {
    ...queries(db),
    transaction: (fn) => db.transaction().execute((trx) => fn(createAccountsStore(trx))),
  };
}
