// Password hashing (argon2id, OWASP's parameters) and the password policy.
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id is a const enum, which isolated modules cannot read: its value is 2.
const ARGON2ID = 2;
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 10;
/** argon2 takes long inputs, but a megabyte password is a denial of service, not a password. */
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spend the time a real verification takes, so a missing account cannot be told by timing. */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword('not a real password, only a timing decoy');
  await verifyPassword(await dummy, password);
}

/** Problems with a new password, as messages for the user (empty when it is acceptable). */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) {
    problems.push(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    problems.push(`Password must be at most ${MAX_PASSWORD_LENGTH} characters long.`);
  }
  if (email && password.toLowerCase() === email.toLowerCase()) {
    problems.push('Password must not be your email address.');
  }
  return problems;
}
