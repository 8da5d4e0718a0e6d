// Account use cases: sign-up, login, password change and reset, suspension, the first admin.
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import { newId, newSecret, sha256Hex } from '../core/ids.js';
import type { RateLimiter } from '../core/rate-limit.js';
import type { AuditLog } from './audit.js';
import { AccountSuspended, InvalidCredentials, InvalidResetToken } from './errors.js';
import { burnVerification, hashPassword, passwordProblems, verifyPassword } from './passwords.js';
import type { AccountRow, AccountsStore } from './store.js';
import type { Role } from './tables.js';

export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: 'active' | 'suspended';
  mustChangePassword: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
}

export const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  status: r.status,
  mustChangePassword: r.must_change_password === 1,
  twoFactorEnabled: r.totp_enabled === 1,
  createdAt: r.created_at,
});

/** What the audit log may see of an account. */
const auditView = (a: Account) => ({
  email: a.email,
  name: a.name,
  role: a.role,
  status: a.status,
});

export interface MailSender {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export interface AccountLimits {
  loginPerIp: RateLimiter;
  loginPerAccount: RateLimiter;
  signupPerIp: RateLimiter;
  resetPerIp: RateLimiter;
  resetPerAccount: RateLimiter;
}

export interface AccountsDeps {
  store: AccountsStore;
  clock: Clock;
  audit: AuditLog;
  events: EventBus;
  mail: MailSender;
  limits: AccountLimits;
  providerName: string;
  /** Absolute URL of the page that takes a reset token. */
  resetUrl(token: string): string;
  /** Absolute URL that confirms a sign-up. */
  confirmUrl(token: string): string;
  /** Absolute URL of the "forgot password" page. */
  forgotUrl: string;
  /** Called when a password changes or an account is suspended: end its sessions and tokens. */
  revokeSessions(accountId: string, exceptSessionHash?: string): Promise<void>;
}

const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Normalise an email address or explain why it is not one. */
export function normaliseEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !emailPattern.test(email)) {
    throw new ValidationError('Please enter a valid email address.');
  }
  return email;
}

const RESET_TTL_MS = 60 * 60 * 1000;
const SIGNUP_TTL_MS = 24 * 60 * 60 * 1000;

