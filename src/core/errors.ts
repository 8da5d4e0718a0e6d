// Coded errors. Domain code throws these; each adapter (HTTP, DNS wire, CLI) translates the code.

/** Every error code Bestiary's domain code can raise. Adapters map these, never messages. */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'SUSPENDED'
  | 'INTERNAL';

/** A problem the user can act on. `message` is safe to show; `details` lists per-field problems. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Bad input: the request is refused and nothing changes. */
export class ValidationError extends AppError {
  constructor(message: string, details: readonly string[] = []) {
    super('VALIDATION', message, details);
  }
}

/** Missing, or belonging to someone else: the two are indistinguishable on purpose. */
export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not authorised') {
    super('FORBIDDEN', message);
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many attempts; please wait and try again');
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
