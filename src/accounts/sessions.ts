// Server-side sessions: 256-bit random ids (stored only as SHA-256), idle and absolute expiry,
// rotation at login, and binding to the client's address (IPv4 exact, IPv6 by /64 by default).
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { newSecret, sha256Hex } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { networkOf } from '../core/net.js';
import type { Account } from './accounts.js';
import { toAccount } from './accounts.js';
import type { AccountsStore, SessionRow } from './store.js';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
  ipv4Prefix: number;
  ipv6Prefix: number;
}

export interface Session {
  /** SHA-256 of the cookie value: what CSRF tokens and the database know it by. */
  idHash: string;
  account: Account;
  /** Password accepted, second factor still owed: only the 2FA page is open. */
  secondFactorPending: boolean;
  flash: string | null;
  createdAt: string;
}

export type SessionLookup =
  | { status: 'ok'; session: Session }
  | { status: 'none' }
  | { status: 'wrong-address'; boundTo: string; accountId: string };

const TOUCH_EVERY_MS = 60_000;

export function createSessions(deps: {
  store: AccountsStore;
  clock: Clock;
  policy: SessionPolicy;
  logger: Logger;
}) {
  const { store, clock, policy } = deps;
  const bind = (ip: string) =>
    networkOf(ip, policy.ipv4Prefix, policy.ipv6Prefix) ?? `unknown:${ip}`;

  async function insert(
    accountId: string,
    ip: string,
    userAgent: string,
    secondFactorPending: boolean,
  ): Promise<string> {
    const token = newSecret(32);
    const t = clock.now();
    const row: SessionRow = {
      id_hash: sha256Hex(token),
      account_id: accountId,
      bound_to: bind(ip),
      second_factor_pending: secondFactorPending ? 1 : 0,
      flash: null,
      user_agent: userAgent.slice(0, 300),
      created_at: isoAt(t),
      last_seen_at: isoAt(t),
      expires_at: isoAt(t + policy.absoluteHours * 3_600_000),
    };
    await store.insertSession(row);
    return token;
  }

  return {
    /** Start a fresh session (a new id every login: rotation). Returns the cookie value. */
    create: (
      accountId: string,
      ip: string,
      userAgent: string,
      options: { secondFactorPending?: boolean } = {},
    ) => insert(accountId, ip, userAgent, options.secondFactorPending ?? false),

    /** Find the live session behind a cookie, refusing it from any other network. */
    async resolve(token: string, ip: string): Promise<SessionLookup> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { status: 'none' };
      const idHash = sha256Hex(token);
      const row = await store.sessionByHash(idHash);
      if (!row) return { status: 'none' };
      const now = clock.now();
      const idleExpired = Date.parse(row.last_seen_at) + policy.idleMinutes * 60_000 <= now;
      if (idleExpired || Date.parse(row.expires_at) <= now) {
        await store.deleteSession(idHash);
        return { status: 'none' };
      }
      if (row.bound_to !== bind(ip)) {
        deps.logger.warn(
          { accountId: row.account_id, boundTo: row.bound_to, ip },
          'session cookie presented from another address; refused',
        );
        return { status: 'wrong-address', boundTo: row.bound_to, accountId: row.account_id };
      }
      const accountRow = await store.accountById(row.account_id);
      if (!accountRow || accountRow.status !== 'active') {
        await store.deleteSession(idHash);
        return { status: 'none' };
      }
      if (now - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
        await store.updateSession(idHash, { last_seen_at: isoAt(now) });
      }
      return {
        status: 'ok',
        session: {
          idHash,
          account: toAccount(accountRow),
          secondFactorPending: row.second_factor_pending === 1,
          flash: row.flash,
          createdAt: row.created_at,
        },
      };
    },

    /** The second factor was given: replace the half-open session with a full one (new id). */
    async completeSecondFactor(session: Session, ip: string, userAgent: string): Promise<string> {
      await store.deleteSession(session.idHash);
      return insert(session.account.id, ip, userAgent, false);
    },

    /** Log out. */
    destroy: (idHash: string) => store.deleteSession(idHash),

    /** End every session of an account, optionally keeping the one making the change. */
    revokeAll: (accountId: string, exceptHash?: string) =>
      store.deleteSessionsOf(accountId, exceptHash),

    /** Leave a one-line message for the next page this session sees. */
    setFlash: (idHash: string, text: string | null) => store.updateSession(idHash, { flash: text }),

    purgeExpired: () => store.deleteExpiredSessions(isoAt(clock.now())),
  };
}

export type Sessions = ReturnType<typeof createSessions>;
