// Errors of the accounts module. Messages never reveal whether an account exists.
import { AppError } from '../core/errors.js';

/** Wrong email or password, or no such account: deliberately one message for all three. */
export class InvalidCredentials extends AppError {
  constructor() {
    super('UNAUTHENTICATED', 'That email and password do not match an account.');
  }
}

export class AccountSuspended extends AppError {
  constructor() {
    super('SUSPENDED', 'This account is suspended. Please contact support.');
  }
}

export class InvalidSecondFactor extends AppError {
  constructor() {
    super('UNAUTHENTICATED', 'That code is not valid. Check your authenticator app and try again.');
  }
}

export class InvalidResetToken extends AppError {
  constructor() {
    super(
      'VALIDATION',
      'This password reset link is invalid or has expired. Please ask for a new one.',
    );
  }
}
