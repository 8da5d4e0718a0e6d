// Target credentials at rest: AES-256-GCM under the provider's 32-byte secret key, bound to a context.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const prefix = 'bcred1.';

// A key derived for this one purpose, so the same provider secret never encrypts two kinds of data.
const derive = (key: Uint8Array): Buffer => {
  if (key.length !== 32) throw new Error('credential key must be 32 bytes');
  return Buffer.from(hkdfSync('sha256', key, 'bestiary', 'backup-credentials', 32));
};

/** Encrypt a credential; `context` (e.g. the target id) must match when opening. */
export function sealCredential(key: Uint8Array, plaintext: string, context = ''): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', derive(key), iv);
  c.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return prefix + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
}

/** Decrypt a sealed credential; throws if it was altered or sealed for another context. */
export function openCredential(key: Uint8Array, sealed: string, context = ''): string {
  if (!sealed.startsWith(prefix)) throw new Error('not a sealed credential');
  const raw = Buffer.from(sealed.slice(prefix.length), 'base64url');
  if (raw.length < 28) throw new Error('sealed credential is too short');
  const d = createDecipheriv('aes-256-gcm', derive(key), raw.subarray(0, 12));
  d.setAAD(Buffer.from(context, 'utf8'));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}
