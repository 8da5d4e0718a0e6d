// Sealing small secrets at rest (TOTP seeds, stored credentials) with AES-256-GCM, and HMAC.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface Sealer {
  /** Encrypt and authenticate; the result is self-describing text ("v1.iv.tag.ciphertext"). */
  seal(plaintext: string, context: string): string;
  /** Decrypt; throws if the text was altered or sealed for another context. */
  open(sealed: string, context: string): string;
  /** HMAC-SHA256 of `value` under a key derived for `purpose`, base64url. */
  mac(purpose: string, value: string): string;
}

/** A sealer from the provider's secret key; each purpose gets its own derived key. */
export function createSealer(secretKey: string): Sealer {
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', secretKey, 'bestiary', purpose, 32));
  const sealKey = derive('seal');
  const macKeys = new Map<string, Buffer>();
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return `v1.${parts.join('.')}`;
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined)
        throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
    mac(purpose, value) {
      let key = macKeys.get(purpose);
      if (!key) macKeys.set(purpose, (key = derive(`mac:${purpose}`)));
      return createHmac('sha256', key).update(value).digest('base64url');
    },
  };
}
