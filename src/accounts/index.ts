// Accounts: customers and admins, sessions, API keys and tokens, two-factor authentication and
// the audit log. Owns the accounts, sessions, api_keys, api_tokens, password_resets,
// recovery_codes and audit_log tables. Other modules enter here and nowhere else.
import type { Clock } from '../core/clock.js';
import type { Sealer } from '../core/crypto.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { RateRule } from '../core/rate-limit.js';
import { createRateLimiter } from '../core/rate-limit.js';
import type { Database } from '../db/index.js';
import type { MailSender } from './accounts.js';
import { createAccountUseCases } from './accounts.js';
import { createApiKeys } from './api-keys.js';
import { createAuditLog } from './audit.js';
import type { SessionPolicy } from './sessions.js';
import { createSessions } from './sessions.js';
import { createAccountsStore } from './store.js';
import type { AccountsTables } from './tables.js';
import { createTwoFactor } from './two-factor.js';

export type { Account, MailSender } from './accounts.js';
export { normaliseEmail } from './accounts.js';
export type { ApiKey, ApiKeys, ApiPrincipal } from './api-keys.js';
export type { AuditEntry, AuditEvent, AuditLog } from './audit.js';
export {
  AccountSuspended,
  InvalidCredentials,
  InvalidResetToken,
  InvalidSecondFactor,
} from './errors.js';
export type { ApiName, Grant, Permission, Scope } from './scope.js';
export {
  allows,
  apiLabels,
  apiNames,
  describeGrant,
  parseGrant,
  touchesApi,
  touchesDomain,
  touchesZone,
  validateScope,
} from './scope.js';
export type { Session, SessionLookup, SessionPolicy, Sessions } from './sessions.js';
export type { Role } from './tables.js';
export { totpAt } from './totp.js';

export interface AccountsModuleDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  sealer: Sealer;
  mail: MailSender;
  providerName: string;
  session: SessionPolicy;
  tokenTtlSeconds: number;
  rateLimits: Record<
    | 'loginPerIp'
    | 'loginPerAccount'
    | 'signupPerIp'
    | 'resetPerIp'
    | 'resetPerAccount'
    | 'tokenPerIp'
    | 'tokenPerKey',
    RateRule
  >;
  resetUrl(token: string): string;
  confirmUrl(token: string): string;
  forgotUrl: string;
}

/** Build the accounts module. */
export function createAccountsModule(deps: AccountsModuleDeps) {
  const store = createAccountsStore(deps.db.forModule<AccountsTables>());
  const logger = deps.logger.child({ module: 'accounts' });
  const limiter = (rule: RateRule) => createRateLimiter(rule, deps.clock);
  const audit = createAuditLog({ store, clock: deps.clock });
  const sessions = createSessions({ store, clock: deps.clock, policy: deps.session, logger });
  const apiKeys = createApiKeys({
    store,
    clock: deps.clock,
    audit,
    logger,
    tokenTtlSeconds: deps.tokenTtlSeconds,
    ipv4Prefix: deps.session.ipv4Prefix,
    ipv6Prefix: deps.session.ipv6Prefix,
    tokenPerIp: limiter(deps.rateLimits.tokenPerIp),
    tokenPerKey: limiter(deps.rateLimits.tokenPerKey),
  });
  const accounts = createAccountUseCases({
    store,
    clock: deps.clock,
    audit,
    events: deps.events,
    mail: deps.mail,
    providerName: deps.providerName,
    resetUrl: deps.resetUrl,
    confirmUrl: deps.confirmUrl,
    forgotUrl: deps.forgotUrl,
    limits: {
      loginPerIp: limiter(deps.rateLimits.loginPerIp),
      loginPerAccount: limiter(deps.rateLimits.loginPerAccount),
      signupPerIp: limiter(deps.rateLimits.signupPerIp),
      resetPerIp: limiter(deps.rateLimits.resetPerIp),
      resetPerAccount: limiter(deps.rateLimits.resetPerAccount),
    },
    revokeSessions: (accountId, except) => sessions.revokeAll(accountId, except),
  });
  const twoFactor = createTwoFactor({
    store,
    clock: deps.clock,
    sealer: deps.sealer,
    audit,
    issuer: deps.providerName,
  });

  return {
    accounts,
    sessions,
    apiKeys,
    twoFactor,
    audit,
    /** Housekeeping: drop expired sessions and tokens. */
    async purgeExpired(): Promise<void> {
      await sessions.purgeExpired();
      await apiKeys.purgeExpiredTokens();
      await store.deleteExpiredSignups(new Date(deps.clock.now()).toISOString());
    },
  };
}

export type AccountsModule = ReturnType<typeof createAccountsModule>;
