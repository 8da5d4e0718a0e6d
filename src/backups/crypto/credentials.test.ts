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
    expect(() => openCredential(key, sealed.slice(0, -2) + 'AA', 'target-1')).toThrow();
  });
});
