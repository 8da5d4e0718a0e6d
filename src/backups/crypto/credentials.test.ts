// Target credentials sealed at rest open only with the same key and context.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openCredential, sealCredential } from './credentials.js';

describe('credential sealing', () => {
  it('opens with the same key and context, and refuses another context, key or an altered value', () => {
    const key = randomBytes(32);
    const sealed = sealCredential(key, 's3cret', 'target-1');
    expect(sealed).not.toContain('s3cret');
    expect(openCredential(key, sealed, 'target-1')).toBe('s3cret');
    expect(() => openCredential(key, sealed, 'target-2')).toThrow();
    expect(() => openCredential(randomBytes(32), sealed, 'target-1')).toThrow();
    // Change one character of the ciphertext for certain (writing 'AA' over the end left the value
    // as it was when its last byte was 0: 1 run in 256).
    const i = sealed.length - 3;
    const altered = sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
    expect(() => openCredential(key, altered, 'target-1')).toThrow();
  });
});