export function createAccountUseCases(deps: AccountsDeps) {
  const { store, clock, audit } = deps;
  const now = () => isoAt(clock.now());

  async function insert(
    input: {
      email: string;
      password: string;
      name?: string | undefined;
      role: Role;
      mustChange: boolean;
    },
    actor: Actor,
  ): Promise<Account> {
    const email = normaliseEmail(input.email);
    const problems = passwordProblems(input.password, email);
    if (problems.length) throw new ValidationError(problems[0]!, problems);
    const name = (input.name ?? '').trim();
    if (name.length > 200) throw new ValidationError('Name must be at most 200 characters.');
    return insertRow(
      {
        email,
        name,
        passwordHash: await hashPassword(input.password),
        role: input.role,
        mustChange: input.mustChange,
      },
      actor,
    );
  }

  async function insertRow(
    input: { email: string; name: string; passwordHash: string; role: Role; mustChange: boolean },
    actor: Actor,
  ): Promise<Account> {
    const { email, name } = input;
    if (await store.accountByEmail(email))
      throw new ConflictError('An account with that email address already exists.');
    const t = now();
    const row: AccountRow = {
      id: newId(),
      email,
      name,
      password_hash: input.passwordHash,
      role: input.role,
      status: 'active',
      must_change_password: input.mustChange ? 1 : 0,
      totp_secret: null,
      totp_enabled: 0,
      totp_last_step: 0,
      password_changed_at: t,
      created_at: t,
      updated_at: t,
    };
    try {
      await store.insertAccount(row);
    } catch {
      // A concurrent sign-up with the same email lost the unique-constraint race.
      throw new ConflictError('An account with that email address already exists.');
    }
    const account = toAccount(row);
    await audit.record({
      actor: { ...actor, accountId: actor.accountId ?? account.id },
      ownerAccountId: account.id,
      action: 'account.created',
      objectType: 'account',
      objectId: account.id,
      after: auditView(account),
    });
    await deps.events.emit('account.created', { accountId: account.id, email });
    return account;
  }

  async function requireAccount(id: string): Promise<AccountRow> {
    const row = await store.accountById(id);
    if (!row) throw new NotFoundError('Account');
    return row;
  }

  return {
    /**
     * A customer asks for an account. The answer is the same whether or not the address is
     * taken: a new address gets a confirmation link, a known one a note saying so. The account
     * exists once the link is opened (confirmSignUp).
     */
    async requestSignUp(
      input: { email: string; password: string; name?: string },
      actor: Actor,
    ): Promise<void> {
      const email = normaliseEmail(input.email);
      const problems = passwordProblems(input.password, email);
      const name = (input.name ?? '').trim();
      if (name.length > 200) problems.push('Name must be at most 200 characters.');
      if (problems.length) throw new ValidationError(problems[0]!, problems);
      deps.limits.signupPerIp.hit(actor.ip ?? 'none');
      deps.limits.resetPerAccount.hit(email);
      if (await store.accountByEmail(email)) {
        await deps.mail.send({
          to: email,
          subject: `You already have a ${deps.providerName} account`,
          text:
            `Someone (hopefully you) tried to sign up for ${deps.providerName} with this address` +
            `${actor.ip ? ` from ${actor.ip}` : ''}, but it already has an account.\n\n` +
            `If you have forgotten your password, you can choose a new one here:\n\n${deps.forgotUrl}\n`,
        });
        return;
      }
      const token = newSecret(32);
      await store.insertPendingSignup({
        token_hash: sha256Hex(token),
        email,
        name,
        password_hash: await hashPassword(input.password),
        requested_ip: actor.ip,
        created_at: now(),
        expires_at: isoAt(clock.now() + SIGNUP_TTL_MS),
      });
      await deps.mail.send({
        to: email,
        subject: `Confirm your ${deps.providerName} account`,
        text:
          `Welcome to ${deps.providerName}!\n\nTo confirm your address and open your account, ` +
          `follow this link within a day:\n\n${deps.confirmUrl(token)}\n\n` +
          `If you did not sign up, ignore this message and nothing will happen.\n`,
      });
    },

    /** Open the account a confirmation link stands for; the link works once. */
    async confirmSignUp(token: string, actor: Actor): Promise<Account> {
      const hash = sha256Hex(token);
      const pending = await store.pendingSignupByHash(hash);
      if (!pending || pending.expires_at <= now()) {
        throw new ValidationError(
          'This confirmation link is invalid or has expired. Please sign up again.',
        );
      }
      if (!(await store.takePendingSignup(hash))) {
        throw new ValidationError('This confirmation link has already been used. Please log in.');
      }
      return insertRow(
        {
          email: pending.email,
          name: pending.name,
          passwordHash: pending.password_hash,
          role: 'customer',
          mustChange: false,
        },
        actor,
      );
    },

    /** An operator (CLI or admin panel) creates an account. */
    createAccount: (
      input: { email: string; password: string; name?: string; role: Role; mustChange?: boolean },
      actor: Actor,
    ) => insert({ ...input, mustChange: input.mustChange ?? false }, actor),

    /**
     * Check an email and password. Every failure looks the same and takes the same time;
     * attempts are limited per address and per account.
     */
    async verifyLogin(emailInput: string, password: string, ip: string): Promise<Account> {
      const email = emailInput.trim().toLowerCase();
      deps.limits.loginPerIp.hit(ip);
      deps.limits.loginPerAccount.hit(email);
      const row =
        email.length <= 254 && password.length <= 1024
          ? await store.accountByEmail(email)
          : undefined;
      if (!row) {
        await burnVerification(password.slice(0, 1024));
        throw new InvalidCredentials();
      }
      if (!(await verifyPassword(row.password_hash, password))) throw new InvalidCredentials();
      if (row.status === 'suspended') throw new AccountSuspended();
      deps.limits.loginPerAccount.reset(email);
      return toAccount(row);
    },

    async get(id: string): Promise<Account | undefined> {
      const row = await store.accountById(id);
      return row && toAccount(row);
    },

    async findByEmail(email: string): Promise<Account | undefined> {
      const row = await store.accountByEmail(email.trim().toLowerCase());
      return row && toAccount(row);
    },

    async list(
      options: { limit?: number; offset?: number; search?: string } = {},
    ): Promise<Account[]> {
      const rows = await store.listAccounts(
        Math.min(options.limit ?? 100, 500),
        options.offset ?? 0,
        options.search,
      );
      return rows.map(toAccount);
    },

    count: () => store.countAccounts(),

    /** Change a password knowing the current one; every other session of the account ends. */
    async changePassword(
      accountId: string,
      current: string,
      next: string,
      actor: Actor,
      keepSessionHash?: string,
    ): Promise<void> {
      const row = await requireAccount(accountId);
      if (!(await verifyPassword(row.password_hash, current))) {
        throw new ValidationError('Your current password is not correct.');
      }
      const problems = passwordProblems(next, row.email);
      if (current === next) problems.push('The new password must differ from the current one.');
      if (problems.length) throw new ValidationError(problems[0]!, problems);
      await store.updateAccount(accountId, {
        password_hash: await hashPassword(next),
        must_change_password: 0,
        password_changed_at: now(),
        updated_at: now(),
      });
      await store.expireResetsOf(accountId, now());
      await deps.revokeSessions(accountId, keepSessionHash);
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'account.password_changed',
        objectType: 'account',
        objectId: accountId,
      });
    },

    /** Email a reset link if the account exists; the caller's answer is the same either way. */
    async requestPasswordReset(emailInput: string, actor: Actor): Promise<void> {
      deps.limits.resetPerIp.hit(actor.ip ?? 'none');
      const email = emailInput.trim().toLowerCase();
      deps.limits.resetPerAccount.hit(email);
      const row = await store.accountByEmail(email);
      if (!row || row.status !== 'active') return;
      const token = newSecret(32);
      await store.insertReset({
        token_hash: sha256Hex(token),
        account_id: row.id,
        requested_ip: actor.ip,
        created_at: now(),
        expires_at: isoAt(clock.now() + RESET_TTL_MS),
      });
      await deps.mail.send({
        to: row.email,
        subject: `Reset your ${deps.providerName} password`,
        text:
          `Someone (hopefully you) asked to reset the password of your ${deps.providerName} account` +
          `${actor.ip ? ` from ${actor.ip}` : ''}.\n\nTo choose a new password, open this link within an hour:\n\n` +
          `${deps.resetUrl(token)}\n\nIf it was not you, ignore this message: your password has not changed.\n`,
      });
      await audit.record({
        actor: { ...actor, accountId: null },
        ownerAccountId: row.id,
        action: 'account.password_reset_requested',
        objectType: 'account',
        objectId: row.id,
      });
    },

    /** Is this reset token usable? (The reset page checks before showing its form.) */
    async checkResetToken(token: string): Promise<boolean> {
      const reset = await store.resetByHash(sha256Hex(token));
      return !!reset && reset.used_at === null && reset.expires_at > now();
    },

    /** Set a new password with a reset token; the token works once, and all sessions end. */
    async resetPassword(token: string, next: string, actor: Actor): Promise<Account> {
      const hash = sha256Hex(token);
      const reset = await store.resetByHash(hash);
      if (!reset || reset.used_at !== null || reset.expires_at <= now())
        throw new InvalidResetToken();
      const row = await requireAccount(reset.account_id);
      const problems = passwordProblems(next, row.email);
      if (problems.length) throw new ValidationError(problems[0]!, problems);
      const passwordHash = await hashPassword(next);
      if (!(await store.useReset(hash, now()))) throw new InvalidResetToken();
      await store.updateAccount(row.id, {
        password_hash: passwordHash,
        must_change_password: 0,
        password_changed_at: now(),
        updated_at: now(),
      });
      await store.expireResetsOf(row.id, now());
      await deps.revokeSessions(row.id);
      await audit.record({
        actor: { ...actor, accountId: row.id },
        ownerAccountId: row.id,
        action: 'account.password_reset',
        objectType: 'account',
        objectId: row.id,
      });
      return toAccount(row);
    },

    /** Suspend or reinstate an account (admins only: the caller checks). */
    async setSuspended(accountId: string, suspended: boolean, actor: Actor): Promise<Account> {
      const row = await requireAccount(accountId);
      const before = toAccount(row);
      const status: Account['status'] = suspended ? 'suspended' : 'active';
      if (row.status === status) return before;
      await store.updateAccount(accountId, { status, updated_at: now() });
      if (suspended) await deps.revokeSessions(accountId);
      const after = { ...before, status };
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: suspended ? 'account.suspended' : 'account.reinstated',
        objectType: 'account',
        objectId: accountId,
        before: auditView(before),
        after: auditView(after),
      });
      await deps.events.emit('account.suspended', { accountId, suspended });
      return after;
    },

    /**
     * On first start, create the first administrator with a random one-time password.
     * Returns the credentials to print once, or null when an admin already exists.
     */
    async ensureFirstAdmin(
      email: string,
      actor: Actor,
    ): Promise<{ email: string; password: string } | null> {
      if (await store.anyAdmin()) return null;
      const password = newSecret(15);
      await insert(
        { email, password, name: 'Administrator', role: 'admin', mustChange: true },
        actor,
      );
      return { email, password };
    },
  };
}

export type AccountUseCases = ReturnType<typeof createAccountUseCases>;
