// TOTP two-factor authentication (RFC 6238) with single-use recovery codes. Seeds are sealed
// at rest with the provider's key.
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import type { Sealer } from '../core/crypto.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { randomToken, sha256Hex } from '../core/ids.js';
import type { AuditLog } from './audit.js';
import { InvalidSecondFactor } from './errors.js';
import { verifyPassword } from './passwords.js';
import type { AccountsStore } from './store.js';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.js';

const RECOVERY_CODES = 10;

/** Recovery codes look like "k3p9-x7qa-2mfd"; we compare them without dashes or case. */
const normaliseRecovery = (code: string) => code.toLowerCase().replace(/[^0-9a-z]/g, '');

export function createTwoFactor(deps: {
  store: AccountsStore;
  clock: Clock;
  sealer: Sealer;
  audit: AuditLog;
  issuer: string;
}) {
  const { store, clock, sealer, audit } = deps;
  const context = (accountId: string) => `totp:${accountId}`;

  async function account(accountId: string) {
    const row = await store.accountById(accountId);
    if (!row) throw new NotFoundError('Account');
    return row;
  }

  function secretOf(row: { id: string; totp_secret: string | null }): string | null {
    return row.totp_secret ? sealer.open(row.totp_secret, context(row.id)) : null;
  }

  return {
    /**
     * Start enrolment: a new secret is stored (sealed, not yet enabled) and returned with the
     * otpauth:// URI for the QR code. Calling again replaces an unconfirmed secret.
     */
    async begin(accountId: string): Promise<{ secret: string; uri: string }> {
      const row = await account(accountId);
      if (row.totp_enabled) throw new ValidationError('Two-factor authentication is already on.');
      const secret = newTotpSecret();
      await store.updateAccount(accountId, {
        totp_secret: sealer.seal(secret, context(accountId)),
        updated_at: isoAt(clock.now()),
      });
      return { secret, uri: otpauthUri(deps.issuer, row.email, secret) };
    },

    /** The pending enrolment's secret and URI, to show the QR again (e.g. after a typo). */
    async pending(accountId: string): Promise<{ secret: string; uri: string } | null> {
      const row = await account(accountId);
      const secret = row.totp_enabled ? null : secretOf(row);
      return secret ? { secret, uri: otpauthUri(deps.issuer, row.email, secret) } : null;
    },

    /** Confirm enrolment with a current code; returns the recovery codes, shown once. */
    async enable(accountId: string, code: string, actor: Actor): Promise<string[]> {
      const row = await account(accountId);
      const secret = secretOf(row);
      if (row.totp_enabled || !secret) throw new ValidationError('Start two-factor set-up first.');
      const step = matchTotp(secret, code.replace(/\s/g, ''), clock.now(), row.totp_last_step);
      if (step === null) throw new InvalidSecondFactor();
      const codes = Array.from({ length: RECOVERY_CODES }, () =>
        randomToken(12).replace(/(.{4})(?=.)/g, '$1-'),
      );
      await store.transaction(async (tx) => {
        await tx.updateAccount(accountId, {
          totp_enabled: 1,
          totp_last_step: step,
          updated_at: isoAt(clock.now()),
        });
        await tx.replaceRecoveryCodes(
          accountId,
          codes.map((c) => sha256Hex(normaliseRecovery(c))),
        );
      });
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'account.2fa_enabled',
        objectType: 'account',
        objectId: accountId,
        before: { twoFactor: false },
        after: { twoFactor: true },
      });
      return codes;
    },

    /** Turn 2FA off; needs the password, so a stolen session alone cannot do it. */
    async disable(accountId: string, password: string, actor: Actor): Promise<void> {
      const row = await account(accountId);
      if (!(await verifyPassword(row.password_hash, password)))
        throw new ValidationError('Your password is not correct.');
      await store.transaction(async (tx) => {
        await tx.updateAccount(accountId, {
          totp_enabled: 0,
          totp_secret: null,
          updated_at: isoAt(clock.now()),
        });
        await tx.replaceRecoveryCodes(accountId, []);
      });
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'account.2fa_disabled',
        objectType: 'account',
        objectId: accountId,
        before: { twoFactor: true },
        after: { twoFactor: false },
      });
    },

    /** Check a login's second factor: a TOTP code (each usable once) or an unused recovery code. */
    async verify(
      accountId: string,
      input: string,
      actor: Actor,
    ): Promise<{ usedRecoveryCode: boolean }> {
      const row = await account(accountId);
      const secret = secretOf(row);
      if (!row.totp_enabled || !secret) throw new InvalidSecondFactor();
      const code = input.trim();
      if (/^\d{3}\s?\d{3}$/.test(code)) {
        const step = matchTotp(secret, code.replace(/\s/g, ''), clock.now(), row.totp_last_step);
        if (step === null) throw new InvalidSecondFactor();
        await store.updateAccount(accountId, { totp_last_step: step });
        return { usedRecoveryCode: false };
      }
      const used = await store.useRecoveryCode(
        accountId,
        sha256Hex(normaliseRecovery(code)),
        isoAt(clock.now()),
      );
      if (!used) throw new InvalidSecondFactor();
      await audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'account.2fa_recovery_code_used',
        objectType: 'account',
        objectId: accountId,
      });
      return { usedRecoveryCode: true };
    },

    remainingRecoveryCodes: (accountId: string) => store.unusedRecoveryCodes(accountId),
  };
}

export type TwoFactor = ReturnType<typeof createTwoFactor>;
